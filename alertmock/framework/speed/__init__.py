"""Shortcuts through Connexion's and Starlette's internals, fenced in one place (see README.md)."""
