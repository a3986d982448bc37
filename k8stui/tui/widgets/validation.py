"""Live validation of editor text: YAML syntax and the strict schema check, with positions."""

from __future__ import annotations

from typing import Any


def validate(text: str, filename: str) -> list[Any]:
    """Every problem in ``text`` as ``ManifestError`` (1-based ``line``/``column``, ``message``).

    The manifests package loads JSON schemas on first use, so it is imported here, inside the
    editor's worker thread, and never on start-up.
    """
    from k8stui.manifests import check_object, load_documents

    result = load_documents(text, filename)
    problems = list(result.errors)
    for document in result.documents:
        problems.extend(check_object(document))
    return sorted(problems, key=lambda p: (p.line, p.column))
