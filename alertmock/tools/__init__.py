"""Developer tools built on the engine: the contract linter (``lint``), ``verify`` and ``diff``.

They use the engine; the engine never uses them.
"""
