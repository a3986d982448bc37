"""The cyclic collector's thresholds while the engine runs in bulk (engine/collection.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from k8stui.engine.cluster import Cluster
from k8stui.engine.collection import BULK_YOUNG_THRESHOLD, bulk_collection


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def _seen_during(cluster: Cluster, **advance: int | None) -> tuple[int, int, int]:
    seen: list[tuple[int, int, int]] = []
    cluster.ctx.queue.register("test.look", lambda _p: seen.append(gc.get_threshold()))
    cluster.ctx.queue.push(cluster.now_ms + 1000, "test.look", {})
    cluster.advance(2, **advance)
    assert len(seen) == 1
    return seen[0]


def test_a_bulk_advance_collects_less_and_puts_the_thresholds_back(
    thresholds: tuple[int, int, int],
) -> None:
    cluster = Cluster()
    young, middle, full = _seen_during(cluster)
    assert young == BULK_YOUNG_THRESHOLD and middle == 10 and full > 1_000_000
    assert gc.get_threshold() == thresholds


def test_a_budgeted_advance_keeps_the_interpreters_setting(
    thresholds: tuple[int, int, int],
) -> None:
    cluster = Cluster()
    assert _seen_during(cluster, max_work=100) == thresholds
    assert gc.get_threshold() == thresholds


def test_run_until_holds_the_setting_across_its_batches(thresholds: tuple[int, int, int]) -> None:
    cluster = Cluster()
    seen = []

    def look(c: Cluster) -> bool:
        seen.append(gc.get_threshold()[0])
        return c.now > 5

    assert cluster.run_until(look, 10)
    assert set(seen) == {BULK_YOUNG_THRESHOLD}
    assert gc.get_threshold() == thresholds


def test_nesting_keeps_the_outer_setting_and_changes_made_inside_the_older_generation(
    thresholds: tuple[int, int, int],
) -> None:
    with bulk_collection():
        outer = gc.get_threshold()
        with bulk_collection():
            assert gc.get_threshold() == outer
        assert gc.get_threshold() == outer
        gc.set_threshold(outer[0], 25, outer[2])  # someone retunes the middle generation
    assert gc.get_threshold() == (700, 25, 10)
