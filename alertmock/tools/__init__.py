"""Developer tools built on the engine: the contract linter (and, later, verify)."""
