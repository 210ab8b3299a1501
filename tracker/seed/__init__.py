"""The article's deals (证券日报, 2025-09-29) as package data, in the ``export --all`` layout."""
