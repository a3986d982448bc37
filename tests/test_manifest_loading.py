"""load_documents: YAML/JSON text -> Documents with positions, or one clean positioned error."""

from __future__ import annotations

import time

import pytest

from k8stui.manifests import Document, ManifestError, load_documents

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: kubia
  labels:
    app: kubia
spec:
  containers:
  - name: main
    image: luksa/kubia
    ports:
    - containerPort: 8080
      protocol: TCP
"""


def only_error(text: str | bytes, filename: str = "pod.yaml") -> ManifestError:
    result = load_documents(text, filename)
    assert result.documents == [] or result.errors, result
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_single_document_values_and_positions() -> None:
    result = load_documents(POD, "pod.yaml")
    assert result.errors == []
    [doc] = result.documents
    assert doc.obj["spec"]["containers"][0]["ports"][0]["containerPort"] == 8080
    assert doc.index == 0 and doc.filename == "pod.yaml" and doc.item is None
    assert doc.position(("apiVersion",)) == (1, 1)
    assert doc.position(("metadata", "labels", "app")) == (6, 5)
    assert doc.position(("spec", "containers", 0, "image")) == (10, 5)
    assert doc.position(("spec", "containers", 0, "ports", 0, "protocol")) == (13, 7)


def test_position_falls_back_to_nearest_ancestor() -> None:
    [doc] = load_documents(POD).documents
    assert doc.position(("spec", "containers", 0, "imagee")) == doc.position(
        ("spec", "containers", 0)
    )
    assert doc.position(("spec", "nodeName")) == (7, 1)
    assert doc.position(()) == (1, 1)


def test_manifest_error_str_has_file_line_column() -> None:
    err = ManifestError("pod.yaml", 7, 5, "spec.x", "boom")
    assert str(err) == "pod.yaml:7:5: boom"


def test_multi_document_order_and_empty_documents_skipped() -> None:
    text = "---\n# only a comment\n---\n" + POD + "---\n---\napiVersion: v1\nkind: Namespace\n"
    result = load_documents(text)
    assert result.errors == []
    assert [d.obj["kind"] for d in result.documents] == ["Pod", "Namespace"]
    assert [d.index for d in result.documents] == [1, 3]
    assert result.documents[1].position(("kind",)) == (20, 1)


@pytest.mark.parametrize("text", ["", "   \n", "# nothing\n", "---\n---\n", "~\n"])
def test_no_objects_is_an_error(text: str) -> None:
    err = only_error(text)
    assert str(err) == "pod.yaml:1:1: no objects passed to apply"


def test_json_input_has_positions_and_tabs_are_fine() -> None:
    text = '{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n\t"metadata": {"name": "x"}\n}\n'
    [doc] = load_documents(text).documents
    assert doc.obj == {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}
    assert doc.position(("kind",)) == (3, 2)
    assert doc.position(("metadata", "name")) == (4, 15)


def test_list_kind_expands_into_items_with_their_positions() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n"
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n"
    )
    result = load_documents(text)
    assert result.errors == []
    assert [(d.obj["kind"], d.item) for d in result.documents] == [("Service", 0), ("Pod", 1)]
    assert result.documents[1].position(("metadata", "name")) == (11, 5)
    assert result.documents[1].position(()) == (8, 3)


def test_list_item_that_is_not_an_object() -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n- 42\n"
    result = load_documents(text, "l.yaml")
    assert len(result.documents) == 1
    assert [str(e) for e in result.errors] == [
        "l.yaml:6:3: expected a Kubernetes object (a mapping with apiVersion, kind, metadata, "
        "...), found a number"
    ]


def test_yaml_syntax_error_uses_parser_mark() -> None:
    err = only_error("a: [1, 2\nb: 3\n")
    assert (err.line, err.column) == (2, 2)
    assert err.message.startswith("error converting YAML to JSON: yaml: did not find expected")


def test_tab_indentation_is_named() -> None:
    err = only_error("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n")
    assert str(err) == (
        "pod.yaml:4:1: found a tab character in indentation: YAML indentation must use "
        "spaces, not tabs"
    )


def test_non_utf8_bytes() -> None:
    err = only_error(b"apiVersion: v1\nkind: P\xffod\n")
    assert str(err) == "pod.yaml:2:8: invalid UTF-8 byte 0xff: manifests must be UTF-8 text"


def test_utf8_bytes_with_bom_are_fine() -> None:
    result = load_documents("\ufeff".encode() + POD.encode())
    assert result.errors == [] and result.documents[0].obj["kind"] == "Pod"


def test_control_characters_rejected() -> None:
    err = only_error("a: b\x01\n")
    assert (err.line, err.column) == (1, 5)
    assert "control characters are not allowed" in err.message


def test_duplicate_key() -> None:
    err = only_error("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n")
    assert str(err) == 'pod.yaml:5:3: mapping key "name" already defined at line 4'
    assert err.path == "metadata.name"


def test_non_string_key() -> None:
    err = only_error("apiVersion: v1\ndata:\n  80: http\n")
    assert str(err) == (
        'pod.yaml:3:3: mapping keys must be strings, found integer 80; quote it ("80") if a '
        "string is meant"
    )


def test_complex_key() -> None:
    err = only_error("? [a, b]\n: c\n")
    assert err.message == "invalid map key: a mapping key must be a string"


@pytest.mark.parametrize(
    ("text", "found"),
    [("- a\n- b\n", "a list"), ("hello\n", "a string"), ("42\n", "a number")],
)
def test_document_that_is_not_an_object(text: str, found: str) -> None:
    err = only_error(text)
    assert err.message.endswith(f"found {found}")
    assert (err.line, err.column) == (1, 1)


def test_second_document_error_keeps_the_first() -> None:
    result = load_documents(POD + "---\na: 1\na: 2\n---\napiVersion: v1\nkind: Namespace\n")
    assert [d.obj["kind"] for d in result.documents] == ["Pod", "Namespace"]
    assert [(e.line, e.column) for e in result.errors] == [(16, 1)]


def test_alias_bomb_rejected_fast() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    started = time.perf_counter()
    err = only_error("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert "too many alias expansions" in err.message
    assert err.line > 1


def test_small_aliases_and_merge_keys_work() -> None:
    text = "base: &b {app: web, tier: front}\nlabels:\n  <<: *b\n  tier: back\ncopy: *b\n"
    [doc] = load_documents(text).documents
    assert doc.obj["labels"] == {"tier": "back", "app": "web"}
    assert doc.obj["copy"] == {"app": "web", "tier": "front"}
    doc.obj["copy"]["app"] = "changed"
    assert doc.obj["base"]["app"] == "web"  # aliases do not share structure


def test_recursive_alias_rejected() -> None:
    err = only_error("a: &x [1, *x]\n")
    assert err.message == 'alias "*x" refers to its own enclosing node'


def test_undefined_alias() -> None:
    assert only_error("a: *nope\n").message == 'found undefined alias "*nope"'


@pytest.mark.parametrize(
    "text", ["[" * 50_000 + "]" * 50_000, "- " * 50_000 + "x\n"], ids=["flow", "block"]
)
def test_deep_nesting_rejected_fast(text: str) -> None:
    started = time.perf_counter()
    err = only_error(text)
    assert time.perf_counter() - started < 1.0
    assert err.message == "nesting is deeper than 100 levels"


def test_document_over_3_mib_rejected() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  big: " + "x" * 3_145_728 + "\n"
    err = only_error(text)
    assert err.message == (
        "document is larger than the API server's request limit of 3145728 bytes"
    )


def test_document_just_under_the_limit_is_accepted() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  big: " + "x" * 3_000_000 + "\n"
    result = load_documents(text)
    assert result.errors == []


def test_scalars_resolve_like_kubectl() -> None:
    text = (
        "a: 2001-12-14\nb: 1:30\nc: 0x1F\nd: 1e3\ne: yes\nf: off\ng: 010\nh: '80'\n"
        "i: ~\nj: 1.5\nk: y\nl: !!str 42\nm: -7\n"
    )
    [doc] = load_documents(text).documents
    assert doc.obj == {
        "a": "2001-12-14",
        "b": "1:30",
        "c": 31,
        "d": 1000.0,
        "e": True,
        "f": False,
        "g": 8,
        "h": "80",
        "i": None,
        "j": 1.5,
        "k": "y",
        "l": "42",
        "m": -7,
    }


@pytest.mark.parametrize("text", ["a: .nan\n", "a: -.inf\n"])
def test_nan_and_infinity_rejected(text: str) -> None:
    assert "is not a JSON number" in only_error(text).message


def test_unknown_tags_rejected_without_constructing_anything() -> None:
    err = only_error("a: !!python/object/apply:os.system ['echo hi']\n")
    assert err.message.startswith("unsupported YAML tag")


def test_document_error_helper() -> None:
    [doc] = load_documents(POD, "pod.yaml").documents
    err = doc.error(("spec", "containers", 0, "image"), "nope")
    assert str(err) == "pod.yaml:10:5: nope" and err.path == "spec.containers[0].image"
    assert isinstance(doc, Document)
