"""Garbage-collector settings for serving: fewer, cheaper collections.

Once the app is built, the loaded contract (the resolved document, its schemas, the compiled
routes and validators: hundreds of thousands of objects) never becomes garbage, yet every full
collection walks all of it again, and those pauses are the latency spikes at p99. `gc.freeze()`
moves everything alive at start-up into a permanent generation that collections skip.

A young collection is due once the container objects allocated since the last one, less those
freed, pass the first threshold (700 by default). A request frees all it allocated as it is
answered (it makes no reference cycles; tests/app/test_staying_power.py holds it to that), so what
counts is what stays: stored records, journal entries, sessions. A larger threshold collects them
in fewer passes. The store's records are plain JSON data without reference cycles, freed by
reference counting alone, so collections rarely find anything there.

Start-up itself (the imports, the contract, the routes and validators) allocates those objects
and frees few: the collections it would run, hundreds of young ones and a few full ones,
find almost nothing, and cost about 3% of `serve`'s instructions from launch to the first answer
(callgrind). Collections are paused from the process's first line until it serves.
"""

from __future__ import annotations

import gc

__all__ = ["pause_for_start_up", "resume", "tune_for_serving"]

YOUNG_THRESHOLD = 20_000


def pause_for_start_up() -> None:
    """Call first in a process that may serve; `tune_for_serving` (or `resume`) ends the pause."""
    gc.disable()


def resume() -> None:
    """Collections as usual, for a process that turned out not to serve."""
    gc.enable()


def tune_for_serving() -> None:
    """Call once, after the app is built and before it serves."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    gc.enable()
