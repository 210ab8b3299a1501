"""The headless core, by capability: domain, storage, records, csvio, analysis.

Nothing under this package imports Textual (tests/core/test_import_hygiene.py proves it).
"""
