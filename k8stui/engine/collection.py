"""Python's cyclic garbage collector while the engine runs work in bulk.

The engine's data are JSON-like dicts and lists without reference cycles: reference counting
frees them, and the cyclic collector finds next to nothing among them. A run of 300 nodes
creating 9,000 pods and replacing those of three crashed nodes, with the collector off,
left 396 objects in cycles (closures of ``json``'s encoder), against 2.3 million it made and
kept. The collector still walks what is kept: each young collection every object that
survived since the last one, each middle and full collection all of its generation again.
At 5,000 nodes / 150,000 pods that was about 7 s of the run, 5 %.

So while a bulk run lasts (``Cluster.advance`` without a work budget) the collector is off;
when it ends, a run that left at least :data:`FREEZE_AT` new objects behind *freezes*
everything tracked (``gc.freeze``): those objects are the cluster's long-lived state, and
later collections skip them instead of walking them once more. Reference counting still
frees them when the engine lets them go. Frozen objects in a cycle wait for
``gc.unfreeze``: :func:`thaw` runs it where the engine lets a cluster go (``load_snapshot``,
which boots throwaway clusters and replaces the caller's), and the game's collection pacing
when a level closes. Budgeted runs
(a game frame) keep the interpreter's setting, and so does a host that turned the collector
off itself.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FREEZE_AT = 100_000
"""Objects a bulk run must leave behind for it to freeze them; below this the next young
collection walks them at a cost of a few tens of milliseconds at most."""


@contextmanager
def bulk_collection(bulk: bool = True) -> Iterator[None]:
    """No cyclic collection while the block runs, if ``bulk``; freeze what a large run left
    behind. An inner use inside an outer one, a budgeted run and a collector already off
    change nothing. Usable as a decorator."""
    if not bulk or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        # The young count is what was allocated and kept since the last collection.
        if gc.get_count()[0] >= FREEZE_AT:
            gc.freeze()
        gc.enable()


def thaw() -> None:
    """Give frozen objects back to the collector: called where the engine lets a whole
    cluster go (its components refer to each other, so only the collector frees it)."""
    gc.unfreeze()
