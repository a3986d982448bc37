"""Which objects a command line names: ``TYPE [NAME...]``, ``TYPE/NAME...``, ``-l``, ``-A``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8stui.engine.apimachinery import field_selectors
from k8stui.engine.apimachinery.selectors import Selector, SelectorSyntaxError, parse_selector
from k8stui.engine.apiserver.resources import Resource
from k8stui.kubectl.commands.base import Invocation, KubectlError
from k8stui.kubectl.commands.resources import UnknownResource, resolve, resolve_list

Obj = dict[str, Any]


@dataclass
class Target:
    """One resource type and the names asked for (None: every object of the type)."""

    res: Resource
    names: list[str] | None


def parse_targets(args: list[str]) -> list[Target]:
    """Resolve ``TYPE[,TYPE] [NAME...]`` or ``TYPE/NAME...`` arguments."""
    try:
        if any("/" in arg for arg in args):
            if not all("/" in arg for arg in args):
                raise KubectlError(
                    "error: there is no need to specify a resource type as a separate argument "
                    "when passing arguments in resource/name form (e.g. 'kubectl get "
                    "resource/<resource_name>' instead of 'kubectl get resource "
                    "resource/<resource_name>'"
                )
            targets: list[Target] = []
            for arg in args:
                type_word, _, name = arg.partition("/")
                if not name:
                    raise KubectlError(
                        "error: arguments in resource/name form must have a single resource and name"
                    )
                res = resolve(type_word)
                same = next((t for t in targets if t.res == res), None)
                if same is not None and same.names is not None:
                    same.names.append(name)
                else:
                    targets.append(Target(res, [name]))
            return targets
        resources = resolve_list(args[0])
        names = args[1:] or None
        return [Target(res, list(names) if names else None) for res in resources]
    except UnknownResource as exc:
        raise KubectlError(f"error: {exc}") from None


def label_selector(text: str | None) -> Selector | None:
    """Parse ``-l``; kubectl's client-side parse errors."""
    if not text:
        return None
    try:
        return parse_selector(text)
    except SelectorSyntaxError as exc:
        raise KubectlError(f"error: {exc}") from None


def field_filter(
    res: Resource, text: str | None, label_text: str | None
) -> list[tuple[str, bool, str]]:
    """Parse ``--field-selector`` into (path, equal?, value) terms, refusing unknown fields."""
    terms: list[tuple[str, bool, str]] = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        if "!=" in part:
            path, value = part.split("!=", 1)
            equal = False
        elif "==" in part:
            path, value = part.split("==", 1)
            equal = True
        elif "=" in part:
            path, value = part.split("=", 1)
            equal = True
        else:
            raise KubectlError(f"error: invalid selector: '{text}'; can't understand '{part}'")
        path = path.strip()
        if path not in field_selectors.supported(res.kind):
            group = f"{res.group}/{res.version}" if res.group else f"/{res.version}"
            raise KubectlError(
                f'Error from server (BadRequest): Unable to find "{group}, Resource={res.plural}" '
                f'that match label selector "{label_text or ""}", field selector "{text}": '
                f"field label not supported: {path}"
            )
        terms.append((path, equal, value.strip()))
    return terms


def _sort_key(obj: Obj) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def select(
    inv: Invocation,
    res: Resource,
    *,
    all_namespaces: bool = False,
    selector: Selector | None = None,
    fields: list[tuple[str, bool, str]] | None = None,
) -> list[Obj]:
    """Every object of ``res`` in scope that matches, in the API server's (key) order."""
    namespace = None if all_namespaces or not res.namespaced else inv.namespace
    objects = inv.cluster.list(res.kind, namespace)
    if selector is not None:
        objects = [o for o in objects if selector.matches((o.get("metadata") or {}).get("labels"))]
    for path, equal, value in fields or []:
        objects = [o for o in objects if (field_selectors.field_value(o, path) == value) == equal]
    return sorted(objects, key=_sort_key)


def no_resources(inv: Invocation, res: Resource | None, all_namespaces: bool) -> str:
    """``No resources found in default namespace.`` (or without a namespace when not scoped)."""
    if all_namespaces or (res is not None and not res.namespaced):
        return "No resources found"
    return f"No resources found in {inv.namespace} namespace."


def target_objects(
    inv: Invocation, args: list[str], selector: Selector | None
) -> list[tuple[Target, Obj]]:
    """The objects a command's ``TYPE NAME...`` / ``TYPE -l SEL`` / ``TYPE --all`` words name.

    A missing name is reported and skipped, as kubectl goes on with the others.
    """
    found: list[tuple[Target, Obj]] = []
    for target in parse_targets(args):
        if target.names is None:
            if not selector and not inv.flag("all"):
                raise KubectlError("error: resource(s) were provided, but no name was specified")
            found += [(target, obj) for obj in select(inv, target.res, selector=selector)]
            continue
        for name in target.names:
            try:
                found.append((target, inv.lookup(target.res, name)))
            except KubectlError as exc:
                inv.out.fail(exc.text)
    return found
