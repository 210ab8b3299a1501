"""Reusable widgets of the tracker UI, one module per widget with its .tcss beside it."""
