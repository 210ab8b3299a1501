"""The domain core: models, money, queries, import/export, graph, totals.

Nothing under this package imports Textual (tests/core/test_import_hygiene.py proves it).
"""
