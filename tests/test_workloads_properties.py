"""Stateful property test for Jobs, StatefulSets and volumes under random steps and faults.

Invariants: a Job never has more than ``parallelism`` active pods nor more than
``completions`` successes; a StatefulSet never runs two copies of one ordinal and, with
OrderedReady, never creates ordinal n+1 while n is not Ready; a claim is bound to one volume
and a volume to one claim; a claim a scheduled pod names is never gone (deleting it only
marks it); what was written to a claim's volume is read back from it by any later pod, across
pod deletions, claim deletions, node crashes and recoveries.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from k8stui.engine import errors
from k8stui.engine.cluster import Cluster
from k8stui.engine.controllers.podutil import controller_ref, is_active, is_ready
from k8stui.engine.faults import Fault
from k8stui.engine.kubelet import volumes
from k8stui.engine.storage.matching import claim_names

Obj = dict[str, Any]
WORKERS = ["worker-1", "worker-2", "worker-3"]
IMAGES = ["busybox", "k8stui/crasher", "luksa/batch-job"]


def _job(name: str, parallelism: int, completions: int, image: str) -> Obj:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {
            "parallelism": parallelism,
            "completions": completions,
            "backoffLimit": 3,
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "main", "image": image}],
                }
            },
        },
    }


def _stateful_set(replicas: int) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db"},
        "spec": {
            "serviceName": "db",
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {
                    "containers": [
                        {
                            "name": "db",
                            "image": "luksa/kubia",
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                        }
                    ]
                },
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Mi"}},
                    },
                }
            ],
        },
    }


class WorkloadMachine(RuleBasedStateMachine):
    """Jobs, a StatefulSet with claims, pod deletions, node crashes and time."""

    def __init__(self) -> None:
        super().__init__()
        self.cluster = Cluster(seed=7)
        self.violations: list[str] = []
        self.written: dict[str, str] = {}  # claim uid -> content written to /data/token
        self.tokens = 0
        self.cluster.ctx.store.watch(self._check_creation, ("Pod",))

    def _check_creation(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if new is None or old is not None:
            return
        ref = controller_ref(new)
        if ref is None or ref.get("kind") != "StatefulSet":
            return
        index = int(new["metadata"]["name"].rsplit("-", 1)[1])
        if index == 0:
            return
        before = self.cluster.get("Pod", f"db-{index - 1}")
        if before is None or not is_ready(before) or before["metadata"].get("deletionTimestamp"):
            self.violations.append(f"db-{index} created before db-{index - 1} was Ready")

    @rule(
        index=st.integers(0, 2),
        parallelism=st.integers(1, 3),
        completions=st.integers(1, 4),
        image=st.sampled_from(IMAGES),
    )
    def create_job(self, index: int, parallelism: int, completions: int, image: str) -> None:
        with contextlib.suppress(errors.ApiError):
            self.cluster.create(_job(f"job{index}", parallelism, completions, image))

    @rule(replicas=st.integers(0, 3))
    def scale_stateful_set(self, replicas: int) -> None:
        if self.cluster.get("StatefulSet", "db") is None:
            self.cluster.create(_stateful_set(replicas))
        else:
            self.cluster.scale("StatefulSet", "db", replicas)

    @rule(index=st.integers(0, 2))
    def write_token(self, index: int) -> None:
        pod = self.cluster.get("Pod", f"db-{index}")
        runtime = self.cluster.kubelets.pod_runtime(pod) if pod else None
        if pod is None or runtime is None or not is_ready(pod):
            return
        claim = self.cluster.get("PersistentVolumeClaim", f"data-db-{index}")
        assert claim is not None, "a running pod's claim is kept (pvc-protection)"
        self.tokens += 1
        content = f"token-{self.tokens}"
        volumes.write_file(runtime, pod["spec"]["containers"][0], "/data/token", content)
        self.written[claim["metadata"]["uid"]] = content

    @rule(index=st.integers(0, 2))
    def delete_claim(self, index: int) -> None:
        # Its volume (class reclaim policy Delete) and data go once no pod uses it; a new
        # claim of the same name (its own uid) starts empty.
        with contextlib.suppress(errors.ApiError):
            self.cluster.delete("PersistentVolumeClaim", f"data-db-{index}")

    @rule(index=st.integers(0, 2), force=st.booleans())
    def delete_pod(self, index: int, force: bool) -> None:
        with contextlib.suppress(errors.ApiError):
            self.cluster.delete(
                "Pod", f"db-{index}", grace_period=0 if force else None, force=force
            )

    @rule(node=st.sampled_from(WORKERS))
    def crash(self, node: str) -> None:
        self.cluster.inject(Fault(kind="crash-node", target=node))

    @rule(node=st.sampled_from(WORKERS))
    def recover(self, node: str) -> None:
        self.cluster.inject(Fault(kind="recover-node", target=node))

    @rule(seconds=st.sampled_from([1, 10, 45, 120, 400]))
    def advance(self, seconds: int) -> None:
        self.cluster.advance(seconds)

    @invariant()
    def jobs_stay_within_parallelism_and_completions(self) -> None:
        for job in self.cluster.list("Job"):
            spec = job["spec"]
            uid = job["metadata"]["uid"]
            owned = [
                p for p in self.cluster.list("Pod") if (controller_ref(p) or {}).get("uid") == uid
            ]
            active = [p for p in owned if is_active(p)]
            succeeded = [p for p in owned if p["status"].get("phase") == "Succeeded"]
            assert len(active) <= spec["parallelism"], job["metadata"]["name"]
            assert len(succeeded) <= spec["completions"], job["metadata"]["name"]
            assert job.get("status", {}).get("succeeded", 0) <= spec["completions"]

    @invariant()
    def one_running_copy_per_ordinal(self) -> None:
        running: dict[str, int] = {}
        for name, nrt in self.cluster.kubelets.nodes.items():
            if not self.cluster.kubelets.powered(name):
                continue
            for prt in nrt["pods"].values():
                if prt["name"].startswith("db-") and any(
                    c["stage"] == "running" for c in prt["containers"].values()
                ):
                    running[prt["name"]] = running.get(prt["name"], 0) + 1
        assert all(n <= 1 for n in running.values()), running

    @invariant()
    def ordered_creation(self) -> None:
        assert self.violations == []

    @invariant()
    def claims_and_volumes_pair_up(self) -> None:
        claims = self.cluster.list("PersistentVolumeClaim")
        bound = [c["spec"]["volumeName"] for c in claims if c["spec"].get("volumeName")]
        assert len(bound) == len(set(bound))
        for claim in claims:
            name = claim["spec"].get("volumeName")
            if not name:
                continue
            pv = self.cluster.get("PersistentVolume", name)
            assert pv is not None
            ref = pv["spec"]["claimRef"]
            assert (ref["name"], ref["uid"]) == (
                claim["metadata"]["name"],
                claim["metadata"]["uid"],
            )

    @invariant()
    def claims_in_use_are_kept(self) -> None:
        for pod in self.cluster.list("Pod"):
            if pod["spec"].get("nodeName"):
                for name in claim_names(pod):
                    assert self.cluster.get("PersistentVolumeClaim", name) is not None, name

    @invariant()
    def written_data_is_still_there(self) -> None:
        for index in range(3):
            pod = self.cluster.get("Pod", f"db-{index}")
            claim = self.cluster.get("PersistentVolumeClaim", f"data-db-{index}")
            expected = self.written.get(claim["metadata"]["uid"]) if claim else None
            runtime = self.cluster.kubelets.pod_runtime(pod) if pod else None
            if pod is None or runtime is None or expected is None or not is_ready(pod):
                continue
            content = volumes.read(
                runtime, pod["spec"]["containers"][0], "/data/token", self.cluster.now_ms
            )
            assert content == expected, (pod["metadata"]["name"], content, expected)


TestWorkloadInvariants = WorkloadMachine.TestCase
TestWorkloadInvariants.settings = settings(
    max_examples=300 if os.environ.get("K8STUI_FUZZ") == "1" else 12,
    stateful_step_count=20,
    deadline=None,
)
