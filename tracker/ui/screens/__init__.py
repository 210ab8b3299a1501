"""Screens of the tracker app, one module per screen (imported lazily by the app)."""
