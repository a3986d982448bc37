"""The endpoints controller: a Service's Endpoints follow its pods' readiness (§5).

Changes are coalesced: however many pods change at one instant, each affected Service's
Endpoints object is rebuilt once.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.selectors import Selector, from_equality
from k8stui.engine.clock import to_timestamp
from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.podutil import is_ready, key

Obj = dict[str, Any]


def resolve_target_port(pod: Obj, port: Obj) -> int | None:
    """A Service port's targetPort for one pod: a number, or a named container port."""
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    for container in (pod.get("spec") or {}).get("containers") or []:
        for cport in container.get("ports") or []:
            if cport.get("name") == target:
                return int(cport["containerPort"])
    return None


class EndpointsController:
    """Maintains one Endpoints object per Service with a selector."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx
        # namespace -> [(service name, selector)], rebuilt when a Service there changes.
        self._selectors: dict[str, list[tuple[str, Selector]]] = {}
        ctx.queue.register("endpoints.sync", self._on_sync)
        ctx.store.watch(self._on_change, ("Service", "Pod"))

    def _selectors_in(self, ns: str) -> list[tuple[str, Selector]]:
        selectors = self._selectors.get(ns)
        if selectors is None:
            selectors = self._selectors[ns] = [
                (svc["metadata"]["name"], from_equality(svc["spec"]["selector"]))
                for svc in self.ctx.store.list("Service", ns)
                if (svc.get("spec") or {}).get("selector")
            ]
        return selectors

    def _on_change(self, kind: str, new: Obj | None, old: Obj | None) -> None:
        if kind == "Service":
            obj = new or old
            assert obj is not None
            self._selectors.pop(obj["metadata"].get("namespace", "default"), None)
            if new is None:
                ns, name = key(obj)
                if self.ctx.store.get("Endpoints", ns, name) is not None:
                    self.ctx.store.delete("Endpoints", ns, name)
                return
            if old is None or new.get("spec") != old.get("spec"):
                self._enqueue(*key(new))
        elif kind == "Pod":
            pod = new or old
            assert pod is not None
            ns = pod["metadata"].get("namespace", "default")
            selectors = self._selectors_in(ns)
            if not selectors:
                return
            seen = set()
            for one in (old, new):
                if one is None or (one is new and old is not None and _same_labels(old, new)):
                    continue
                labels = one["metadata"].get("labels") or {}
                for name, sel in selectors:
                    if name not in seen and sel.matches(labels):
                        seen.add(name)
                        self._enqueue(ns, name)

    def _enqueue(self, ns: str, name: str) -> None:
        self.ctx.queue.push_once(
            self.ctx.now, "endpoints.sync", f"ep/{ns}/{name}", {"ns": ns, "name": name}
        )

    def _on_sync(self, p: Obj) -> None:
        svc = self.ctx.store.get("Service", p["ns"], p["name"])
        if svc is None:
            return
        spec = svc.get("spec") or {}
        selector = spec.get("selector")
        if not selector:
            return  # no selector: the user manages Endpoints by hand
        sel = from_equality(selector)
        subsets: dict[tuple[Any, ...], Obj] = {}
        for pod in self.ctx.store.list("Pod", p["ns"]):
            if not sel.matches(pod["metadata"].get("labels") or {}):
                continue
            if pod["metadata"].get("deletionTimestamp"):
                continue
            status = pod.get("status") or {}
            ip = status.get("podIP")
            if not ip or status.get("phase") in ("Succeeded", "Failed"):
                continue
            ports = []
            for sport in spec.get("ports") or []:
                target = resolve_target_port(pod, sport)
                if target is None:
                    continue
                entry: Obj = {"port": target, "protocol": sport.get("protocol", "TCP")}
                if sport.get("name"):
                    entry["name"] = sport["name"]
                ports.append(entry)
            if not ports:
                continue
            address: Obj = {
                "ip": ip,
                "nodeName": pod["spec"].get("nodeName"),
                "targetRef": {
                    "kind": "Pod",
                    "name": pod["metadata"]["name"],
                    "namespace": p["ns"],
                    "uid": pod["metadata"]["uid"],
                },
            }
            group = tuple((e.get("name", ""), e["port"], e["protocol"]) for e in ports)
            subset = subsets.setdefault(group, {"ports": ports})
            field = (
                "addresses"
                if is_ready(pod) or spec.get("publishNotReadyAddresses")
                else "notReadyAddresses"
            )
            subset.setdefault(field, []).append(address)
        for subset in subsets.values():
            for field in ("addresses", "notReadyAddresses"):
                if field in subset:
                    subset[field].sort(key=lambda a: a["ip"])
        order = ("addresses", "notReadyAddresses", "ports")
        ordered: list[Obj] = [{str(k): s[k] for k in order if k in s} for s in subsets.values()]
        self._write(svc, ordered)

    def _write(self, svc: Obj, subsets: list[Obj]) -> None:
        ns, name = key(svc)
        live = self.ctx.store.get("Endpoints", ns, name)
        labels = dict(svc["metadata"].get("labels") or {})
        if live is None:
            obj: Obj = {
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": {
                    "name": name,
                    "namespace": ns,
                    "annotations": {
                        "endpoints.kubernetes.io/last-change-trigger-time": to_timestamp(
                            self.ctx.now
                        )
                    },
                },
            }
            if labels:
                obj["metadata"]["labels"] = labels
            if subsets:
                obj["subsets"] = subsets
            self.ctx.store.create(obj)
            return
        if live.get("subsets", []) == subsets:
            return
        new = {k: v for k, v in live.items() if k != "subsets"}
        new["metadata"] = {
            **live["metadata"],
            "annotations": {
                "endpoints.kubernetes.io/last-change-trigger-time": to_timestamp(self.ctx.now)
            },
        }
        if subsets:
            new["subsets"] = subsets
        self.ctx.store.update(new)
        self.ctx.activity.add(
            self.ctx.now,
            "controller-manager",
            f"endpoints {name}: {sum(len(s.get('addresses', [])) for s in subsets)} ready",
        )

    def to_json(self) -> dict[str, Any]:
        """Stateless."""
        return {}

    def load_json(self, _data: dict[str, Any]) -> None:
        """Nothing to restore."""


def _same_labels(old: Obj, new: Obj) -> bool:
    """Whether a write kept the labels (most pod writes are status writes)."""
    return old["metadata"].get("labels") is new["metadata"].get("labels")
