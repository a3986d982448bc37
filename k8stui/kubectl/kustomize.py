"""A subset of kustomize: what ``kubectl kustomize DIR`` and ``kubectl apply -k DIR`` build.

Supported in ``kustomization.yaml``: ``resources`` (files, and folders with their own
kustomization: bases and overlays), ``namespace``, ``namePrefix``/``nameSuffix``,
``commonLabels`` (selectors too), ``labels`` (``pairs``, ``includeSelectors``,
``includeTemplates``), ``commonAnnotations``, ``images`` (``newName``, ``newTag``, ``digest``),
``replicas``, ``configMapGenerator``/``secretGenerator`` (``literals``, ``files``, ``envs``,
with the content-hash suffix, ``generatorOptions``), ``patches`` (strategic merge or JSON 6902,
by ``path`` or inline, with a ``target``), ``patchesStrategicMerge``. Other kustomize fields
are refused as not simulated; fields kustomize lacks are errors naming the file.

Paths are untrusted: a file a kustomization names must lie in or below its folder (kustomize's
own rule); only folders (bases) may be elsewhere, and a base that includes itself is refused.
Output is kustomize's: legacy kind order, then by name; generated names end with their hash
and every reference in a pod template follows the final names.
"""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass, field
from typing import Any

from k8stui import manifests
from k8stui.engine.apiserver.json_patch import apply_json_patch
from k8stui.engine.apiserver.resources import BY_KIND
from k8stui.engine.apiserver.strategic_merge import apply_strategic_merge_patch
from k8stui.engine.errors import ApiError
from k8stui.kubectl.files import Files
from k8stui.kubectl.kustomize_fields import (
    apply_images,
    fix_references,
    set_annotations,
    set_labels,
    sort_key,
)
from k8stui.kubectl.kustomize_generators import GeneratorError, generate, name_hash

Obj = dict[str, Any]
FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
MAX_DEPTH = 16
MAX_OBJECTS = 5000
SUPPORTED = frozenset(
    {
        *("apiVersion", "kind", "resources", "bases", "namespace", "namePrefix", "nameSuffix"),
        *("commonLabels", "labels", "commonAnnotations", "images", "replicas"),
        *("configMapGenerator", "secretGenerator", "generatorOptions", "patches"),
        "patchesStrategicMerge",
    }
)
NOT_SIMULATED = frozenset(
    {
        *("components", "crds", "helmCharts", "helmGlobals", "openapi", "replacements"),
        *("vars", "transformers", "generators", "validators", "buildMetadata"),
        *("sortOptions", "configurations", "patchesJson6902", "inventory", "metadata"),
        "helmChartInflationGenerator",
    }
)
_SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")
_DEPRECATED = {
    "commonLabels": "labels",
    "patchesStrategicMerge": "patches",
    "bases": "resources",
}


class KustomizeError(Exception):
    """A kustomization that cannot be built (the text names the file and the problem)."""


@dataclass
class Built:
    """The result: the objects in output order and kustomize's warnings."""

    objects: list[Obj]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Item:
    obj: Obj
    names: list[str]  # every name it had, the first as written
    hashed: bool = False


class _Builder:
    def __init__(self, files: Files) -> None:
        self.files = files
        self.warnings: list[str] = []
        self.count = 0

    def build(self, folder: str, stack: tuple[str, ...]) -> list[_Item]:
        folder = posixpath.normpath(folder)
        if folder in stack:
            raise KustomizeError(
                f"{folder}: the kustomization includes itself (through {stack[-1]})"
            )
        if len(stack) >= MAX_DEPTH:
            raise KustomizeError(f"{folder}: bases are nested more than {MAX_DEPTH} levels deep")
        path = self._kustomization_file(folder)
        k = self._load_kustomization(path)
        for old, new in _DEPRECATED.items():
            if old in k:
                self.warnings.append(
                    f"# Warning: '{old}' is deprecated. Please use '{new}' instead. Run "
                    "'kustomize edit fix' to update your Kustomization automatically."
                )
        items: list[_Item] = []
        for entry in _list(k, "resources", path) + _list(k, "bases", path):
            items += self._resource(folder, str(entry), path, (*stack, folder))
        items += self._generated(folder, k, path)
        for patch in _list(k, "patchesStrategicMerge", path):
            self._patch(
                items, {"path": patch} if isinstance(patch, str) else {"patch": patch}, folder, path
            )
        for patch in _list(k, "patches", path):
            if not isinstance(patch, dict):
                raise KustomizeError(f"{path}: each of patches must be a map with path or patch")
            self._patch(items, patch, folder, path)
        self._transform(items, k, path)
        return items

    def _kustomization_file(self, folder: str) -> str:
        if not self.files.is_dir(folder):
            raise KustomizeError(
                f"{folder}: not a folder (-k names a folder with a kustomization.yaml)"
            )
        for name in FILE_NAMES:
            candidate = posixpath.join(folder, name)
            if self.files.exists(candidate):
                return candidate
        raise KustomizeError(
            f"unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' "
            f"in directory '{folder}'"
        )

    def _load_kustomization(self, path: str) -> Obj:
        loaded = manifests.load_documents(self.files.read_capped(path, 1 << 20), path)
        if loaded.errors:
            first = loaded.errors[0]
            raise KustomizeError(f"{path}:{first.line}: {first.message}")
        if len(loaded.documents) != 1:
            raise KustomizeError(f"{path}: a kustomization is one YAML map")
        k = loaded.documents[0].obj
        for key in k:
            if key in NOT_SIMULATED:
                raise KustomizeError(f"{path}: '{key}' is not simulated by k8stui's kustomize")
            if key not in SUPPORTED:
                raise KustomizeError(f'{path}: invalid Kustomization: json: unknown field "{key}"')
        return k

    def _inside(self, folder: str, name: str, path: str) -> str:
        """A file of this kustomization (refused outside its folder, as kustomize does)."""
        joined = posixpath.normpath(posixpath.join(folder, name))
        if folder == ".":
            inside = joined != ".." and not joined.startswith("../")
        else:
            inside = joined.startswith(folder.rstrip("/") + "/")
        if posixpath.isabs(name) or not inside:
            raise KustomizeError(f"{path}: security; file '{name}' is not in or below '{folder}'")
        return joined

    def read(self, folder: str, name: str, path: str) -> str:
        """A file's text, for generators and patches."""
        target = self._inside(folder, name, path)
        if not self.files.exists(target) or self.files.is_dir(target):
            raise KustomizeError(f"{path}: file '{name}' does not exist")
        return self.files.read_capped(target, 1 << 20).decode("utf-8", "replace")

    def _resource(self, folder: str, entry: str, path: str, stack: tuple[str, ...]) -> list[_Item]:
        if entry.startswith(("http://", "https://", "git@", "github.com/")):
            raise KustomizeError(
                f"{path}: remote resource '{entry}': the simulated cluster has no network"
            )
        joined = posixpath.normpath(posixpath.join(folder, entry))
        if self.files.is_dir(joined):
            return self.build(joined, stack)
        target = self._inside(folder, entry, path)
        if not self.files.exists(target):
            raise KustomizeError(f"{path}: resource '{entry}' does not exist")
        loaded = manifests.load_documents(self.files.read_capped(target, 4 << 20), target)
        if loaded.errors:
            first = loaded.errors[0]
            raise KustomizeError(f"{target}:{first.line}: {first.message}")
        items = []
        for doc in loaded.documents:
            name = (doc.obj.get("metadata") or {}).get("name")
            if not isinstance(name, str) or not name:
                raise KustomizeError(f"{target}: every object needs metadata.name")
            items.append(_Item(copy.deepcopy(doc.obj), [name]))
        self.count += len(items)
        if self.count > MAX_OBJECTS:
            raise KustomizeError(f"{path}: more than {MAX_OBJECTS} objects")
        return items

    def _generated(self, folder: str, k: Obj, path: str) -> list[_Item]:
        options = k.get("generatorOptions") or {}
        items = []
        for kind, key in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
            for entry in _list(k, key, path):
                try:
                    obj, hashed = generate(
                        kind, entry, options, lambda n: self.read(folder, n, path), f"{path}: {key}"
                    )
                except GeneratorError as exc:
                    raise KustomizeError(str(exc)) from None
                items.append(_Item(obj, [obj["metadata"]["name"]], hashed))
        return items

    def _patch(self, items: list[_Item], patch: Obj, folder: str, path: str) -> None:
        text = patch.get("patch")
        if "path" in patch:
            text = self.read(folder, str(patch["path"]), path)
        if isinstance(text, dict):
            body: Any = text
        else:
            loaded = manifests.load_documents(str(text or ""), path)
            if loaded.errors or len(loaded.documents) != 1:
                body = _json_ops(str(text or ""), path)
            else:
                body = loaded.documents[0].obj
        target = patch.get("target") or {}
        if not isinstance(target, dict):
            raise KustomizeError(f"{path}: a patch target must be a map")
        if isinstance(body, list):
            chosen = [i for i in items if _matches(i, target)]
        else:
            wanted = {
                "kind": body.get("kind"),
                "name": (body.get("metadata") or {}).get("name"),
                **target,
            }
            chosen = [i for i in items if _matches(i, wanted)]
        if not chosen:
            raise KustomizeError(
                f"{path}: no object matches the patch (target {target or 'from the patch'})"
            )
        for item in chosen:
            try:
                if isinstance(body, list):
                    item.obj = apply_json_patch(item.obj, body)
                else:
                    merged = {
                        **body,
                        "metadata": {
                            **(body.get("metadata") or {}),
                            "name": item.obj["metadata"]["name"],
                        },
                    }
                    item.obj = apply_strategic_merge_patch(
                        item.obj, merged, str(item.obj.get("kind"))
                    )
            except ApiError as exc:
                raise KustomizeError(f"{path}: patch failed: {exc.message}") from None

    def _transform(self, items: list[_Item], k: Obj, path: str) -> None:
        namespace = k.get("namespace")
        prefix, suffix = str(k.get("namePrefix") or ""), str(k.get("nameSuffix") or "")
        labels = [({**(k.get("commonLabels") or {})}, True, True)] if k.get("commonLabels") else []
        for entry in _list(k, "labels", path):
            if not isinstance(entry, dict):
                raise KustomizeError(f"{path}: each of labels must be a map with pairs")
            pairs = entry.get("pairs") or {}
            selectors = bool(entry.get("includeSelectors"))
            labels.append((pairs, selectors, selectors or bool(entry.get("includeTemplates"))))
        for item in items:
            obj = item.obj
            meta = obj.setdefault("metadata", {})
            res = BY_KIND.get(str(obj.get("kind")))
            if isinstance(namespace, str) and namespace and (res is None or res.namespaced):
                meta["namespace"] = namespace
            if prefix or suffix:
                meta["name"] = f"{prefix}{meta['name']}{suffix}"
                item.names.append(meta["name"])
            for pairs, selectors, templates in labels:
                set_labels(obj, {str(a): str(b) for a, b in pairs.items()}, selectors, templates)
            if k.get("commonAnnotations"):
                set_annotations(obj, {str(a): str(b) for a, b in k["commonAnnotations"].items()})
            apply_images(obj, _list(k, "images", path))
            scalable = obj.get("kind") in _SCALABLE and isinstance(obj.get("spec"), dict)
            for replica in _list(k, "replicas", path):
                if scalable and isinstance(replica, dict) and replica.get("name") in item.names:
                    obj["spec"]["replicas"] = replica.get("count")


def _list(k: Obj, key: str, path: str) -> list[Any]:
    value = k.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise KustomizeError(f"{path}: {key} must be a list")
    return value


def _json_ops(text: str, path: str) -> list[Any]:
    import yaml

    try:
        ops = yaml.safe_load(text)
    except yaml.YAMLError:
        ops = None
    if not isinstance(ops, list):
        raise KustomizeError(
            f"{path}: a patch must be one object (strategic merge) or a list of JSON patch operations"
        )
    return ops


def _matches(item: _Item, target: Obj) -> bool:
    obj = item.obj
    if target.get("kind") and obj.get("kind") != target["kind"]:
        return False
    if target.get("name") and target["name"] not in item.names:
        return False
    namespace = target.get("namespace")
    return not namespace or (obj.get("metadata") or {}).get("namespace") == namespace


def build(files: Files, folder: str) -> Built:
    """Build the kustomization in ``folder`` (raises KustomizeError)."""
    builder = _Builder(files)
    items = builder.build(folder, ())
    renames: dict[tuple[str, str], str] = {}
    for item in items:
        meta = item.obj["metadata"]
        if item.hashed:
            meta["name"] = f"{meta['name']}-{name_hash(item.obj)}"
        renames[(str(item.obj.get("kind")), item.names[0])] = meta["name"]
    for item in items:
        fix_references(item.obj, renames)
    return Built(sorted((i.obj for i in items), key=sort_key), builder.warnings)
