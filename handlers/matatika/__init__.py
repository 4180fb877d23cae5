"""matatika handlers."""
