"""``--validate=warn|ignore`` on apply: unknown fields are dropped instead of refused.

kubectl sends ``fieldValidation=Warn`` (``warn``) or ``Ignore`` (``ignore``, ``false``); the API
server then decodes the object without the fields its schema lacks, and with ``Warn`` answers
with one ``unknown field "PATH"`` warning each, which kubectl prints as ``Warning: ...``. Type
errors are refused in every mode: the decoder cannot read the object at all.
"""

from __future__ import annotations

import copy
from typing import Any

from k8stui import manifests
from k8stui.kubectl.commands.base import KubectlError
from k8stui.kubectl.commands.filenames import Sourced
from k8stui.manifests.loader import Document
from k8stui.manifests.schema import decoder_report
from k8stui.manifests.unknown_fields import drop_field, unknown_fields

Obj = dict[str, Any]
MODES = {
    "strict": "strict",
    "true": "strict",
    "warn": "warn",
    "ignore": "ignore",
    "false": "ignore",
}


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
    fields = unknown_fields([e.message for e in errors])
    obj = copy.deepcopy(item.obj)
    for path in fields:
        drop_field(obj, path)
    item.obj = obj
    item.problem = None
    return [f'unknown field "{f}"' for f in fields] if validate == "warn" else []
