"""What a Dockerfile instruction does to the image being built, and how history records it."""

from __future__ import annotations

import json
from typing import Any

from k8stui.engine.images.dockerfile import Instruction
from k8stui.engine.images.model import Image


def is_dir_dest(step: Instruction) -> bool:
    """True if an ``ADD``/``COPY`` copies into a directory (a ``/`` destination or several sources)."""
    return step.words[-1].endswith("/") or len(step.words) > 2


def _go_list(words: list[str]) -> str:
    # Go's %q of a []string, which is how Docker records CMD/ENTRYPOINT in history.
    return "[" + " ".join(json.dumps(word) for word in words) + "]"


def nop_text(step: Instruction) -> str:
    """The text after ``#(nop)`` in a metadata instruction's ``created by``, as Docker records it."""
    if step.keyword in ("CMD", "ENTRYPOINT"):
        return f"{step.keyword} {_go_list(step.command())}"
    if step.keyword in ("ENV", "LABEL"):
        return f"{step.keyword} " + " ".join(f"{k}={v}" for k, v in step.pairs)
    if step.keyword == "WORKDIR":
        return f"WORKDIR {step.words[0]}"
    return step.original


def apply_config(image: Image, step: Instruction) -> Image:
    """The image config after a metadata instruction (Docker's semantics)."""
    keyword, update = step.keyword, dict[str, Any]()
    if keyword == "ENV":
        update["env"] = {**image.env, **dict(step.pairs)}
    elif keyword == "LABEL":
        update["labels"] = {**image.labels, **dict(step.pairs)}
    elif keyword == "EXPOSE":
        ports = {int(word.split("/")[0].split("-")[0]) for word in step.words}
        update["exposed_ports"] = sorted({*image.exposed_ports, *ports})
    elif keyword == "WORKDIR":
        path = step.words[0]
        update["workdir"] = path if path.startswith("/") else image.workdir.rstrip("/") + "/" + path
    elif keyword == "CMD":
        update["cmd"] = step.command()
    elif keyword == "ENTRYPOINT":
        # Setting ENTRYPOINT clears a CMD inherited from the base image.
        update["entrypoint"], update["cmd"] = step.command(), None
    elif keyword == "USER":
        update["user"] = step.words[0]
    return image.model_copy(update=update)
