"""``k8stui progress export FILE`` / ``k8stui progress import FILE``."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from k8stui.game.progress import ProgressStore

MAX_IMPORT_BYTES = 16 * 1024 * 1024


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui progress ...``."""
    store = ProgressStore()
    try:
        if store.notice:
            print(store.notice, file=err)
        if args.progress_command == "export":
            args.file.write_text(json.dumps(store.export_json(), indent=2) + "\n", "utf-8")
            print(f"exported {len(store.all())} level record(s) to {args.file}", file=out)
            return 0
        if not args.file.is_file() or args.file.stat().st_size > MAX_IMPORT_BYTES:
            print(f"{args.file}: not a readable progress export", file=err)
            return 2
        try:
            count = store.import_json(json.loads(args.file.read_text("utf-8")))
        except (ValueError, UnicodeDecodeError) as exc:
            print(f"{args.file}: {exc}", file=err)
            return 2
        print(f"imported {count} level record(s)", file=out)
        return 0
    finally:
        store.close()
