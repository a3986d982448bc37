"""Kubernetes Events, recorded the way components do (with count aggregation).

Events expire like etcd leases the API server attaches to them: ``--event-ttl`` (1 h by
default) after their last write, so a long run keeps only the last hour of Event objects.

Every emission is also appended to the engine's event log, one line each; the log is what
determinism is measured on (same seed + same inputs => byte-identical log). The log keeps its
last :data:`LOG_KEEP` lines and counts the ones it let go, so a long run's memory stays flat
(a CronJob every minute writes ~14,000 lines a day) while followers and fingerprints still see
every line's position.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from typing import Any

from k8stui.engine.clock import SIM_EPOCH, to_timestamp
from k8stui.engine.store import Obj, Store, object_key

_EPOCH_NS = int(SIM_EPOCH.timestamp()) * 1_000_000_000
EVENT_TTL_MS = 3_600_000  # kube-apiserver --event-ttl default
LOG_KEEP = 10_000
"""Event-log lines kept in memory (and in snapshots); older ones are counted, not kept."""


class EventRecorder:
    """Creates and aggregates Event objects in the store."""

    def __init__(self, store: Store, now: Callable[[], int]) -> None:
        self._store = store
        self._now = now
        self._seq = 0
        self._by_series: dict[tuple[str, ...], tuple[str, str]] = {}
        self._by_object: dict[str, list[tuple[str, str]]] = {}
        # (expiry ms, event key, series) per write, oldest first; a key written again has a
        # later entry, and _rewritten counts the entries of a key that a later one outdates.
        # (A queue rather than an ordered map: ~90 bytes less per Event, and most Events are
        # written once.)
        self._expiry: deque[tuple[int, tuple[str, str], tuple[str, ...]]] = deque()
        self._rewritten: dict[tuple[str, str], int] = {}
        # Parts many Events hold alike, shared rather than repeated (Events are most of a big
        # cluster's objects; stored objects are replaced, never changed in place): one
        # ``source`` per component and host, and the last ``involvedObject`` (a pod's kubelet
        # events come in a row).
        self._sources: dict[tuple[str, str | None], dict[str, Any]] = {}
        self._involved: tuple[tuple[Any, ...], dict[str, Any]] | None = None
        self.log: list[str] = []
        self.dropped = 0
        """Lines let go from the front of :attr:`log` (so line ``i`` is ``log[i - dropped]``)."""

    def emit(
        self,
        obj: Obj,
        type_: str,
        reason: str,
        message: str,
        component: str,
        *,
        host: str | None = None,
        field_path: str | None = None,
    ) -> None:
        """Record an event about ``obj`` (type Normal or Warning)."""
        kind, namespace, name = object_key(obj)
        meta = obj.get("metadata") or {}
        uid = meta.get("uid", "")
        now = self._now()
        message = _shared(message)
        if field_path:
            field_path = _shared(field_path)
        self.log.append(
            f"{now / 1000:10.3f} {type_} {reason} {kind.lower()}/{name}"
            f"{' ' + field_path if field_path else ''}: {message}"
        )
        if len(self.log) >= 2 * LOG_KEEP:
            # Trim in batches: one slice per LOG_KEEP lines keeps appends amortised O(1).
            self.dropped += len(self.log) - LOG_KEEP
            del self.log[:-LOG_KEEP]
        series = (uid, type_, reason, message, component, host or "", field_path or "")
        ev_ns = namespace or "default"
        expiry = self._expiry
        if expiry and expiry[0][0] <= now:  # (most emits find nothing due: skip the call)
            self.expire(now)
        existing_key = self._by_series.get(series)
        if existing_key is not None:
            existing = self._store.get("Event", *existing_key)
            if existing is not None:
                self._store.update(
                    {
                        **existing,
                        "count": int(existing.get("count", 1)) + 1,
                        "lastTimestamp": to_timestamp(now),
                    }
                )
                self._expiry.append((now + EVENT_TTL_MS, existing_key, series))
                self._rewritten[existing_key] = self._rewritten.get(existing_key, 0) + 1
                return
        self._seq += 1
        # Upstream names events "<object>.<hex of a nanosecond clock>"; sim time keeps it seeded.
        ev_name = f"{name}.{_EPOCH_NS + now * 1_000_000 + self._seq:x}"
        ev_key = (ev_ns, ev_name)
        stamp = to_timestamp(now)
        # involvedObject, reason, message, source, firstTimestamp, lastTimestamp, count, type,
        # eventTime, reportingComponent, reportingInstance (see event_form.frozen_event)
        values = (
            self._involved_object(obj, kind, namespace, name, uid, field_path),
            reason,
            message,
            self._source(component, host),
            stamp,
            stamp,
            1,
            type_,
            None,
            component,
            host or "",
        )
        self._store.create_event(ev_ns, ev_name, values)
        self._by_series[series] = ev_key
        self._by_object.setdefault(uid, []).append(ev_key)
        self._expiry.append((now + EVENT_TTL_MS, ev_key, series))

    def _involved_object(
        self, obj: Obj, kind: str, namespace: str, name: str, uid: str, field_path: str | None
    ) -> dict[str, Any]:
        """The Event's ``involvedObject``: the last one again when it would be equal."""
        api_version = obj.get("apiVersion", "v1")
        version = (obj.get("metadata") or {}).get("resourceVersion")
        key = (api_version, kind, name, uid, namespace, version, field_path)
        if self._involved is not None and self._involved[0] == key:
            return self._involved[1]
        involved: dict[str, Any] = {
            "apiVersion": api_version,
            "kind": kind,
            "name": name,
            "uid": uid,
        }
        if namespace:
            involved["namespace"] = namespace
        if version:
            involved["resourceVersion"] = version
        if field_path:
            involved["fieldPath"] = field_path
        self._involved = (key, involved)
        return involved

    def _source(self, component: str, host: str | None) -> dict[str, Any]:
        """The Event's ``source``, one dict per component and host."""
        source = self._sources.get((component, host))
        if source is None:
            source = {"component": component}
            if host:
                source["host"] = host
            self._sources[(component, host)] = source
        return source

    def expire(self, now: int) -> None:
        """Delete the Events whose TTL has run out (cheap when none has)."""
        expiry = self._expiry
        rewritten = self._rewritten
        while expiry:
            due, ev_key, series = expiry[0]
            if due > now:
                return
            expiry.popleft()
            outdated = rewritten.get(ev_key)
            if outdated is not None:  # a later write of this Event is queued: it decides
                if outdated > 1:
                    rewritten[ev_key] = outdated - 1
                else:
                    del rewritten[ev_key]
                continue
            uid = series[0]
            self._store.discard("Event", *ev_key)
            if self._by_series.get(series) == ev_key:
                del self._by_series[series]
            keys = self._by_object.get(uid)
            if keys is not None:
                if ev_key in keys:
                    keys.remove(ev_key)
                if not keys:
                    del self._by_object[uid]

    def _live(self) -> list[tuple[int, tuple[str, str], tuple[str, ...]]]:
        """The queue's entries that decide, one per Event: its last write, oldest first."""
        live = []
        seen: set[tuple[str, str]] = set()
        rewritten = self._rewritten
        for entry in reversed(self._expiry):
            key = entry[1]
            if key in rewritten:
                if key in seen:
                    continue
                seen.add(key)
            live.append(entry)
        live.reverse()
        return live

    def events_for(self, obj: Obj) -> list[Obj]:
        """Events whose involvedObject is ``obj`` (by uid), oldest first."""
        uid = (obj.get("metadata") or {}).get("uid", "")
        found = []
        for key in self._by_object.get(uid, []):
            ev = self._store.get("Event", *key)
            if ev is not None:
                found.append(ev)
        return found

    def to_json(self) -> dict[str, Any]:
        """Plain-data form."""
        return {
            "seq": self._seq,
            "series": [[list(k), list(v)] for k, v in self._by_series.items()],
            "expiry": [[list(k), due, list(series), series[0]] for due, k, series in self._live()],
            "log": list(self.log),
            "dropped": self.dropped,
        }

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`; the per-object index is rebuilt from the store."""
        self._seq = int(data["seq"])
        self._by_series = {tuple(k): (v[0], v[1]) for k, v in data["series"]}
        self.log = list(data["log"])
        self.dropped = int(data.get("dropped", 0))
        # A queued series starts with its Event's involved uid (see emit).
        self._expiry = deque(
            (int(due), (k[0], k[1]), _series(uid, series))
            for k, due, series, uid in data.get("expiry", [])
        )
        self._rewritten = {}
        self._by_object = {}
        for ev in self._store.iter_kind("Event"):
            uid = ev["involvedObject"].get("uid", "")
            meta = ev["metadata"]
            self._by_object.setdefault(uid, []).append((meta["namespace"], meta["name"]))


def _series(uid: Any, series: list[Any]) -> tuple[Any, ...]:
    """A series read back from a snapshot, led by the uid it was queued with."""
    if series and series[0] == uid:
        return tuple(series)
    return (str(uid), *series)


def _shared(text: str) -> str:
    """``text`` interned: components repeat the same messages ("Started container app")."""
    return sys.intern(text) if type(text) is str else text  # (a str subclass cannot be)
