from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from alertmock.state.clock import Clock

INSTANT = datetime(2026, 6, 10, 7, 8, 13, tzinfo=UTC)


def test_an_instant_freezes_the_clock() -> None:
    clock = Clock.parse("2026-06-10T07:08:13Z")
    assert clock.now() == INSTANT
    time.sleep(0.01)
    assert clock.now() == INSTANT


def test_a_speed_factor_runs_faster_than_real_time() -> None:
    clock = Clock.parse("2026-06-10T07:08:13Z@x1000")
    time.sleep(0.01)
    assert (clock.now() - INSTANT).total_seconds() >= 10


def test_real_time_by_default() -> None:
    assert abs((Clock.parse("real").now() - datetime.now(UTC)).total_seconds()) < 1


def test_advance_moves_a_frozen_clock() -> None:
    clock = Clock.parse("2026-06-10T07:08:13Z")
    asyncio.run(clock.advance(90))
    assert (clock.now() - INSTANT).total_seconds() == 90


@pytest.mark.parametrize("bad", ["yesterday", "x-1", "2026-06-10T07:08:13Z@fast"])
def test_bad_specs_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        Clock.parse(bad)
