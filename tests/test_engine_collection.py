"""The cyclic collector while the engine runs in bulk (engine/collection.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from k8stui.engine.cluster import Cluster
from k8stui.engine.collection import FREEZE_AT, bulk_collection


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector on, nothing frozen; put back as it was."""
    was_on = gc.isenabled()
    gc.enable()
    gc.unfreeze()
    yield
    gc.unfreeze()
    if not was_on:
        gc.disable()


def _seen_during(cluster: Cluster, **advance: int | None) -> bool:
    seen: list[bool] = []
    cluster.ctx.queue.register("test.look", lambda _p: seen.append(gc.isenabled()))
    cluster.ctx.queue.push(cluster.now_ms + 1000, "test.look", {})
    cluster.advance(2, **advance)
    assert len(seen) == 1
    return seen[0]


def test_a_bulk_advance_runs_without_the_collector_and_turns_it_back_on(
    collector: None,
) -> None:
    cluster = Cluster()
    assert _seen_during(cluster) is False
    assert gc.isenabled()


def test_a_budgeted_advance_keeps_the_collector(collector: None) -> None:
    cluster = Cluster()
    assert _seen_during(cluster, max_work=100) is True
    assert gc.isenabled()


def test_run_until_holds_the_collector_off_across_its_batches(collector: None) -> None:
    cluster = Cluster()
    seen = []

    def look(c: Cluster) -> bool:
        seen.append(gc.isenabled())
        return c.now > 5

    assert cluster.run_until(look, 10)
    assert set(seen) == {False}
    assert gc.isenabled()


def test_a_large_run_freezes_what_it_left_and_a_small_one_does_not(collector: None) -> None:
    kept: list[list[int]] = []
    with bulk_collection():
        kept.append([0])
    assert gc.get_freeze_count() == 0
    with bulk_collection():
        kept.extend([i] for i in range(FREEZE_AT))
    assert gc.get_freeze_count() >= FREEZE_AT
    assert gc.is_tracked(kept[-1]) and gc.isenabled()


def test_nesting_and_a_host_that_turned_the_collector_off_change_nothing(
    collector: None,
) -> None:
    with bulk_collection():
        with bulk_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one does not turn it back on
    assert gc.isenabled()
    gc.disable()
    with bulk_collection():
        kept = [[i] for i in range(FREEZE_AT)]
    assert not gc.isenabled() and gc.get_freeze_count() == 0 and len(kept) == FREEZE_AT


def test_a_failing_run_turns_the_collector_back_on(collector: None) -> None:
    with pytest.raises(RuntimeError), bulk_collection():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_large_cluster_start_up_is_frozen_when_it_ends(collector: None) -> None:
    from k8stui.engine.nodes import NodeSpec

    specs = [NodeSpec(name=f"worker-{i}", cpu="4", memory="8Gi") for i in range(600)]
    Cluster(nodes=specs)
    assert gc.get_freeze_count() >= FREEZE_AT and gc.isenabled()


def test_loading_a_snapshot_gives_frozen_clusters_back_to_the_collector(collector: None) -> None:
    from k8stui.engine.snapshot import SnapshotError

    data = Cluster().snapshot()
    # A cluster left behind frozen (its parts refer to each other) is found once thawed.
    for snapshot in (data, {**data, "version": -1}):
        left = [Cluster()]
        left.append(left)  # (a cycle of its own, as the cluster's components make)
        gc.freeze()
        assert gc.get_freeze_count() > 0
        try:
            Cluster.load_snapshot(snapshot)
        except SnapshotError:
            assert snapshot is not data
        assert gc.get_freeze_count() == 0
        del left
        assert gc.collect() > 0


def test_building_a_levels_cluster_thaws_what_an_earlier_one_froze(collector: None) -> None:
    from k8stui.game.pack import builtin_pack
    from k8stui.game.setup import build_cluster

    gc.freeze()
    assert gc.get_freeze_count() > 0
    build_cluster(builtin_pack().levels[0])
    assert gc.get_freeze_count() == 0
