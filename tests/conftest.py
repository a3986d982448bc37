"""Shared test settings: hypothesis profiles and the path to the shared corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

# Modest by default so the suite stays fast; K8STUI_FUZZ=1 runs the heavy fuzzing campaign.
settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile("fuzz" if os.environ.get("K8STUI_FUZZ") == "1" else "default")


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the repository (skip the test when it is absent)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``slow`` tests run under ``K8STUI_FUZZ=1`` or when ``-m`` names them; else they skip."""
    if os.environ.get("K8STUI_FUZZ") == "1" or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="heavy test: run with K8STUI_FUZZ=1 or -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
