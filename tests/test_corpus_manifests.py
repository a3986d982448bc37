"""Every manifest of the *Kubernetes in Action* corpus gets the outcome its README describes.

The corpus lives in ``../shared/corpus`` beside the repository (never copied in); the tests
skip when it is absent. Expectations are derived here from the README's rules, independently
of k8stui's kind registry, plus a short list of files whose content is itself wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8stui.engine.apiserver.defaults import apply_defaults
from k8stui.engine.apiserver.validation import validate_object, warnings
from k8stui.manifests import Document, check_object, load_documents

CORPUS = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "kubernetes-in-action"
)
FILES = (
    sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))
    if CORPUS.is_dir()
    else []
)

SIMULATED = {
    ("v1", "Pod"),
    ("v1", "ReplicationController"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "Namespace"),
    ("v1", "Node"),
    ("v1", "Endpoints"),
    ("v1", "ConfigMap"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("v1", "PersistentVolume"),
    ("v1", "PersistentVolumeClaim"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("apps/v1", "StatefulSet"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("apps/v1", "DaemonSet"),
}
REMOVED_VERSIONS = {
    "extensions/v1beta1",
    "apps/v1beta1",
    "apps/v1beta2",
    "batch/v1beta1",
    "apiextensions.k8s.io/v1beta1",
}
# API groups of Kubernetes itself that the corpus uses.
BUILTIN_GROUPS = {
    "",
    "apps",
    "batch",
    "policy",
    "extensions",
    "networking.k8s.io",
    "storage.k8s.io",
    "rbac.authorization.k8s.io",
    "apiextensions.k8s.io",
}
# Files whose content a real 1.32 server rejects for reasons of their own.
SPECIAL = {
    # The book's typo: the field is publishNotReadyAddresses.
    "Chapter05/kubia-svc-publish-not-ready.yaml": [
        'Service in version "v1" cannot be handled as a Service: strict decoding error: '
        'unknown field "spec.publishNotReadyEndpoints"'
    ],
    # An "imaginary" custom resource written without apiVersion.
    "Chapter18/imaginary-kubia-website.yaml": ["error validating data: apiVersion not set"],
}


def outcome(doc: Document) -> str:
    """One result line per object, as the app would show it."""
    errors = check_object(doc)
    if errors:
        return "; ".join(e.message for e in errors)
    semantic = validate_object(apply_defaults(doc.obj)) + validate_object(doc.obj)
    return "; ".join(str(e) for e in semantic) or "accepted"


def expected_kind(api_version: str, kind: str) -> str:
    if (api_version, kind) in SIMULATED:
        return "accepted"
    if api_version in REMOVED_VERSIONS:
        return "removed"
    if api_version.rpartition("/")[0] not in BUILTIN_GROUPS:
        return "custom"  # CRDs and add-on APIs such as the service catalog
    return "not simulated"


def check_matches(line: str, expectation: str, api_version: str, kind: str) -> None:
    if expectation == "accepted":
        assert line == "accepted"
    elif expectation == "removed":
        assert line.startswith(f'no matches for kind "{kind}" in version "{api_version}". Hint: ')
        hint = line.split("Hint: ", 1)[1]
        assert "removed in Kubernetes" in hint
        assert "use apiVersion: " in hint or kind == "PodSecurityPolicy"
    elif expectation == "custom":
        assert line.startswith(f'no matches for kind "{kind}" in version "{api_version}"')
    else:
        assert line == (
            f"{kind} ({api_version}) is a valid Kubernetes kind, but k8stui does not simulate it yet"
        )


@pytest.mark.parametrize(
    "path",
    FILES or [pytest.param(None, marks=pytest.mark.skip(reason="../shared/corpus is absent"))],
    ids=[str(p.relative_to(CORPUS)) for p in FILES] or ["corpus-absent"],
)
def test_corpus_file(path: Path) -> None:
    name = str(path.relative_to(CORPUS))
    result = load_documents(path.read_bytes(), name)
    assert result.errors == [], [str(e) for e in result.errors]
    lines = [outcome(doc) for doc in result.documents]
    assert lines, "every corpus file holds at least one object"
    if name in SPECIAL:
        assert lines == SPECIAL[name]
        return
    for doc, line in zip(result.documents, lines, strict=True):
        api_version, kind = str(doc.obj.get("apiVersion")), str(doc.obj.get("kind"))
        check_matches(line, expected_kind(api_version, kind), api_version, kind)
        warnings(doc.obj)  # must not raise either


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_multi_document_files_give_one_line_per_document_in_order() -> None:
    path = CORPUS / "Chapter09" / "kubia-rc-and-service-v1.yaml"
    docs = load_documents(path.read_bytes(), path.name).documents
    assert [(d.obj["kind"], outcome(d)) for d in docs] == [
        ("ReplicationController", "accepted"),
        ("Service", "accepted"),
    ]
    assert docs[1].index == 1 and docs[1].position(("kind",))[0] > docs[0].position(("kind",))[0]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_list_files_expand_into_their_items() -> None:
    path = CORPUS / "Chapter10" / "persistent-volumes-hostpath.yaml"
    docs = load_documents(path.read_bytes(), path.name).documents
    assert [d.item for d in docs] == [0, 1, 2]
    assert [(d.obj["kind"], outcome(d)) for d in docs] == [("PersistentVolume", "accepted")] * 3
