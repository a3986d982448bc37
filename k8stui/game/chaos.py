"""Turning a chaos level's incident stream into the steps of its wave (deterministic).

The schedule depends only on the level and the seed: a ``random.Random`` seeded from both
chooses each incident by weight, so a replay with the same seed meets the same trouble at
the same times, and a different seed gives a different run of the same level.
"""

from __future__ import annotations

import random

from k8stui.game.chaos_models import Chaos
from k8stui.game.wave_models import Wave, WaveStep

CHAOS_WAVE = "chaos"


def incident_steps(chaos: Chaos, seed: int) -> list[WaveStep]:
    """Every step of the stream: incidents (and their recoveries), in time order."""
    rng = random.Random(f"k8stui-chaos:{seed}")
    end = chaos.minutes * 60
    weights = [incident.weight for incident in chaos.incidents]
    steps: list[WaveStep] = []
    at, gap = chaos.first_after, chaos.every
    while at < end:
        incident = rng.choices(chaos.incidents, weights=weights)[0]
        steps.append(
            WaveStep(
                at=round(at, 3), fault=incident.fault, apply=incident.apply, note=incident.name
            )
        )
        back = at + incident.recover_after
        if incident.recover is not None and back < end:
            steps.append(
                WaveStep(at=round(back, 3), fault=incident.recover, note=f"{incident.name}: over")
            )
        at += gap
        gap = max(chaos.min_every, gap * chaos.speedup)
    return sorted(steps, key=lambda step: step.at)


def chaos_wave(chaos: Chaos, seed: int) -> Wave:
    """The generated wave the player starts to begin surviving."""
    # Built without validation: the stream may be longer than a hand-written wave may be.
    return Wave.model_construct(
        name=CHAOS_WAVE,
        start_at=None,
        duration=chaos.minutes * 60,
        steps=incident_steps(chaos, seed),
    )
