"""Identifiers from one seedable source, so `--seed` makes generated ids repeatable."""

from __future__ import annotations

import random

# A version 4 UUID is 128 random bits with six of them fixed: the version nibble (4) and the
# RFC 4122 variant (binary 10). `uuid.UUID(int=..., version=4)` sets the same bits, after range
# checks that random bits never fail; done here, a create's id costs a few operations, not a
# hundred and twenty bytecodes of `UUID.__init__` and `__str__`.
_V4_KEEP = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_V4_SET = (0x8000 << 48) | (4 << 76)
# The 8-4-4-4-12 groups of the 32 hex digits, cut in C by one map() rather than five slices.
_GROUPS = (slice(0, 8), slice(8, 12), slice(12, 16), slice(16, 20), slice(20, 32))


def _own(seed: int | str | None) -> str | None:
    # The ids' stream is drawn from a seed of its own: seeded with the same `--seed` as the data
    # generator (whose Faker draws UUIDs the same way), records made by `/__mock/seed` took the very
    # ids the next creates were given, and a create replaced a record it had not made.
    return None if seed is None else f"ids:{seed}"


class Ids:
    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(_own(seed))

    def reseed(self, seed: str) -> None:
        """Another repeatable sequence (each process of a shared mock takes its own)."""
        self._random.seed(_own(seed))

    def uuid4(self) -> str:
        """`str(uuid.UUID(int=<128 random bits>, version=4))`: the same text from the same bits."""
        hex_digits = f"{self._random.getrandbits(128) & _V4_KEEP | _V4_SET:032x}"
        return "-".join(map(hex_digits.__getitem__, _GROUPS))

    def hex(self, nbytes: int) -> str:
        return self._random.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()
