"""The Textual user interface of tracker."""
