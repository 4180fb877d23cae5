"""tableau handlers."""
