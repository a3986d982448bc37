"""Level packs: load and validate ``pack.yaml`` and its level files, find installed packs.

Loading collects every defect it can find in one pass (schema errors with file:line:column,
missing referenced files, duplicate ids) so an author fixes them all at once.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from k8stui import __version__
from k8stui.game import locations, safeyaml
from k8stui.game.models import FileContent, FileRef, Level, PackManifest
from k8stui.game.pack_source import Issue, PackError, PackSource, read_source
from k8stui.manifests.decoding import decoding_failure

MAX_YAML_BYTES = 256 * 1024
M = TypeVar("M", bound=BaseModel)


@dataclass
class PackLevel:
    """A level with the pack file it came from and the positions of its values."""

    level: Level
    path: str
    located: safeyaml.Located


@dataclass
class Pack:
    """A loaded, schema-valid pack."""

    manifest: PackManifest
    source: PackSource
    entries: list[PackLevel] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The pack id."""
        return self.manifest.id

    @property
    def levels(self) -> list[Level]:
        """Levels in play order."""
        return [entry.level for entry in self.entries]

    def entry(self, level_id: str) -> PackLevel:
        """A level entry by id (KeyError when absent)."""
        for entry in self.entries:
            if entry.level.id == level_id:
                return entry
        raise KeyError(level_id)

    def level(self, level_id: str) -> Level:
        """A level by id (KeyError when absent)."""
        return self.entry(level_id).level

    def resolve(self, level_id: str, content: FileContent) -> str:
        """The text of a file given inline or by reference (relative to the level file)."""
        if isinstance(content, str):
            return content
        text = self.source.text(self.ref_path(level_id, content))
        if text is None:
            raise KeyError(content.from_)
        return text

    def ref_path(self, level_id: str, ref: FileRef | str) -> str:
        """Pack path of a reference written in a level file."""
        name = ref.from_ if isinstance(ref, FileRef) else ref
        base = posixpath.dirname(self.entry(level_id).path)
        return posixpath.normpath(posixpath.join(base, name))

    def starting_files(self, level_id: str) -> dict[str, str]:
        """The player's folder at the start of a level."""
        level = self.level(level_id)
        return {path: self.resolve(level_id, c) for path, c in level.files.items()}

    def solution_files(self, level_id: str) -> dict[str, str]:
        """Files the reference solution writes into the folder."""
        level = self.level(level_id)
        return {path: self.resolve(level_id, c) for path, c in level.solution.files.items()}

    def build_context(self, level_id: str, folder: str) -> dict[str, str]:
        """Text files of a pack folder used as a docker build context."""
        return self.source.folder(self.ref_path(level_id, folder))


def parse_model(model: type[M], text: str, filename: str) -> tuple[M | None, Any, list[Issue]]:
    """Validate ``text`` as ``model``: (object or None, located data, issues with positions)."""
    if len(text.encode()) > MAX_YAML_BYTES:
        return None, None, [Issue(filename, 0, 0, f"larger than {MAX_YAML_BYTES} bytes")]
    try:
        located = safeyaml.load(text, filename)
    except safeyaml.YamlError as exc:
        return None, None, [Issue(filename, exc.line, exc.column, exc.message)]
    if not isinstance(located.data, dict):
        return None, located, [Issue(filename, 1, 1, "expected a mapping at the top level")]
    try:
        return model.model_validate(located.data), located, []
    except ValidationError as exc:
        return None, located, issues_from(exc, located)


def issues_from(exc: ValidationError, located: safeyaml.Located) -> list[Issue]:
    """Pydantic errors as located issues, one per error, in file order."""
    issues = []
    errors = exc.errors(include_url=False)
    for error in errors:
        if _shadowed(error, errors):
            continue
        path = located.resolve(tuple(error["loc"]))
        line, column = located.position(path)
        issues.append(Issue(located.filename, line, column, f"{dotted(path)}: {message(error)}"))
    unique = {(i.line, i.column, i.message): i for i in issues}
    return sorted(unique.values(), key=lambda i: (i.line, i.column))


def _shadowed(error: Any, errors: list[Any]) -> bool:
    """A "not a string" complaint from the plain-text branch of a ``str | Model`` union is
    noise when the model branch explains the real problem at the same place."""
    loc = tuple(error["loc"])
    if not loc or loc[-1] != "str":
        return False
    base = loc[:-1]
    return any(tuple(o["loc"])[: len(base)] == base and o is not error for o in errors)


def dotted(path: tuple[Any, ...]) -> str:
    """``('goals', 0, 'ready')`` -> ``goals[0].ready``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def message(error: Any) -> str:
    """A pydantic error message in an author's terms."""
    kind = error.get("type")
    loc = error.get("loc") or ()
    last = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return f"unknown field {last!r}"
    if kind == "missing":
        return f"missing required field {last!r}"
    if kind == "union_tag_invalid":
        ctx = error.get("ctx") or {}
        return f"unknown type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return "missing 'type' (which check is this?)"
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def load_source(source: PackSource) -> Pack:
    """Validate a pack held in memory; raise :class:`PackError` listing every defect."""
    text = source.text("pack.yaml")
    if text is None:
        undecodable = source.not_text("pack.yaml")
        raise PackError(
            [undecodable or Issue("pack.yaml", 0, 0, "missing (every pack has a pack.yaml)")]
        )
    manifest, located, issues = parse_model(PackManifest, text, "pack.yaml")
    if manifest is None:
        raise PackError(issues)
    if _version(manifest.min_k8stui) > _version(__version__):
        line, col = located.position(("min_k8stui",))
        issues.append(
            Issue(
                "pack.yaml",
                line,
                col,
                f"needs k8stui {manifest.min_k8stui} (this is {__version__})",
            )
        )
    pack = Pack(manifest, source)
    seen: dict[str, str] = {}
    for index, path in enumerate(manifest.levels):
        level_text = source.text(path)
        if level_text is None:
            undecodable = source.not_text(path)
            if undecodable is not None:
                issues.append(undecodable)
                continue
            line, col = located.position(("levels", index))
            issues.append(Issue("pack.yaml", line, col, f"level file {path!r} is not in the pack"))
            continue
        level, level_located, level_issues = parse_model(Level, level_text, path)
        issues += level_issues
        if level is None:
            continue
        if level.id in seen:
            line, col = level_located.position(("id",))
            issues.append(
                Issue(path, line, col, f"level id {level.id!r} also used in {seen[level.id]}")
            )
            continue
        seen[level.id] = path
        pack.entries.append(PackLevel(level, path, level_located))
        issues += _missing_references(pack, pack.entries[-1])
        issues += _undecodable_objects(pack.entries[-1])
    if issues:
        raise PackError(issues, manifest.id)
    return pack


def _missing_references(pack: Pack, entry: PackLevel) -> list[Issue]:
    level, found = entry.level, []

    def missing(where: tuple[Any, ...], what: str) -> None:
        line, col = entry.located.position(where)
        found.append(Issue(entry.path, line, col, what))

    for section, files in (("files", level.files), ("solution", level.solution.files)):
        for name, content in files.items():
            if not isinstance(content, FileRef):
                continue
            target = pack.ref_path(level.id, content)
            if pack.source.text(target) is not None:
                continue
            undecodable = pack.source.not_text(target)
            if undecodable is not None:
                found.append(undecodable)
                continue
            where = (
                (section, name, "from")
                if section == "files"
                else ("solution", "files", name, "from")
            )
            missing(where, f"file {content.from_!r} is not in the pack")
    for index, image in enumerate(level.setup.images):
        if image.context is not None:
            context = pack.build_context(level.id, image.context)
            if "Dockerfile" not in context:
                missing(
                    ("setup", "images", index, "context"),
                    f"build context {image.context!r} has no Dockerfile",
                )
    return found


def _undecodable_objects(entry: PackLevel) -> list[Issue]:
    """Setup objects the API server's decoder would refuse (a label or a ConfigMap value
    written as a number): the engine creates them as they are, so they are refused here."""
    found = []
    for index, obj in enumerate(entry.level.setup.objects):
        failure = decoding_failure(obj)
        if failure is not None:
            where = ("setup", "objects", index, *failure.path)
            line, col = entry.located.position(where)
            found.append(Issue(entry.path, line, col, f"{dotted(where)}: {failure.message}"))
    return found


def load_pack(path: Path | str) -> Pack:
    """Load a pack folder or zip (raises :class:`PackError`)."""
    return load_source(read_source(Path(path)))


def builtin_pack() -> Pack:
    """The built-in curriculum."""
    return load_pack(locations.builtin_pack_dir())


def installed_pack_paths() -> list[Path]:
    """The built-in pack, then user packs (folders and zips) in name order."""
    paths = [locations.builtin_pack_dir()]
    user = locations.user_packs_dir()
    if user.is_dir():
        for item in sorted(user.iterdir()):
            if item.name.startswith("."):
                continue
            if item.is_dir() or item.suffix.lower() == ".zip":
                paths.append(item)
    return paths


@dataclass
class PackListing:
    """An installed pack: loaded, or the reason it could not be."""

    path: Path
    pack: Pack | None
    error: PackError | None = None

    def problem(self) -> str:
        """One line for the level list: which pack, and its first located error."""
        if self.error is None:
            return ""
        issues = self.error.issues
        name = f"{self.error.pack_id} ({self.path})" if self.error.pack_id else str(self.path)
        first = str(issues[0]) if issues else "cannot be loaded"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        return f"{name}: {first}{more}"


def available_packs(extra: list[Path] | None = None) -> list[PackListing]:
    """Every pack the game can offer (built-in, user folder, ``--pack`` paths).

    A pack that cannot be loaded is listed with its error; so is a pack whose id or level ids
    an earlier pack already offers (two versions of one pack side by side): levels are known
    by id, so only the first is played.
    """
    listings: list[PackListing] = []
    owners: dict[str, PackListing] = {}
    for path in [*installed_pack_paths(), *(extra or [])]:
        try:
            pack = load_pack(path)
        except PackError as exc:
            listings.append(PackListing(path, None, exc))
            continue
        except (RecursionError, MemoryError, ValueError, OSError) as exc:
            # A loader defect must not stop the game: the pack is listed as broken instead.
            issue = Issue(str(path), 0, 0, f"cannot be loaded ({type(exc).__name__}: {exc})")
            listings.append(PackListing(path, None, PackError([issue])))
            continue
        keys = [f"pack:{pack.id}", *(f"level:{level.id}" for level in pack.levels)]
        clash = next((owners[key] for key in keys if key in owners), None)
        if clash is not None and clash.pack is not None:
            shared = [k.replace(":", " ", 1) for k in keys if owners.get(k) is clash]
            issue = Issue(
                "pack.yaml",
                0,
                0,
                f"duplicate of {clash.path}, which is offered instead (both hold "
                f"{', '.join(shared[:4])}{', …' if len(shared) > 4 else ''})",
            )
            listings.append(PackListing(path, None, PackError([issue], pack.id)))
            continue
        listing = PackListing(path, pack)
        listings.append(listing)
        owners.update(dict.fromkeys(keys, listing))
    return listings
