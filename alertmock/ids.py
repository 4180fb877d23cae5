"""Identifiers from one seedable source, so `--seed` makes generated ids repeatable."""

from __future__ import annotations

import random
import uuid


class Ids:
    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)

    def reseed(self, seed: str) -> None:
        """Another repeatable sequence (each process of a shared mock takes its own)."""
        self._random.seed(seed)

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def hex(self, nbytes: int) -> str:
        return self._random.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()
