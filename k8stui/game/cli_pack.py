"""``k8stui pack check PATH`` and ``k8stui pack schema`` for level authors."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from k8stui.game.models import Level, PackManifest
from k8stui.game.proving import check_pack


def schema(which: str = "level") -> dict[str, Any]:
    """The JSON Schema of level files or of ``pack.yaml``."""
    model = Level if which == "level" else PackManifest
    data = model.model_json_schema(by_alias=True)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return data


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui pack ...``."""
    if args.pack_command == "schema":
        json.dump(schema(args.which), out, indent=2)
        out.write("\n")
        return 0
    if not args.path.exists():
        print(f"{args.path}: no such file or folder", file=err)
        return 2
    report = check_pack(args.path)
    out.write(report.render() + "\n")
    return 0 if report.ok else 1
