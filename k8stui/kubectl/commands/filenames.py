"""``-f FILE|DIR|-``: reading manifests into objects, each remembering the file it came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8stui import manifests
from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.apiserver.resources import BY_KIND, Resource
from k8stui.kubectl import go_glob
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.files import FileTooLarge, NotRegularFile
from k8stui.manifests.loader import MAX_INPUT_BYTES, TAB_IN_INDENTATION
from k8stui.manifests.schema import decoder_report

Obj = dict[str, Any]

RECURSIVE_FLAG = Flag(
    "recursive",
    "R",
    "bool",
    False,
    "Process the directory used in -f, --filename recursively.",
)
FILENAME_FLAG = Flag(
    "filename",
    "f",
    "list",
    [],
    "Filename, directory, or '-' (the lines that follow, up to EOF)",
    split=True,
)
_MANIFEST_SUFFIXES = (".json", ".yaml", ".yml")  # (the order kubectl names them in)


@dataclass
class Sourced:
    """An object read from a manifest, with the path kubectl names in messages, and what the
    schema check found wrong with it (kubectl's text), if anything."""

    obj: Obj
    source: str
    problem: str | None = None

    @property
    def name(self) -> str:
        """``metadata.name`` ("" when missing)."""
        meta = self.obj.get("metadata")
        return str((meta if isinstance(meta, dict) else {}).get("name") or "")


class PathError(Exception):
    """A ``-f`` value that names nothing; kubectl reports them all before reading any."""


def _expand(inv: Invocation, given: str) -> list[str]:
    """The paths one ``-f`` value names: itself if it exists, else the paths its pattern
    matches (raises :class:`PathError` when there are none)."""
    if given == "-" or (given and inv.files.exists(given)):
        return [given]
    if not given:  # ("" is the working directory to the host, but to kubectl no path)
        raise PathError('the path "" does not exist')
    try:
        matches = go_glob.glob(inv.files, given)
    except go_glob.BadPattern as exc:
        raise PathError(f"pattern {go_quote(given)} is not valid: {exc}") from None
    if not matches:
        raise PathError(f"the path {go_quote(given)} does not exist")
    return matches


def _files(inv: Invocation, values: list[str]) -> list[str]:
    """The files (or ``-``) the ``-f`` values name, folders read; every value that names
    nothing is reported before any file is read, as kubectl's builder does."""
    files: list[str] = []
    problems: list[str] = []
    for given in values:
        try:
            matches = _expand(inv, given)
        except PathError as exc:
            problems.append(str(exc))
            continue
        for match in matches:
            files += _paths(inv, match)
        if not files and not problems:  # (kubectl counts the files of all values so far)
            problems.append(
                f"error reading [{' '.join(matches)}]: recognized file extensions are "
                f"[{' '.join(_MANIFEST_SUFFIXES)}]"
            )
    if problems:
        # One problem is an error; several are listed one per line, as kubectl does.
        raise KubectlError(f"error: {problems[0]}" if len(problems) == 1 else "\n".join(problems))
    return files


def _paths(inv: Invocation, path: str) -> list[str]:
    if path == "-":
        return [path]
    if inv.files.is_dir(path):
        # Only the folder's own files, as kubectl does, unless -R asks for the whole tree.
        recursive = bool(inv.parsed.values.get("recursive"))
        listed = inv.files.walk(path) if recursive else inv.files.list_dir(path)
        inside = [p for p in listed if p.endswith(_MANIFEST_SUFFIXES)]
        return [f"{path.rstrip('/')}/{p}" for p in inside]
    return [path]


def _read(inv: Invocation, path: str) -> bytes:
    """A manifest file's bytes, capped while reading (a huge file is never read whole)."""
    try:
        return inv.files.read_capped(path, MAX_INPUT_BYTES)
    except FileTooLarge:
        raise KubectlError(
            f"error: error parsing {path}: the file is larger than {MAX_INPUT_BYTES} "
            "bytes; split it into smaller files"
        ) from None
    except NotRegularFile:
        raise KubectlError(
            f"error: {path} is not a regular file: -f reads files, folders or - (the lines "
            "that follow)"
        ) from None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise KubectlError(f"error: open {path}: {reason}") from None


def problem_text(item: Sourced, errors: list[manifests.ManifestError], verb: str) -> str:
    """What kubectl prints for an object the schema check refused."""
    errors = decoder_report(errors)
    first = errors[0].message
    if "json: cannot unmarshal" in first and (errors[0].path or "").startswith("metadata"):
        # kubectl reads the metadata itself (for the name), so it fails before any request.
        detail = first[first.index("json: ") :]
        return f'error: unable to decode "{item.source}": {detail}'
    if "cannot be handled as a" in first:
        # The API server reports every decoding problem of one object in one message.
        prefix = first[: first.index("error:") + len("error:")] if "error:" in first else ""
        rest = [e.message.removeprefix(prefix).strip() for e in errors]
        body = f"{prefix} {', '.join(rest)}" if prefix else "; ".join(rest)
        return f'Error from server (BadRequest): error when {verb} "{item.source}": {body}'
    if first.startswith("error validating data"):
        return (
            f'error: error validating "{item.source}": {first}; if you choose to ignore these '
            "errors, turn validation off with --validate=false"
        )
    namespace = (item.obj.get("metadata") or {}).get("namespace") or ""
    text = (
        f'error: resource mapping not found for name: "{item.name}" namespace: "{namespace}" '
        f'from "{item.source}": {first}'
    )
    if "Hint:" not in first and "does not simulate" not in first:
        text += "\nensure CRDs are installed first"
    return text


def _documents(inv: Invocation, path: str, verb: str) -> list[Sourced]:
    text: str | bytes | None = inv.stdin if path == "-" else _read(inv, path)
    if text is None:
        raise KubectlError(
            "error: no objects passed to create (give the manifest on the lines that follow, "
            "ending with EOF)"
        )
    source = "STDIN" if path == "-" else path
    loaded = manifests.load_documents(text, source)
    if loaded.errors:
        first = loaded.errors[0]
        if first.message == TAB_IN_INDENTATION:  # go-yaml's scanner words it this way
            raise KubectlError(
                f"error: error parsing {source}: error converting YAML to JSON: yaml: line "
                f"{first.line}: found character that cannot start any token"
            )
        raise KubectlError(f"error: error parsing {source}: {first.message}")
    found = []
    for doc in loaded.documents:
        item = Sourced(doc.obj, source)
        errors = manifests.check_object(doc)
        if errors:
            item.problem = problem_text(
                item, errors, "creating" if verb != "delete" else "deleting"
            )
        found.append(item)
    return found


def resource_of(item: Sourced) -> Resource:
    """The served resource of an object (raises the schema check's complaint, if any)."""
    if item.problem:
        raise KubectlError(item.problem)
    kind = str(item.obj.get("kind") or "")
    res = BY_KIND.get(kind)
    if res is None:
        raise KubectlError(
            f'error: resource mapping not found for name: "{item.name}" namespace: "" from '
            f'"{item.source}": no matches for kind "{kind}" in version '
            f'"{item.obj.get("apiVersion")}"\nensure CRDs are installed first'
        )
    return res


def read_objects(inv: Invocation, verb: str = "create", *, local: bool = False) -> list[Sourced]:
    """Every object the ``-f`` flags name, namespaced by ``-n`` where they have none
    (``local``: left as the files have them, for commands that only print them)."""
    values = inv.flag("filename")
    if not values:
        raise KubectlError("error: must specify one of -f and -k")
    found: list[Sourced] = []
    for path in _files(inv, values):
        found += _documents(inv, path, verb)
    if not found:
        raise KubectlError(f"error: no objects passed to {verb}")
    for item in [] if local else found:
        _namespace(inv, item)
    return found


def _namespace(inv: Invocation, item: Sourced) -> None:
    meta = item.obj.get("metadata")
    if not isinstance(meta, dict):
        return
    res = BY_KIND.get(str(item.obj.get("kind") or ""))
    if res is not None and not res.namespaced:
        return
    own = meta.get("namespace")
    if own and inv.given("namespace") and own != inv.namespace:
        raise KubectlError(
            f'error: the namespace from the provided object "{own}" does not match the namespace '
            f"\"{inv.namespace}\". You must pass '--namespace={own}' to perform this operation."
        )
    if not own:
        meta["namespace"] = inv.namespace
