"""Developer tools built on the engine: the contract linter (``lint``) and ``verify``.

They use the engine; the engine never uses them.
"""
