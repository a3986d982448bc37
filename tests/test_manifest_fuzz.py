"""Fuzzing: any text, bytes or mutated manifest yields documents or clean errors, never a crash.

Default runs are modest; ``K8STUI_FUZZ=1`` switches to a campaign of 10,000 examples each.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8stui.engine.apiserver.defaults import apply_defaults
from k8stui.engine.apiserver.validation import validate_object, warnings
from k8stui.manifests import SIMULATED, ManifestError, check_object, load_documents
from k8stui.manifests.schema import quick_valid, validator_for

settings.register_profile(
    "manifests",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "manifests-fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
PROFILE = settings.get_profile(
    "manifests-fuzz" if os.environ.get("K8STUI_FUZZ") == "1" else "manifests"
)

FIXTURES = Path(__file__).parent / "fixtures" / "kubectl"
SEEDS = [p.read_text() for p in sorted(FIXTURES.iterdir()) if p.suffix in (".yaml", ".json")]
SEEDS.append(
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia\n  labels: {app: kubia}\nspec:\n"
    "  containers:\n  - name: main\n    image: luksa/kubia\n    ports:\n    - containerPort: 8080\n"
    "  tolerations:\n  - {key: a, operator: Exists}\n"
)
SEEDS.append(
    "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  replicas: 2\n"
    "  template:\n    metadata: {labels: {app: x}}\n    spec:\n      containers:\n"
    "      - {name: c, image: x}\n"
)
YAML_BITS = [
    "\n",
    " ",
    "  ",
    "\t",
    "-",
    "- ",
    ":",
    ": ",
    "---\n",
    "...\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "!!str ",
    "!tag ",
    "|",
    ">",
    "#",
    "'",
    '"',
    "?",
    "<<: ",
    "~",
    "null",
    "0x1F",
    "1e9",
    ".nan",
    "\x00",
    "\ufeff",
    "é",
    "kind: List\nitems:\n",
    "apiVersion: v1\n",
    "kind: Pod\n",
]


def run_everything(text: str | bytes) -> None:
    result = load_documents(text, "fuzz.yaml")
    for error in result.errors:
        assert isinstance(error, ManifestError)
        assert error.line >= 1 and error.column >= 1
        assert str(error).startswith("fuzz.yaml:")
    if not result.documents:
        assert result.errors, "no documents must come with an error"
    for doc in result.documents:
        assert isinstance(doc.obj, dict)
        json.dumps(doc.obj)  # plain JSON data only
        line, column = doc.position(("spec", "containers", 0, "image"))
        assert line >= 1 and column >= 1
        for error in check_object(doc):
            assert error.line >= 1 and error.message
        defaulted = apply_defaults(doc.obj)
        for obj in (doc.obj, defaulted):
            for field_error in validate_object(obj):
                assert str(field_error)
            warnings(obj)


@settings(PROFILE)
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    run_everything(text)


@settings(PROFILE)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    run_everything(data)


@settings(PROFILE)
@given(st.lists(st.sampled_from(YAML_BITS) | st.text(max_size=6), max_size=60))
def test_yaml_shaped_noise(parts: list[str]) -> None:
    run_everything("".join(parts))


@st.composite
def mutated_manifest(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        bit = draw(st.sampled_from(YAML_BITS) | st.text(max_size=4))
        end = min(len(text), at + draw(st.integers(1, 8)))
        if action == "insert":
            text = text[:at] + bit + text[at:]
        elif action == "delete":
            text = text[:at] + text[end:]
        else:
            text = text[:at] + bit + text[end:]
    return text


@settings(PROFILE)
@given(mutated_manifest())
def test_mutated_manifests(text: str) -> None:
    run_everything(text)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def mutated_object(draw: st.DrawFn) -> str:
    [doc] = load_documents(draw(st.sampled_from(SEEDS))).documents
    obj = doc.obj
    paths: list[tuple[dict[str, object] | list[object], str | int]] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                paths.append((node, key))
                collect(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                paths.append((node, index))
                collect(value)

    collect(obj)
    for _ in range(draw(st.integers(1, 3))):
        parent, key = draw(st.sampled_from(paths))
        parent[key] = draw(JSON_VALUES)  # type: ignore[index]
    as_json = draw(st.booleans())
    return json.dumps(obj) if as_json else json.dumps(obj, indent=2)


@settings(PROFILE)
@given(mutated_object())
def test_mutated_objects_as_json(text: str) -> None:
    run_everything(text)


@settings(PROFILE)
@given(mutated_object())
def test_fast_validity_agrees_with_jsonschema(text: str) -> None:
    """The fast path may only skip jsonschema when jsonschema would find nothing."""
    result = load_documents(text)
    for doc in result.documents:
        pair = (doc.obj.get("apiVersion"), doc.obj.get("kind"))
        if pair not in SIMULATED:
            continue  # other kinds never reach the schema check
        full = list(validator_for(*pair).iter_errors(doc.obj))
        assert quick_valid(doc.obj) == (not full)


HUGE_SCALARS = st.sampled_from(
    [
        "0x" + "f" * 4000,
        "1" + "0" * 5000,
        "-" + "9" * 400,
        "1e309",
        "-1e999999999",
        "0b" + "1" * 200,
        "0o" + "7" * 300,
        '"1e999999999"',
        '"1.5.3"',
        '".inf"',
        '"NaN"',
        '"0x10"',
        ".inf",
        "9223372036854775808",
        "18446744073709551616",
        "2147483648",
    ]
)


@st.composite
def huge_scalar_manifest(draw: st.DrawFn) -> str:
    """A seed with one scalar value replaced by a huge or malformed number."""
    text = draw(st.sampled_from(SEEDS))
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if ": " in line]
    if not candidates:
        return text
    at = draw(st.sampled_from(candidates))
    key = lines[at].split(": ", 1)[0]
    lines[at] = f"{key}: {draw(HUGE_SCALARS)}"
    return "\n".join(lines)


@settings(PROFILE)
@given(huge_scalar_manifest())
def test_huge_scalars(text: str) -> None:
    run_everything(text)
    for doc in load_documents(text).documents:
        for error in check_object(doc):
            assert "set_int_max_str_digits" not in error.message


@st.composite
def alias_amplification(draw: st.DrawFn) -> str:
    """An anchored value (a big string or a nested list of them) aliased many times."""
    size = draw(st.sampled_from([10, 1_000, 100_000, 1_500_000]))
    aliases = draw(st.integers(1, 3_000))
    nested = draw(st.booleans())
    head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    if nested:
        body = f"x: &s [{'a' * size}, {'b' * size}]\ny: &t [*s, *s, *s]\ndata:\n"
        ref = "t"
    else:
        body = f"data:\n  a: &s {'x' * size}\n"
        ref = "s"
    return head + body + "".join(f"  k{i}: *{ref}\n" for i in range(aliases))


@settings(PROFILE)
@given(alias_amplification())
def test_alias_amplification_is_bounded(text: str) -> None:
    result = load_documents(text, "fuzz.yaml")
    for doc in result.documents:
        assert len(json.dumps(doc.obj)) <= 4 * 3_145_728  # what aliases expand to is capped
    run_everything(text)
