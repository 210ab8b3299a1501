"""What users record and change: deals, filters and pages, changes and undo, links, organisations, FX rates."""
