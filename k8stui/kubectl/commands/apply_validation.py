"""``--validate=warn|ignore`` on apply: unknown fields are dropped instead of refused.

kubectl sends ``fieldValidation=Warn`` (``warn``) or ``Ignore`` (``ignore``, ``false``); the API
server then decodes the object without the fields its schema lacks, and with ``Warn`` answers
with one ``unknown field "PATH"`` warning each, which kubectl prints as ``Warning: ...``. Type
errors are refused in every mode: the decoder cannot read the object at all.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from k8stui import manifests
from k8stui.kubectl.commands.base import KubectlError
from k8stui.kubectl.commands.filenames import Sourced
from k8stui.manifests.loader import Document
from k8stui.manifests.schema import decoder_report

Obj = dict[str, Any]
MODES = {
    "strict": "strict",
    "true": "strict",
    "warn": "warn",
    "ignore": "ignore",
    "false": "ignore",
}
_UNKNOWN = re.compile(r'unknown field "([^"]+)"')
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def mode(value: str) -> str:
    """``strict``, ``warn`` or ``ignore`` for a ``--validate`` value (kubectl's error else)."""
    found = MODES.get(value)
    if found is None:
        raise KubectlError(
            f'error: invalid - validate option "{value}"; must be one of: strict (or true), '
            "warn, ignore (or false)"
        )
    return found


def relax(item: Sourced, validate: str) -> list[str]:
    """Drop the unknown fields of ``item`` when ``validate`` allows them; the warnings to print.

    The item keeps its problem (and is refused later) when it has more than unknown fields.
    """
    if item.problem is None or validate == "strict":
        return []
    errors = decoder_report(manifests.check_object(Document(item.obj, 0)))
    if not errors or not all("strict decoding error" in e.message for e in errors):
        return []
    fields = [f for e in errors for f in _UNKNOWN.findall(e.message)]
    obj = copy.deepcopy(item.obj)
    for path in fields:
        _drop(obj, path)
    item.obj = obj
    item.problem = None
    return [f'unknown field "{f}"' for f in fields] if validate == "warn" else []


def _drop(obj: Obj, path: str) -> None:
    steps: list[str | int] = [int(index) if index else name for name, index in _STEP.findall(path)]
    node: Any = obj
    for step in steps[:-1]:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return
    last = steps[-1] if steps else None
    if isinstance(node, dict) and isinstance(last, str):
        node.pop(last, None)
