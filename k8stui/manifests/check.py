"""check_object: is this document a kind k8stui simulates, and is it well-formed?"""

from __future__ import annotations

from k8stui.engine.apiserver.quantity_fields import bad_quantity, decode_prefix
from k8stui.manifests.errors import ManifestError
from k8stui.manifests.kinds import Support, resolve
from k8stui.manifests.loader import Document
from k8stui.manifests.schema import check_schema


def _missing(doc: Document) -> list[ManifestError]:
    """kubectl's client-side texts for a missing or malformed apiVersion/kind."""
    problems: list[str] = []
    for key in ("apiVersion", "kind"):
        value = doc.obj.get(key)
        if value is None or value == "":
            problems.append(f"{key} not set")
        elif not isinstance(value, str):
            problems.append(f"{key} must be a string")
    if not problems:
        return []
    listed = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
    return [doc.error((), f"error validating data: {listed}")]


def check_object(doc: Document) -> list[ManifestError]:
    """Resolve the document's kind and check it strictly against the official schema.

    Returns an empty list for a well-formed object of a simulated kind. Otherwise: kubectl's
    ``apiVersion not set``/``kind not set`` texts, the API server's ``no matches for kind``
    (with a hint for removed versions), one "not simulated" line for real kinds k8stui does
    not model, or the schema errors (unknown fields, wrong types), each at its position.
    """
    missing = _missing(doc)
    if missing:
        return missing
    api_version, kind = doc.obj["apiVersion"], doc.obj["kind"]
    resolution = resolve(api_version, kind)
    if resolution.support is not Support.SIMULATED:
        return [doc.error(("kind",), resolution.message)]
    found = check_schema(doc)
    if not found:
        bad = bad_quantity(doc.obj)
        if bad is not None:
            found.append(doc.error(bad[0], decode_prefix(doc.obj) + bad[1]))
    return found
