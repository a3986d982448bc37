"""Building blocks shared by the describers (kubectl ``pkg/describe/describe.go``).

Describers write tab-separated text through ``DescribeWriter`` (kubectl's PrefixWriter: two spaces
per level) and the result is aligned by the Go tabwriter port with minwidth 0 and padding 2.
Format strings follow kubectl's, including its trailing spaces (``"%v \\t%v \\n"``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from k8stui.kubectl.duration import event_age, rfc1123z, timestamp_ms
from k8stui.kubectl.tabwriter import align_text

Obj = dict[str, Any]
_SKIP_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})
_MAX_ANNOTATION_LEN = 140


class DescribeWriter:
    """Collects describe output; ``flush`` aligns what was written so far (Go's Flush)."""

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._done: list[str] = []

    def write(self, level: int, text: str) -> None:
        """Write ``text`` prefixed by ``level`` two-space indents (only at the start)."""
        self._pending.append("  " * level + text)

    def flush(self) -> None:
        """Align and emit everything written since the last flush."""
        self._done.append(align_text("".join(self._pending), minwidth=0, padding=2))
        self._pending = []

    def result(self) -> str:
        """The finished text."""
        self.flush()
        return "".join(self._done)


def text(value: Any) -> str:
    """Go's ``%v`` for the scalar values found in API objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def labels_multiline(
    w: DescribeWriter, title: str, labels: Mapping[str, Any] | None, initial_indent: str = ""
) -> None:
    """``printLabelsMultilineWithIndent``: sorted ``k=v`` lines aligned on one column."""
    w.write(0, f"{initial_indent}{title}:\t")
    if not labels:
        w.write(0, "<none>\n")
        return
    for index, key in enumerate(sorted(labels)):
        if index:
            w.write(0, f"{initial_indent}\t")
        w.write(0, f"{key}={text(labels[key])}\n")


def annotations_multiline(
    w: DescribeWriter, title: str, annotations: Mapping[str, Any] | None
) -> None:
    """``printAnnotationsMultiline``: like labels but ``k: v``, long values on their own lines."""
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {}) if k not in _SKIP_ANNOTATIONS)
    if not keys:
        w.write(0, "<none>\n")
        return
    for index, key in enumerate(keys):
        if index:
            w.write(0, "\t")
        value = text((annotations or {})[key]).removesuffix("\n")
        if len(value) + len(key) + 2 > _MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                cut = _MAX_ANNOTATION_LEN - 2
                w.write(0, f"\t  {line[:cut] + '...' if len(line) > cut else line}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def describe_header(w: DescribeWriter, meta: Obj, *extra: str, namespaced: bool = True) -> None:
    """How kubectl's describers start: Name, Namespace, the ``extra`` lines, Labels, Annotations.

    ``extra`` lines (``"Selector:\tapp=web"``) go between the namespace and the labels;
    ``namespaced`` False leaves the Namespace line out (cluster-scoped kinds).
    """
    w.write(0, f"Name:\t{text(meta.get('name'))}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{text(meta.get('namespace'))}\n")
    for line in extra:
        w.write(0, line + "\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))


def controller_line(w: DescribeWriter, obj: Obj) -> None:
    """``Controlled By:  Kind/name`` when the object has a controller."""
    owner = controlled_by(obj)
    if owner:
        w.write(0, f"Controlled By:\t{owner}\n")


SourceFields = Callable[[Obj], list[tuple[str, str]]]
"""A volume source's fields as describe lists them, from the source's own object."""


def describe_source(
    w: DescribeWriter, holder: Obj, kinds: Sequence[tuple[str, str, SourceFields]]
) -> bool:
    """Write the first volume source of ``holder`` that ``kinds`` knows; False if none.

    Each of ``kinds`` is (field, its ``Type:`` text, its fields): kubectl prints the type and
    then each field four spaces further in.
    """
    for field, kind, fields in kinds:
        if holder.get(field) is not None:
            lines = "".join(
                f"    {label}:\t{value}\n" for label, value in fields(holder[field] or {})
            )
            w.write(2, f"Type:\t{kind}\n{lines}")
            return True
    return False


def toleration_text(toleration: Mapping[str, Any]) -> str:
    """One toleration as ``key[=value][:Effect][ op=Exists][ for Ns]``."""
    key = text(toleration.get("key"))
    value = text(toleration.get("value"))
    effect = text(toleration.get("effect"))
    out = key
    if value:
        out += f"={value}"
    if effect:
        out += f":{effect}"
    if toleration.get("operator") == "Exists" and not value:
        out += " op=Exists" if key or effect else "op=Exists"
    if toleration.get("tolerationSeconds") is not None:
        out += f" for {toleration['tolerationSeconds']}s"
    return out


def tolerations_multiline(w: DescribeWriter, title: str, tolerations: list[Obj] | None) -> None:
    """``printTolerationsMultilineWithIndent``: sorted by key, one per line."""
    w.write(0, f"{title}:\t")
    if not tolerations:
        w.write(0, "<none>\n")
        return
    ordered = sorted(tolerations, key=lambda t: text(t.get("key")))
    for index, toleration in enumerate(ordered):
        if index:
            w.write(0, "\t")
        w.write(0, toleration_text(toleration) + "\n")


def taint_text(taint: Mapping[str, Any]) -> str:
    """``Taint.ToString``: ``key=value:Effect`` or ``key:Effect``."""
    key, value, effect = text(taint.get("key")), text(taint.get("value")), text(taint.get("effect"))
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def controlled_by(obj: Obj) -> str:
    """``printController``: ``Kind/name`` of the controller owner reference, or ``""``."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def controller_uid(obj: Obj) -> str | None:
    """UID of the controller owner reference, if any."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return str(ref.get("uid", ""))
    return None


def _event_sort_key(event: Obj) -> int:
    # SortableEvents orders by series.lastObservedTime, else lastTimestamp, else eventTime.
    series = event.get("series") or {}
    stamp = series.get("lastObservedTime") or event.get("lastTimestamp") or event.get("eventTime")
    try:
        return timestamp_ms(stamp) if isinstance(stamp, str) and stamp else -(2**62)
    except ValueError:
        return -(2**62)


def describe_events(w: DescribeWriter, events: list[Obj], now_ms: int) -> None:
    """``DescribeEvents``: ``Events:  <none>`` or the Type/Reason/Age/From/Message table."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()  # kubectl flushes here, so the events table aligns on its own
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in sorted(events, key=_event_sort_key):
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        w.write(
            1,
            f"{text(event.get('type'))}\t{text(event.get('reason'))}\t{event_age(event, now_ms)}"
            f"\t{text(source)}\t{text(event.get('message')).strip()}\n",
        )


def format_rfc1123z(timestamp: Any) -> str:
    """Absolute time as describe prints it."""
    return rfc1123z(timestamp)
