"""Python's cyclic garbage collector while the engine runs work in bulk.

The engine's data are JSON-like dicts and lists without reference cycles: reference counting
frees them, and the cyclic collector finds next to nothing among them (a run creating 3,000
pods left 99 objects in cycles, from ``json``'s encoder). It still walks them: young
collections every 700 allocations, and full collections over the whole heap each time it
grows by a quarter, which at 30,000 pods cost several seconds of a run. While a bulk run lasts
(``Cluster.advance`` without a work budget), young collections run over a thousand times less
often, which also spaces out the middle ones (every tenth young one; they rescan what the
young ones kept: 0.8 s of the 30,000-pod run at a young threshold of 100,000), and full ones
wait until the run ends; the interpreter's own policy resumes then. Budgeted runs (a game
frame) keep the interpreter's setting, since a young collection of that size would land in
one frame, and the game paces full collections itself.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_YOUNG_THRESHOLD = 1_000_000
"""Allocations between two young collections during a bulk run (the interpreter's is 700)."""
_NO_FULL = 1 << 30
"""A generation-2 threshold no count reaches."""


@contextmanager
def bulk_collection(bulk: bool = True) -> Iterator[None]:
    """Collect less while the block runs, if ``bulk`` (an inner use inside an outer one, or a
    budgeted run, changes nothing). Usable as a decorator.

    Only the young and the full thresholds are touched, and only they are put back.
    """
    young, _, full = gc.get_threshold()
    if not bulk or young >= BULK_YOUNG_THRESHOLD:
        yield
        return
    gc.set_threshold(BULK_YOUNG_THRESHOLD, gc.get_threshold()[1], max(full, _NO_FULL))
    try:
        yield
    finally:
        gc.set_threshold(young, gc.get_threshold()[1], full)
