"""Controllers waiting on their client's rate limit, and the herds they form.

A controller whose last sync left it with pods to create and no token, and nothing else to do,
is *waiting*: until something about it changes, its next sync can only find the bucket empty
and wait again. Many of them (a thousand Deployments created at once) form a herd that wakes
at every refill: the first takes the tokens, each of the others waits again.

This keeps which controllers wait and for how many tokens, takes the waits of a herd in bulk
(``EventQueue.rest_of_run``/``requeue_run``), and notices when no member of a herd has
changed since it was formed, so that the whole herd moves to its next time in one step
(``EventQueue.move_herd``) instead of member by member: with thousands of controllers the
one-by-one way costs more than everything else the controller does.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.context import EngineContext
from k8stui.engine.controllers.rate_limit import TokenBucket

Key = tuple[str, str, str]  # (kind, namespace, name) of a controller
ACTION = "replication.sync"
HERD_MIN = 16
"""Waits kept as a herd from this many on (fewer cost little one by one)."""


def sync_key(kind: str, ns: str, name: str, when: int) -> str:
    """The work-queue key of a controller's sync due at ``when``: a prefix naming the
    controller, then the time (the form a herd's keys take, see ``EventQueue.move_herd``)."""
    return f"rep/{kind}/{ns}/{name}/{when}"


class Waiting:
    """The waiting controllers and the last herd formed of them."""

    def __init__(self, ctx: EngineContext) -> None:
        self.ctx = ctx
        self._needs: dict[Key, int] = {}
        # The controllers of the last herd formed, and a count of the changes to their entries:
        # a herd's tag names the count it was formed at, so any change since makes it stale.
        self._herd: set[Key] = set()
        self._version = 0

    def need(self, key: Key) -> int | None:
        """Tokens ``key`` waits for, or None when it is not waiting."""
        return self._needs.get(key)

    def note(self, key: Key, need: int) -> None:
        """``key`` waits for ``need`` tokens."""
        self._changed(key)
        self._needs[key] = need

    def forget(self, key: Key) -> None:
        """Something about ``key`` changed: its next sync must be a full one."""
        if self._needs.pop(key, None) is not None:
            self._changed(key)

    def clear(self) -> None:
        """Forget every controller (after a restore)."""
        self._needs = {}
        self._herd = set()
        self._version += 1

    def syncing(self, key: Key) -> None:
        """``key``'s queued sync runs now, so it is no longer a member of a herd."""
        self._herd.discard(key)

    def _changed(self, key: Key) -> None:
        if key in self._herd:
            self._version += 1

    def wait_again(self, key: Key, need: int, bucket: TokenBucket) -> None:
        """Queue the next sync of waiting ``key`` for when its tokens are there; a herd's
        waits share entries."""
        kind, ns, name = key
        when = bucket.ready_at(need, self.ctx.now)
        self.ctx.queue.push_once_run(
            when, ACTION, sync_key(kind, ns, name, when), {"kind": kind, "ns": ns, "name": name}
        )

    def wait_in_bulk(self, key: Key, bucket: TokenBucket) -> None:
        """After ``key`` waited again: take the syncs queued right behind it that can only wait
        again too (the bucket stays empty this millisecond)."""
        queue, now, kind = self.ctx.queue, self.ctx.now, key[0]
        tag = queue.herd_tag(ACTION)
        # With no member changed since the herd formed, all still wait for the same tokens.
        if (
            tag is not None
            and tag[0] == kind
            and tag[2] == self._version
            and queue.move_herd(ACTION, bucket.ready_at(tag[1], now))
        ):
            self._herd.add(key)
            return
        waits: list[tuple[int, str, dict[str, Any]]] = []
        add = waits.append
        members: list[Key] = []
        needs, burst = set(), bucket.burst
        when_for: dict[int, int] = {}  # need -> the time it is met (the bucket stays put)
        for _seq, p in queue.rest_of_run(ACTION):
            member = (p["kind"], p["ns"], p["name"])
            need = self._needs.get(member)
            if need is None or member[0] != kind:
                break
            when = when_for.get(need)
            if when is None:
                when = when_for[need] = bucket.ready_at(need, now)
            members.append(member)
            needs.add(min(need, burst))  # (the bucket never holds more than its burst)
            _kind, ns, name = member
            add((when, sync_key(kind, ns, name, when), {"kind": kind, "ns": ns, "name": name}))
        new_tag = None
        if len(waits) >= HERD_MIN and len(needs) == 1:
            self._version += 1
            self._herd = {key, *members}
            new_tag = (kind, needs.pop(), self._version)
        queue.requeue_run(ACTION, waits, new_tag)
