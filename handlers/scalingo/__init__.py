"""scalingo handlers."""
