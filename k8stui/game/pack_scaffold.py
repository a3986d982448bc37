"""``k8stui pack new NAME``: a new pack folder that already proves itself.

The folder gets ``pack.yaml``, one example level (a manifest to finish), the JSON Schemas of
both file kinds and a README. Each YAML file starts with a ``yaml-language-server`` modeline
pointing at its schema, so editors with the YAML language server (VS Code's YAML extension,
Neovim, Helix...) complete and check fields as the author types.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from k8stui.game.models import Level, PackManifest

LEVEL_FILE = "01-hello-pod.yaml"
SCHEMA_DIR = "schema"


class ScaffoldError(Exception):
    """The pack cannot be created here (the message says why)."""


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema with its draft declared."""
    data = model.model_json_schema(by_alias=True)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return data


def pack_id(name: str) -> str:
    """A pack id from a folder name: lowercase, dashes for anything else."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:63].strip("-")
    if not slug:
        raise ScaffoldError(f"{name!r} has no letters or digits to make a pack id from")
    return slug


def _modeline(schema: str) -> str:
    return f"# yaml-language-server: $schema={schema}\n"


PACK_YAML = """{modeline}format: 1
id: {pack_id}
title: {title}
version: "0.1.0"
author: {author}
description: >
  What a player learns from this pack, in a sentence or two.
levels:
  - {level_file}
"""

LEVEL_YAML = """{modeline}format: 1
id: hello-pod
title: Hello, pod
summary: Finish a pod manifest and apply it.
concepts: [C9]
briefing: |
  # Hello, pod

  `pod.yaml` describes a pod named **hello**, but its container has no image yet. Give it
  the image `luksa/kubia`, save, and apply the file (F5 in the editor, or
  `kubectl apply -f pod.yaml` in the console).
files:
  pod.yaml: |
    apiVersion: v1
    kind: Pod
    metadata:
      name: hello
    spec:
      containers:
      - name: hello
goals:
  - title: pod hello runs luksa/kubia and is ready
    type: pods
    selector: {{name: hello}}
    ready: 1
    image: luksa/kubia
hints:
  - "A container needs an image: the program it runs."
  - "Add an image: line under the container's name, at the same indentation."
  - "Add 'image: luksa/kubia' under '- name: hello', then apply pod.yaml."
solution:
  files:
    pod.yaml: |
      apiVersion: v1
      kind: Pod
      metadata:
        name: hello
      spec:
        containers:
        - name: hello
          image: luksa/kubia
  steps:
    - apply: pod.yaml
    - wait: 15
par: {{time: 60, commands: 3}}
"""

README = """# {title}

A level pack for [k8stui](https://pypi.org/project/k8stui/). Play it with
`k8stui play --pack {folder}`.

## Working on it

```sh
k8stui pack check {folder} --watch     # re-prove every level each time a file is saved
k8stui shell --level hello-pod --pack {folder} --echo < try.txt > session.txt
k8stui pack record --level hello-pod --pack {folder} session.txt   # a solution from a session
```

Each YAML file starts with a `yaml-language-server` line naming its schema in `{schema_dir}/`,
so an editor with the YAML language server completes and checks the fields. Regenerate the
schemas after upgrading k8stui with `k8stui pack schema level > {schema_dir}/level.schema.json`
(and `pack` for `pack.yaml`).

Levels are listed in `pack.yaml` in play order; docs/authoring.md in k8stui describes every
field, goal type and solution step.
"""


def scaffold(folder: Path, *, title: str | None = None, author: str = "me") -> list[Path]:
    """Create the pack in ``folder`` (new or empty); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder}: already exists and is not an empty folder")
    ident = pack_id(folder.resolve().name)
    shown = title or ident.replace("-", " ").capitalize()
    files = {
        "pack.yaml": PACK_YAML.format(
            modeline=_modeline(f"{SCHEMA_DIR}/pack.schema.json"),
            pack_id=ident,
            title=json.dumps(shown),
            author=json.dumps(author),
            level_file=LEVEL_FILE,
        ),
        LEVEL_FILE: LEVEL_YAML.format(modeline=_modeline(f"{SCHEMA_DIR}/level.schema.json")),
        f"{SCHEMA_DIR}/level.schema.json": json.dumps(json_schema(Level), indent=2) + "\n",
        f"{SCHEMA_DIR}/pack.schema.json": json.dumps(json_schema(PackManifest), indent=2) + "\n",
        "README.md": README.format(title=shown, folder=folder.name, schema_dir=SCHEMA_DIR),
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
