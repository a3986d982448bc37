"""The simulated cluster: one object that owns the clock, the store and every component.

This is the engine's public API. The console, the shell, the game rules and the UI all talk
to the cluster through these methods and nothing else.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from k8stui.engine.activity import ActivityLog
from k8stui.engine.apimachinery.selectors import Selector
from k8stui.engine.apiserver.kubernetes_service import KubernetesService
from k8stui.engine.apiserver.server import ApiServer, WriteResult
from k8stui.engine.clock import LATEST, MAX_MS, ClockError, checked_duration_ms, to_timestamp
from k8stui.engine.collection import bulk_collection, thaw
from k8stui.engine.context import Clock, EngineContext
from k8stui.engine.controllers.daemonset import DaemonSetController
from k8stui.engine.controllers.deployment import DeploymentController
from k8stui.engine.controllers.endpoints import EndpointsController
from k8stui.engine.controllers.node_lifecycle import NodeLifecycleController
from k8stui.engine.controllers.podgc import PodGC
from k8stui.engine.controllers.replication import ReplicationManager
from k8stui.engine.controllers.root_ca import RootCAPublisher
from k8stui.engine.controllers.serviceaccounts import ServiceAccountsController
from k8stui.engine.controllers.taint_eviction import TaintEvictionController
from k8stui.engine.controllers.workloads import workload_controllers
from k8stui.engine.faults import Fault, FaultInjector
from k8stui.engine.images.catalog_system import SYSTEM_IMAGES
from k8stui.engine.kubelet.agent import Kubelets
from k8stui.engine.network.traffic import Network, Response
from k8stui.engine.nodes import (
    MAX_NODES,
    NodeSpec,
    build_node,
    default_nodes,
    node_ip,
    node_startup_events,
)
from k8stui.engine.queue import EventQueue
from k8stui.engine.recorder import EventRecorder
from k8stui.engine.runtime.image_service import ImageService
from k8stui.engine.scheduler.loop import SchedulerComponent
from k8stui.engine.snapshot import SnapshotError, check_snapshot, checked, sections_fit
from k8stui.engine.spread_index import SPREAD_KINDS, SelectorIndex, pod_selector
from k8stui.engine.store import CLUSTER_SCOPED, Store
from k8stui.engine.system.bootstrap import SYSTEM_NAMESPACES, Bootstrap
from k8stui.engine.system.control_plane import ControlPlane
from k8stui.engine.timings import Timings

Obj = dict[str, Any]
ObjList = list[Obj]
StrList = list[str]
SelectorList = list[Selector]  # spelled out here: the classes below define a list() method
SNAPSHOT_VERSION = 1
__all__ = ["SYSTEM_NAMESPACES", "Cluster", "ClusterConfig"]


class ClusterConfig(BaseModel):
    """What a cluster is made of: seed, machines and timings."""

    model_config = ConfigDict(extra="forbid")

    seed: int = 0
    nodes: list[NodeSpec] = Field(default_factory=default_nodes, max_length=MAX_NODES)
    timings: Timings = Field(default_factory=Timings)


class Cluster:
    """A deterministic Kubernetes 1.32 cluster in a box."""

    def __init__(self, config: ClusterConfig | None = None, **overrides: Any) -> None:
        self.config = config or ClusterConfig(**overrides)
        clock = Clock()
        rng = random.Random(self.config.seed)
        store = Store(clock, rng)
        self.ctx = EngineContext(
            clock=clock,
            rng=rng,
            store=store,
            queue=EventQueue(),
            recorder=EventRecorder(store, clock),
            activity=ActivityLog(),
            timings=self.config.timings,
        )
        self.api = ApiServer(self.ctx)
        self._selector_cache: dict[str, SelectorIndex] = {}
        store.watch(self._forget_selectors, ("Service", "ReplicationController", "ReplicaSet"))
        self.images = ImageService(self.config.timings.pull_bandwidth_mb)
        self.scheduler = SchedulerComponent(self.ctx, self.spread_selectors)
        self.kubelets = Kubelets(self.ctx, self.images)
        self.node_lifecycle = NodeLifecycleController(self.ctx, self.kubelets)
        self.kubelets.heartbeat_listeners.append(self.node_lifecycle.heartbeats_stopped)
        self.network = Network(self.ctx, self.kubelets)
        self.faults = FaultInjector(self.ctx, self.api, self.kubelets, self.images)
        self.control_plane = ControlPlane()
        kubernetes_service = KubernetesService(self.ctx, self.api)
        self.system = Bootstrap(self.ctx, self.api, kubernetes_service)
        self.control_plane.on_change.append(self._static_pod_follows)
        self._components: dict[str, Any] = {
            "api": self.api,
            "images": self.images,
            "scheduler": self.scheduler,
            "kubelets": self.kubelets,
            "replication": ReplicationManager(self.ctx, self.api),
            "deployment": DeploymentController(self.ctx, self.api),
            "node-lifecycle": self.node_lifecycle,
            "taint-eviction": TaintEvictionController(self.ctx, self.api),
            "podgc": PodGC(self.ctx, self.api),
            **workload_controllers(self.ctx, self.api, self.kubelets.erase_volume_data),
            "endpoints": EndpointsController(self.ctx),
            "daemonset": DaemonSetController(self.ctx, self.api),
            "serviceaccounts": ServiceAccountsController(self.ctx, self.api),
            "root-ca": RootCAPublisher(self.ctx, self.api, self.config.seed),
            "kubernetes-service": kubernetes_service,
            "control-plane": self.control_plane,
            "faults": self.faults,
        }
        self.system.boot(self.config.nodes, self.add_node, self._run_until_ms)

    def _static_pod_follows(self, component: str, running: bool) -> None:
        if running:
            self.system.post_static_pod(component)
        else:
            self.system.remove_static_pod(component)

    def stop_component(self, component: str) -> None:
        """Stop a control-plane component (apiserver, controller-manager, etcd, scheduler)."""
        self.control_plane.stop(component)
        self.settle()

    def start_component(self, component: str) -> None:
        """Start it again: the work it missed runs now."""
        for at, action, payload in self.control_plane.start(component):
            key = payload.get("_key")
            if key is None:
                self.ctx.queue.push(max(at, self.now_ms), action, payload)
            else:
                rest = {k: v for k, v in payload.items() if k != "_key"}
                self.ctx.queue.push_once(max(at, self.now_ms), action, key, rest)
        self.settle()

    # -- components -------------------------------------------------------------------------
    def add_component(self, name: str, component: Any) -> None:
        """Attach a reconciler (controllers register through here; they snapshot with us)."""
        self._components[name] = component

    def component(self, name: str) -> Any:
        """A component by name."""
        return self._components[name]

    # -- time -------------------------------------------------------------------------------
    @property
    def now_ms(self) -> int:
        """Sim time in milliseconds."""
        return self.ctx.clock.now_ms

    @property
    def now(self) -> float:
        """Sim time in seconds."""
        return self.ctx.clock.now_ms / 1000

    def next_event_time(self) -> float | None:
        """Sim time (seconds) of the next scheduled piece of work, or None."""
        at = self.ctx.queue.next_time()
        return None if at is None else at / 1000

    def _run_until_ms(self, target: int, max_work: int | None = None) -> int:
        with bulk_collection(max_work is None):
            return self._work_until_ms(target, max_work)

    def _work_until_ms(self, target: int, max_work: int | None) -> int:
        processed = 0
        queue = self.ctx.queue
        # Work taken in bulk is counted afterwards, so a budget keeps it one at a time.
        bulk_before = queue.bulk_done
        queue.bulk = max_work is None
        while True:
            if max_work is not None and processed >= max_work:
                # Out of budget: the clock stays where the work got to.
                self.ctx.recorder.expire(self.ctx.clock.now_ms)
                return processed
            item = queue.pop_due(target)
            if item is None:
                break
            at, action, payload = item
            self.ctx.clock.now_ms = max(self.ctx.clock.now_ms, at)
            if self.control_plane.holds(action):
                self.control_plane.hold(at, action, payload)
                continue
            queue.dispatch(action, payload)
            processed += 1
        self.ctx.clock.now_ms = max(self.ctx.clock.now_ms, target)
        self.ctx.recorder.expire(self.ctx.clock.now_ms)
        return processed + queue.bulk_done - bulk_before

    def advance(self, seconds: float, *, max_work: int | None = None) -> int:
        """Move sim time forward, running everything that falls due; returns work done.

        With ``max_work`` it stops after that many pieces of work, the clock at the last
        one (``now_ms`` is then short of the target): a frame of the game stays within its
        budget however busy the cluster is, and the next call carries on.
        """
        return self._run_until_ms(self.now_ms + checked_duration_ms(seconds, self.now_ms), max_work)

    def advance_to_ms(self, target_ms: int, *, max_work: int | None = None) -> int:
        """Like :meth:`advance`, to an absolute sim time (``max_work`` as there)."""
        if target_ms < self.now_ms:
            raise ClockError("cannot go back in time")
        if target_ms > MAX_MS:
            raise ClockError(f"the simulated clock cannot pass {LATEST:%Y-%m-%dT%H:%M:%SZ}")
        return self._run_until_ms(target_ms, max_work)

    def settle(self) -> int:
        """Run the work due right now (after a write) without moving the clock."""
        return self._run_until_ms(self.now_ms)

    def step(self) -> bool:
        """Jump to the next scheduled work and run everything due then. False if idle."""
        at = self.ctx.queue.next_time()
        if at is None:
            return False
        self._run_until_ms(at)
        return True

    @bulk_collection()
    def run_until(self, predicate: Callable[[Cluster], bool], limit: float) -> bool:
        """Advance until ``predicate(self)`` holds (checked after each batch), at most ``limit`` s."""
        deadline = self.now_ms + round(limit * 1000)
        self.settle()
        if predicate(self):
            return True
        while True:
            at = self.ctx.queue.next_time()
            if at is None or at > deadline:
                self._run_until_ms(deadline)
                return predicate(self)
            self._run_until_ms(at)
            if predicate(self):
                return True

    # -- API --------------------------------------------------------------------------------
    def create(self, obj: Obj, *, dry_run: bool = False) -> WriteResult:
        """Create an object through the API server (validated, defaulted, admitted)."""
        result = self.api.create(obj, dry_run=dry_run)
        self.settle()
        return result

    def apply(self, obj: Obj, *, dry_run: bool = False) -> WriteResult:
        """``kubectl apply`` semantics."""
        result = self.api.apply(obj, dry_run=dry_run)
        self.settle()
        return result

    def replace(self, obj: Obj, *, dry_run: bool = False) -> WriteResult:
        """``kubectl replace`` semantics."""
        result = self.api.replace(obj, dry_run=dry_run)
        self.settle()
        return result

    def patch(self, kind: str, name: str, patch: Obj, namespace: str = "default") -> WriteResult:
        """JSON merge patch."""
        result = self.api.patch(kind, namespace, name, patch)
        self.settle()
        return result

    def scale(self, kind: str, name: str, replicas: int, namespace: str = "default") -> WriteResult:
        """Set replicas through the scale subresource."""
        result = self.api.scale(kind, namespace, name, replicas)
        self.settle()
        return result

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str = "default",
        *,
        grace_period: int | None = None,
        force: bool = False,
        propagation: str = "Background",
    ) -> Obj:
        """Delete an object (graceful for pods)."""
        result = self.api.delete(
            kind, namespace, name, grace_period=grace_period, force=force, propagation=propagation
        )
        self.settle()
        return result

    def get(self, kind: str, name: str, namespace: str = "default") -> Obj | None:
        """An object as the API server returns it (leases show their current renew time)."""
        obj = self.ctx.store.get(kind, "" if kind in CLUSTER_SCOPED else namespace, name)
        if obj is not None and kind == "Lease":
            return self._present_lease(obj)
        return obj

    def list(self, kind: str, namespace: str | None = "default") -> ObjList:
        """Objects of ``kind`` in ``namespace`` (None = all namespaces), in creation order."""
        objs = self.ctx.store.list(kind, namespace)
        if kind == "Lease":
            return [self._present_lease(o) for o in objs]
        return objs

    def events(self, obj: Obj | None = None) -> ObjList:
        """Event objects, all or about ``obj``."""
        recorder = self.ctx.recorder
        return recorder.events_for(obj) if obj is not None else self.ctx.store.list("Event", None)

    def event_log(self) -> StrList:
        """The event log's kept lines in order (the determinism witness; see ``LOG_KEEP``)."""
        return list(self.ctx.recorder.log)

    def event_log_since(self, start: int) -> StrList:
        """Event-log lines from position ``start`` on, skipping those let go (cheap to follow)."""
        recorder = self.ctx.recorder
        return recorder.log[max(start - recorder.dropped, 0) :]

    @property
    def event_count(self) -> int:
        """Number of lines ever written to the event log (kept or let go)."""
        return self.ctx.recorder.dropped + len(self.ctx.recorder.log)

    @property
    def revision(self) -> int:
        """etcd's revision."""
        return self.ctx.store.revision

    def key_count(self) -> int:
        """Keys held in etcd."""
        return self.ctx.store.count()

    # -- nodes ------------------------------------------------------------------------------
    def add_node(self, spec: NodeSpec) -> Obj:
        """Boot a machine: its kubelet registers a Node and starts renewing its lease."""
        index = len(self.kubelets.nodes)
        if index >= MAX_NODES:
            raise ValueError(f"a cluster has at most {MAX_NODES} nodes")
        node = build_node(spec, index, self.now_ms)
        stored = self.ctx.store.create(node)
        self.kubelets.register_node(spec.name, index, node_ip(index))
        self.ctx.store.create(
            {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {
                    "name": spec.name,
                    "namespace": "kube-node-lease",
                    "ownerReferences": [
                        {
                            "apiVersion": "v1",
                            "kind": "Node",
                            "name": spec.name,
                            "uid": stored["metadata"]["uid"],
                        }
                    ],
                },
                "spec": {
                    "holderIdentity": spec.name,
                    "leaseDurationSeconds": 40,
                    "renewTime": to_timestamp(self.now_ms),
                },
            }
        )
        nrt = self.kubelets.nodes[spec.name]
        for ref in SYSTEM_IMAGES:  # kind's node image ships with them
            self.images.store_on_node(nrt, ref)
        for reason, message, source in node_startup_events(spec.name):
            host = spec.name if source == "kubelet" else None
            self.ctx.recorder.emit(stored, "Normal", reason, message, source, host=host)
        return stored

    # -- faults and traffic ------------------------------------------------------------------
    def inject(self, fault: Fault, at: float | None = None) -> str:
        """Apply a fault now, or schedule it at sim time ``at`` (seconds)."""
        if at is not None and int(at * 1000) > self.now_ms:
            self.faults.schedule(fault, int(at * 1000))
            return f"{fault.kind} {fault.target} scheduled at {at:g}s"
        text = self.faults.apply(fault)
        self.settle()
        return text

    def request(
        self,
        host: str,
        port: int | None = None,
        path: str = "/",
        *,
        namespace: str = "default",
        source: Obj | None = None,
        method: str = "GET",
        body: str = "",
    ) -> Response:
        """An HTTP request into the cluster (Service, ClusterIP, pod IP, or localhost in ``source``)."""
        return self.network.request(
            host, port, path, namespace=namespace, source=source, method=method, body=body
        )

    def _present_lease(self, lease: Obj) -> Obj:
        renew = self.kubelets.last_renew_ms(lease["metadata"]["name"], self.now_ms)
        if renew is None:
            return lease
        renew_time = to_timestamp(renew).replace("Z", ".000000Z")
        return {**lease, "spec": {**lease["spec"], "renewTime": renew_time}}

    def spread_selectors(self, pod: Obj) -> SelectorList:
        """Selectors of Services, RCs and RSs that select ``pod`` (default topology spreading)."""
        ns = pod["metadata"].get("namespace", "default")
        labels = pod["metadata"].get("labels") or {}
        index = self._selector_cache.get(ns)
        if index is None:
            index = self._selector_cache[ns] = SelectorIndex()
            for kind in SPREAD_KINDS:
                for obj in self.ctx.store.list(kind, ns):
                    index.put((kind, obj["metadata"]["name"]), pod_selector(kind, obj))
        return index.matching(labels)

    def _forget_selectors(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        obj = new or old
        assert obj is not None
        index = self._selector_cache.get(obj["metadata"].get("namespace", "default"))
        if index is None:
            return
        new_sel = pod_selector(kind, new) if new is not None else None
        if old is not None and new is not None and new_sel == pod_selector(kind, old):
            return  # e.g. a scale: the selector is what matters here
        index.put((kind, obj["metadata"]["name"]), new_sel)

    # -- snapshot ---------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The whole cluster as plain JSON-compatible data."""
        state = self.ctx.rng.getstate()
        return {
            "version": SNAPSHOT_VERSION,
            "config": self.config.model_dump(mode="json"),
            "now_ms": self.now_ms,
            "rng": [state[0], list(state[1]), state[2]],
            "store": self.ctx.store.to_json(),
            "queue": self.ctx.queue.to_json(),
            "recorder": self.ctx.recorder.to_json(),
            "activity": self.ctx.activity.to_json(),
            "components": {name: comp.to_json() for name, comp in self._components.items()},
        }

    def snapshot_json(self) -> str:
        """The snapshot serialised (stable key order)."""
        return json.dumps(self.snapshot(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def load_snapshot(
        cls,
        data: Any,
        factory: Callable[[ClusterConfig], Cluster] | None = None,
        *,
        check_object: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> Cluster:
        """:meth:`restore` for untrusted data: validated first, SnapshotError if refused;
        ``check_object`` finds a further problem in a stored object (e.g. a schema type).

        Nothing outside the new cluster is touched, so a refusal leaves the caller's
        current cluster as it was.
        """
        if not isinstance(data, dict):
            raise SnapshotError("a snapshot is a JSON object (what sim save writes)")
        config = checked(ClusterConfig, data.get("config"), "config")
        fresh = factory(config) if factory else cls(config)
        actions, components = fresh.ctx.queue.actions(), set(fresh._components)
        try:
            check_snapshot(data, actions=actions, components=components, check_object=check_object)
            with sections_fit():
                cluster = cls.restore(data, factory)
                cluster.snapshot_json()  # everything restored must serialise again
        finally:
            thaw()  # the throwaway cluster (and the one this replaces) can be collected
        return cluster

    @classmethod
    def restore(
        cls, data: dict[str, Any], factory: Callable[[ClusterConfig], Cluster] | None = None
    ) -> Cluster:
        """Rebuild a cluster from :meth:`snapshot` data; it continues exactly where it was."""
        if data.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"unsupported snapshot version {data.get('version')!r}")
        config = ClusterConfig.model_validate(data["config"])
        cluster = factory(config) if factory else cls(config)
        cluster.ctx.clock.now_ms = int(data["now_ms"])
        version, internal, gauss = data["rng"]
        cluster.ctx.rng.setstate((version, tuple(internal), gauss))
        cluster.ctx.store.load_json(data["store"])
        cluster.ctx.queue.load_json(data["queue"])
        cluster.ctx.recorder.load_json(data["recorder"])
        cluster.ctx.activity.load_json(data["activity"])
        for name, comp_state in data["components"].items():
            cluster._components[name].load_json(comp_state)
        return cluster
