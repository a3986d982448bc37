"""Manifests produced by the real kubectl (tests/fixtures/kubectl) are all accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8stui.engine.apiserver.defaults import apply_defaults
from k8stui.engine.apiserver.validation import validate_object, warnings
from k8stui.manifests import check_object, load_documents

FIXTURES = Path(__file__).parent / "fixtures" / "kubectl"
MANIFESTS = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json"))


def test_fixtures_record_the_kubectl_version() -> None:
    version = (FIXTURES / "kubectl-version.txt").read_text()
    assert version.startswith("Client Version: v1.32")
    assert "kubectl version --client" in (FIXTURES / "regenerate.sh").read_text()


@pytest.mark.parametrize("path", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_kubectl_output_is_accepted(path: Path) -> None:
    result = load_documents(path.read_text(), path.name)
    assert result.errors == []
    assert len(result.documents) == 1
    [doc] = result.documents
    assert check_object(doc) == []
    assert validate_object(doc.obj) == []
    defaulted = apply_defaults(doc.obj)
    assert validate_object(defaulted) == []
    assert warnings(defaulted) == []
    assert check_object(type(doc)(defaulted, 0, path.name)) == []  # defaults stay in schema


def test_fixture_set_covers_the_commands() -> None:
    kinds = set()
    for path in MANIFESTS:
        [doc] = load_documents(path.read_text(), path.name).documents
        kinds.add(doc.obj["kind"])
    assert kinds == {"Deployment", "Service", "Namespace", "ConfigMap"}
