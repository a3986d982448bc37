"""The shared services every engine component receives (clock, store, queue, recorder...)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from k8stui.engine.activity import ActivityLog
from k8stui.engine.queue import EventQueue
from k8stui.engine.recorder import EventRecorder
from k8stui.engine.store import Store
from k8stui.engine.timings import Timings


@dataclass
class Clock:
    """The simulated clock; only the engine's run loop moves it."""

    now_ms: int = 0

    def __call__(self) -> int:
        return self.now_ms


@dataclass
class EngineContext:
    """Everything a component may use; components never hold references to each other."""

    clock: Clock
    rng: random.Random
    store: Store
    queue: EventQueue
    recorder: EventRecorder
    activity: ActivityLog
    timings: Timings
    hooks: dict[str, object] = field(default_factory=dict)

    @property
    def now(self) -> int:
        """Current sim time in ms."""
        return self.clock.now_ms

    def after(self, seconds: float) -> int:
        """Sim time ``seconds`` from now."""
        return self.clock.now_ms + round(seconds * 1000)
