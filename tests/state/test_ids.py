"""Ids: the UUIDs a seed gives are the ones `uuid.UUID(int=..., version=4)` makes of the same bits."""

from __future__ import annotations

import random
import uuid

from alertmock.state.ids import Ids


def test_uuid4_is_the_stdlib_version_4_uuid_of_the_same_random_bits() -> None:
    for seed in (0, 1, 2, 12345, "session-a"):
        ids, reference = Ids(), random.Random(seed)
        ids._random = random.Random(seed)
        for _ in range(500):
            assert ids.uuid4() == str(uuid.UUID(int=reference.getrandbits(128), version=4))


def test_uuid4_sets_every_bit_the_stdlib_sets_whatever_the_random_bits() -> None:
    # Edge patterns: all zeros, all ones, and each fixed nibble alone.
    for bits in (0, (1 << 128) - 1, 0xF000 << 64, 0xC000 << 48, 0x3FFF << 48, 0x0FFF << 64):
        ids = Ids()
        ids._random = _Fixed(bits)  # type: ignore[assignment]
        value = ids.uuid4()
        assert value == str(uuid.UUID(int=bits, version=4))
        assert uuid.UUID(value).version == 4 and uuid.UUID(value).variant == uuid.RFC_4122


def test_a_seed_repeats_its_sequence() -> None:
    first, second = Ids(7), Ids(7)
    assert [first.uuid4() for _ in range(5)] == [second.uuid4() for _ in range(5)]


class _Fixed:
    def __init__(self, bits: int) -> None:
        self.bits = bits

    def getrandbits(self, k: int) -> int:
        return self.bits


def test_a_seed_gives_the_ids_a_sequence_of_their_own() -> None:
    # Faker, seeded with the same --seed, draws its UUIDs from random.Random(seed) too: the ids of
    # records /__mock/seed makes must not be the ones the next creates are given.
    fakers_draws = random.Random(1)
    drawn = {str(uuid.UUID(int=fakers_draws.getrandbits(128), version=4)) for _ in range(100)}
    ids = Ids(1)
    assert not drawn & {ids.uuid4() for _ in range(100)}
