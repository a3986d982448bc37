"""A generated class for the grading tests and benchmarks: a 3-level pack and N submissions.

The pack reuses three built-in levels (first-pod, manifest, scale). Submissions cycle through
kinds, each with a known grade: right answers (as folders and as zips), partly right, wrong,
a progress export, and hostile ones (zip slip, symlink, alias bomb, huge file, a code tag, a
zip bomb, not UTF-8).
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

LEVEL_FILES = ("01-first-pod.yaml", "03-manifest.yaml", "09-scale.yaml")
PACK_ID = "class-demo"
ROOT = Path(__file__).resolve().parent.parent

FIRST_POD = "kubectl run kubia --image=luksa/kubia --port=8080\nsleep 15\nkubectl get pods\n"
POD = """apiVersion: v1
kind: Pod
metadata:
  name: kubia-manual
  labels:
    creation_method: {method}
spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports:
    - containerPort: 8080
"""
SCALE = "kubectl scale rc kubia --replicas=5\nsleep 10\nkubectl scale rc kubia --replicas=3\nsleep 10\nstart-wave\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)

# kind -> (status, points, levels won, per level (won, stars, goals), reason fragment)
EXPECTED: dict[str, tuple[str, str, str, list[tuple[str, str, str]], str]] = {
    "right": (
        "graded",
        "7",
        "3",
        [("yes", "3", "2/2"), ("yes", "3", "2/2"), ("yes", "3", "3/3")],
        "",
    ),
    "rightzip": (
        "graded",
        "7",
        "3",
        [("yes", "3", "2/2"), ("yes", "3", "2/2"), ("yes", "3", "3/3")],
        "",
    ),
    "partial": (
        "graded",
        "3",
        "1",
        [("yes", "3", "2/2"), ("no", "0", "1/2"), ("no", "0", "0/3")],
        "",
    ),
    # The service of the scale level answers during the wave even if nobody scaled it.
    "wrong": ("graded", "2", "0", [("no", "0", "1/2"), ("no", "0", "0/2"), ("no", "0", "1/3")], ""),
    "export": (
        "graded",
        "4",
        "2",
        [("yes", "3", "2/2"), ("yes", "2", "2/2"), ("no", "0", "0/3")],
        "",
    ),
    "zipslip": ("rejected", "0", "0", [], "leaves the submission"),
    "symlink": ("rejected", "0", "0", [], "symlinks are not accepted"),
    "aliasbomb": ("rejected", "0", "0", [], "alias bomb"),
    "huge": ("rejected", "0", "0", [], "over the 262144 limit"),
    "pythontag": ("rejected", "0", "0", [], "tag:yaml.org,2002:python/object"),
    "zipbomb": ("rejected", "0", "0", [], "limit"),
    "binary": ("rejected", "0", "0", [], "not UTF-8"),
}
KINDS = list(EXPECTED)


def make_pack(folder: Path) -> Path:
    """A pack of three built-in levels."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in LEVEL_FILES:
        shutil.copy(ROOT / "levels" / name, folder / name)
    manifest = {
        "format": 1,
        "id": PACK_ID,
        "title": "Class demo",
        "version": "1.0.0",
        "author": "tests",
        "levels": list(LEVEL_FILES),
    }
    (folder / "pack.yaml").write_text(json.dumps(manifest), "utf-8")
    return folder


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")


def _zip(path: Path, files: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)


RIGHT: dict[str, str | bytes] = {
    "first-pod/commands.txt": FIRST_POD,
    "manifest/pod.yaml": POD.format(method="manual"),
    "scale/commands.txt": SCALE,
}


def make_submission(folder: Path, name: str, kind: str) -> Path:
    """One student's submission of ``kind``; returns its path."""
    path = folder / name
    if kind == "right":
        _write(path, RIGHT)
    elif kind == "rightzip":
        path = folder / f"{name}.zip"
        _zip(path, {f"{name}/{n}": c for n, c in RIGHT.items()})
    elif kind == "partial":
        _write(
            path,
            {
                "first-pod/commands.txt": FIRST_POD,
                "manifest/pod.yaml": POD.format(method="auto"),
            },
        )
    elif kind == "wrong":
        _write(
            path,
            {
                "first-pod/commands.txt": "kubectl get pods\n",
                "manifest/pod.yaml": POD.replace("kubia-manual", "other").format(method="manual"),
                "scale/commands.txt": "kubectl get rc\n",
            },
        )
    elif kind == "export":
        records = [
            {
                "pack": PACK_ID,
                "level": "first-pod",
                "status": "won",
                "best_stars": 3,
                "best_points": 100,
            },
            {
                "pack": PACK_ID,
                "level": "manifest",
                "status": "won",
                "best_stars": 2,
                "best_points": 80,
            },
            {"pack": PACK_ID, "level": "scale", "status": "started"},
        ]
        _write(path, {"progress.json": json.dumps({"format": 1, "levels": records})})
    elif kind == "zipslip":
        path = folder / f"{name}.zip"
        _zip(path, {"../../evil.yaml": "kind: Pod\n", "first-pod/commands.txt": FIRST_POD})
    elif kind == "symlink":
        _write(path, {"first-pod/commands.txt": FIRST_POD})
        (path / "manifest").mkdir()
        (path / "manifest" / "pod.yaml").symlink_to("/etc/passwd")
    elif kind == "aliasbomb":
        _write(path, {"manifest/pod.yaml": BOMB})
    elif kind == "huge":
        _write(path, {"manifest/pod.yaml": "# padding\n" * 40_000})
    elif kind == "pythontag":
        _write(
            path, {"manifest/pod.yaml": "kind: !!python/object/apply:os.system ['echo owned']\n"}
        )
    elif kind == "zipbomb":
        path = folder / f"{name}.zip"
        _zip(path, {"manifest/pod.yaml": b"#" * (64 * 1024 * 1024)})
    elif kind == "binary":
        _write(path, {"manifest/pod.yaml": b"\xff\xfe\x00kind: Pod"})
    else:  # pragma: no cover - a typo in a test
        raise ValueError(kind)
    return path


def make_class(folder: Path, count: int, kinds: list[str] | None = None) -> dict[str, str]:
    """``count`` submissions cycling through ``kinds`` (default: all); returns name -> kind."""
    folder.mkdir(parents=True, exist_ok=True)
    cycle = kinds or KINDS
    students = {}
    for index in range(count):
        kind = cycle[index % len(cycle)]
        name = f"student{index:03d}-{kind}"
        make_submission(folder, name, kind)
        students[name] = kind
    return students


def zip_bytes(files: dict[str, str]) -> bytes:
    """A zip in memory (for tests that hand-craft archives)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
