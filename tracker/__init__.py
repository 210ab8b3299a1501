"""tracker: a keyboard-driven terminal app for the AI-infrastructure deal race."""

__version__ = "0.1.0"
