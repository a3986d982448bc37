"""``k8stui progress export FILE`` / ``k8stui progress import FILE``."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from k8stui.game.progress import ProgressBusy, ProgressStore, parse_export

MAX_IMPORT_BYTES = 16 * 1024 * 1024
EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle ``k8stui progress ...``."""
    try:
        store = ProgressStore()
    except ProgressBusy as exc:
        print(f"progress: {exc}", file=err)
        return EXIT_FAILED
    try:
        if store.notice:
            print(f"progress: {store.notice}", file=err)
        if args.progress_command == "export":
            return _export(store, args, out, err)
        return _import(store, args, out, err)
    except ProgressBusy as exc:
        print(f"progress: {exc}", file=err)
        return EXIT_FAILED
    finally:
        store.close()


def _export(store: ProgressStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    records = store.all()
    text = json.dumps(store.export_json(), indent=2, allow_nan=False) + "\n"
    try:
        args.file.write_text(text, "utf-8")
    except OSError as exc:
        print(f"{args.file}: cannot be written: {exc.strerror or exc}", file=err)
        return EXIT_FAILED
    print(f"exported {len(records)} level record(s) to {args.file}", file=out)
    return EXIT_OK


def _import(store: ProgressStore, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        if not args.file.is_file() or args.file.stat().st_size > MAX_IMPORT_BYTES:
            print(f"{args.file}: not a readable progress export", file=err)
            return EXIT_INVALID
        text = args.file.read_bytes().decode("utf-8")
    except OSError as exc:
        print(f"{args.file}: cannot be read: {exc.strerror or exc}", file=err)
        return EXIT_INVALID
    except UnicodeDecodeError as exc:
        print(f"{args.file}: not UTF-8 text (byte {exc.start + 1})", file=err)
        return EXIT_INVALID
    try:
        data = parse_export(text)
    except ValueError as exc:
        print(f"{args.file}: {exc}", file=err)
        return EXIT_INVALID
    if not store.saving:
        print(f"{args.file}: not imported: progress cannot be saved", file=err)
        return EXIT_FAILED
    try:
        count = store.import_json(data)
    except ValueError as exc:
        print(f"{args.file}: {exc}", file=err)
        return EXIT_INVALID
    print(f"imported {count} level record(s)", file=out)
    return EXIT_OK
