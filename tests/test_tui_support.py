"""A small, fixed level pack and helpers for the TUI tests (no tests here).

The TUI tests use this pack instead of the built-in one so their flows and snapshots do not
change whenever the curriculum is edited.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from k8stui.game.models import Level
from k8stui.tui.app import K8sTuiApp, ScreenName, make_app

POD = """apiVersion: v1
kind: Pod
metadata:
  name: kubia
spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports:
    - containerPort: 8080
"""
RC = """apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
"""
LEVELS: list[dict[str, Any]] = [
    {
        "format": 1,
        "id": "write-a-manifest",
        "title": "Write a manifest",
        "summary": "Describe a pod in YAML and post it to the API server.",
        "concepts": ["C9"],
        "briefing": "# Write a manifest\n\nDescribe a **Pod** named `kubia` in `pod.yaml`, then apply it.",
        "files": {"pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia\n"},
        "goals": [{"type": "pods", "selector": {"name": "kubia"}, "ready": 1}],
        "hints": [
            "A pod needs spec.containers.",
            "A container needs a name and an image.",
            "image: luksa/kubia",
        ],
        "solution": {"files": {"pod.yaml": POD}, "steps": [{"apply": "pod.yaml"}]},
        "par": {"time": 60, "commands": 1},
    },
    {
        "format": 1,
        "id": "node-down",
        "title": "Node down",
        "summary": "Keep three replicas running while a worker crashes.",
        "concepts": ["C10", "C11"],
        "briefing": "# Node down\n\nKeep three `kubia` replicas running while a worker crashes.",
        "setup": {"timings": {"node_monitor_grace_period": 20, "default_toleration_seconds": 10}},
        "files": {"rc.yaml": RC},
        "goals": [{"type": "pods", "selector": {"labels": {"app": "kubia"}}, "ready": 3}],
        "waves": [
            {
                "name": "a worker crashes",
                "duration": 90,
                "steps": [
                    {"at": 2, "fault": {"kind": "crash-node", "target": {"node": "worker-1"}}}
                ],
            }
        ],
        "hints": ["A ReplicationController replaces lost pods.", "Apply rc.yaml.", "Then press w."],
        "solution": {
            "files": {"rc.yaml": RC},
            "steps": [{"apply": "rc.yaml"}, {"wait": 30}, {"wave": "start"}, {"wait": 95}],
        },
        "par": {"time": 240, "commands": 1},
    },
]


WORKERS = [{"name": f"worker-{i}"} for i in range(1, 6)]
# Five workers (six nodes), a command goal and a hint: the layout, goal and hint tests' level.
WIDE_LEVEL: dict[str, Any] = {
    "format": 1,
    "id": "five-workers",
    "title": "Five workers",
    "summary": "A wide cluster.",
    "concepts": ["C14"],
    "briefing": "# Five workers\n\nRun three kubia replicas and list the pods.",
    "setup": {
        "nodes": [
            {
                "name": "control-plane",
                "role": "control-plane",
                "taints": [
                    {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
                ],
            },
            *WORKERS,
        ]
    },
    "files": {"rc.yaml": RC},
    "goals": [
        {"type": "pods", "selector": {"labels": {"app": "kubia"}}, "ready": 3},
        {"title": "you listed the pods", "type": "command", "prefix": "kubectl get pods"},
    ],
    "hints": ["Apply rc.yaml.", "Press F5 in the editor.", "kubectl get pods lists them."],
    "solution": {"files": {"rc.yaml": RC}, "steps": [{"apply": "rc.yaml"}, {"wait": 30}]},
    "par": {"time": 60, "commands": 2},
}


def test_pack(*, wide: bool = False) -> Any:
    """The pack as the app sees one (``manifest.title``, ``levels``); ``wide`` adds
    :data:`WIDE_LEVEL` at the end."""
    levels = [Level.model_validate(data) for data in [*LEVELS, *([WIDE_LEVEL] if wide else [])]]
    return SimpleNamespace(id="tests", manifest=SimpleNamespace(title="Test pack"), levels=levels)


test_pack.__test__ = False  # type: ignore[attr-defined]  # a factory, not a test


def tui_app(
    tmp_path: Path | None = None,
    *,
    screen: ScreenName = "select",
    level: str | None = None,
    tour: bool = False,
    wide: bool = False,
) -> K8sTuiApp:
    """The app on the test pack, clock paused, progress in ``tmp_path`` (or a fresh folder).

    The first-run tour is marked as seen unless ``tour`` is True.
    """
    folder = tmp_path or Path(tempfile.mkdtemp(prefix="k8stui-test-"))
    if not tour and not (folder / "preferences.json").exists():
        (folder / "preferences.json").write_text('{"tour_done": true}', encoding="utf-8")
    return make_app(
        progress_path=folder / "progress.db",
        screen=screen,
        level=level,
        paused=True,
        packs=[test_pack(wide=wide)],
    )


async def ready(pilot: Any) -> None:
    """Wait until the game data has loaded (it loads after the first frame)."""
    while pilot.app.progress is None:
        await asyncio.sleep(0.01)
    await pilot.pause()
