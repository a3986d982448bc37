"""CRUD on every served kind: get, list (selectors, pages, tables), create, replace, patch, delete.

Each handler does its engine work synchronously (no ``await`` between reading and writing
the cluster), so requests apply one at a time, in arrival order, at the sim time they are
handled.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aiohttp import web

from k8stui.engine.apimachinery import field_selectors
from k8stui.engine.apimachinery.selectors import Selector, SelectorSyntaxError, parse_selector
from k8stui.engine.apiserver.resources import Resource
from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.kubectl.live_view import LiveView
from k8stui.server import bodies
from k8stui.server.derived import DERIVED, derived_get, derived_list
from k8stui.server.metrics import METRICS, metrics_not_found
from k8stui.server.patching import apply_patch, record_manager
from k8stui.server.paths import Target
from k8stui.server.respond import Answer, answer
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError, from_api_error
from k8stui.server.tables import objects_table, wants_table
from k8stui.server.validation import check_fields

Obj = dict[str, Any]


def bad_request(message: str) -> StatusError:
    """A 400 BadRequest."""
    return StatusError(400, message, "BadRequest")


def namespace_of(target: Target) -> str:
    """The namespace a request acts in ("" for cluster-scoped kinds)."""
    if not target.res.namespaced:
        return ""
    return target.namespace or ""


def not_found(res: Resource, name: str) -> StatusError:
    """``pods "x" not found`` with the details kubectl reads."""
    return StatusError(
        404, f'{res.qualified} "{name}" not found', "NotFound", {"name": name, "kind": res.plural}
    )


def live_object(cluster: Cluster, target: Target, name: str | None = None) -> Obj:
    """The stored (or derived) object a path names (404 when absent)."""
    name = name or target.name or ""
    if target.res in DERIVED:
        obj = derived_get(cluster, target.res, namespace_of(target) or "default", name)
    else:
        obj = cluster.get(target.res.kind, name, namespace_of(target) or "default")
    if obj is None and target.res in METRICS:
        raise metrics_not_found(cluster, target.res, namespace_of(target) or "default", name)
    if obj is None:
        raise not_found(target.res, name)
    return obj


def engine_error(exc: ApiError, res: Resource, name: str) -> StatusError:
    """An engine ApiError as a Status (Invalid keeps its causes)."""
    return from_api_error(exc, res.kind, res.plural, name)


def label_selector(request: web.Request) -> Selector | None:
    """``labelSelector`` (400 for bad syntax)."""
    text = request.query.get("labelSelector", "")
    if not text:
        return None
    try:
        return parse_selector(text)
    except SelectorSyntaxError as exc:
        raise bad_request(f"unable to parse requirement: {exc}") from None


def field_terms(request: web.Request, res: Resource) -> list[field_selectors.Term]:
    """``fieldSelector`` terms (400 for bad syntax or unsupported fields)."""
    try:
        return field_selectors.parse(request.query.get("fieldSelector", ""), res.kind)
    except field_selectors.FieldSelectorError as exc:
        raise bad_request(str(exc)) from None


def selected(
    cluster: Cluster, res: Resource, namespace: str | None, request: web.Request
) -> list[Obj]:
    """Objects of a collection path that match the selectors, in key order."""
    labels = label_selector(request)
    terms = field_terms(request, res)
    scope = namespace if res.namespaced else None
    if res in DERIVED:
        objects = derived_list(cluster, res, scope)
    else:
        objects = cluster.list(res.kind, scope)
    found = [
        o
        for o in objects
        if (labels is None or labels.matches((o.get("metadata") or {}).get("labels")))
        and (not terms or field_selectors.matches(o, terms))
    ]
    return sorted(found, key=_key)


def _key(obj: Obj) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _page(request: web.Request, objects: list[Obj], revision: int) -> tuple[list[Obj], str]:
    token = request.query.get("continue", "")
    if token:
        try:
            data = json.loads(base64.b64decode(token.encode(), validate=True))
            start = (str(data["start"][0]), str(data["start"][1]))
        except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
            raise bad_request("continue key is not valid: invalid continue token") from None
        objects = [o for o in objects if _key(o) > start]
    limit_text = request.query.get("limit", "")
    try:
        limit = int(limit_text) if limit_text else 0
    except ValueError:
        raise bad_request(f"invalid limit: {limit_text!r}") from None
    if limit <= 0 or len(objects) <= limit:
        return objects, ""
    page = objects[:limit]
    last = _key(page[-1])
    raw = json.dumps({"rv": revision, "start": list(last)}).encode()
    return page, base64.b64encode(raw).decode()


def include_object(request: web.Request) -> str:
    """``includeObject``: None, Metadata (the default) or Object."""
    value = request.query.get("includeObject", "Metadata")
    return value if value in ("None", "Metadata", "Object") else "Metadata"


def list_collection(state: ServerState, request: web.Request, target: Target) -> Answer:
    """GET on a collection (not a watch)."""
    cluster = state.cluster
    res = target.res
    objects = selected(cluster, res, target.namespace, request)
    rv = str(cluster.revision)
    page, token = _page(request, objects, cluster.revision)
    if wants_table(request.headers.get("Accept", "")):
        table = objects_table(res.kind, page, LiveView(cluster), include_object(request), rv, token)
        return answer(state, table)
    meta: Obj = {"resourceVersion": rv}
    if token:
        meta["continue"] = token
        meta["remainingItemCount"] = len(objects) - len(page)
    body = {
        "kind": f"{res.kind}List",
        "apiVersion": res.api_version,
        "metadata": meta,
        "items": page,
    }
    return answer(state, body)


def get_object(state: ServerState, request: web.Request, target: Target) -> Answer:
    """GET on one object (a one-row Table when asked)."""
    cluster = state.cluster
    obj = live_object(cluster, target)
    if wants_table(request.headers.get("Accept", "")):
        table = objects_table(
            target.res.kind, [obj], LiveView(cluster), include_object(request), ""
        )
        return answer(state, table)
    return answer(state, obj)


def _dry_run(request: web.Request) -> bool:
    values = request.query.getall("dryRun", [])
    for value in values:
        if value != "All":
            raise bad_request(f'Invalid dry run value: "{value}"; supported values: "All"')
    return bool(values)


def _check_identity(obj: Obj, res: Resource, namespace: str) -> None:
    kind = obj.get("kind")
    if kind not in (None, "", res.kind):
        raise bad_request(
            f"the API version in the data ({obj.get('apiVersion')}) does not match the expected "
            f"API version ({res.api_version})"
            if obj.get("apiVersion") not in (None, "", res.api_version)
            else f"the kind in the data ({kind}) does not match the expected kind ({res.kind})"
        )
    obj["kind"] = res.kind
    obj["apiVersion"] = res.api_version
    meta = obj.get("metadata")
    if meta is None:
        meta = obj["metadata"] = {}
    if not isinstance(meta, dict):
        raise bad_request("metadata must be an object")
    if res.namespaced:
        given = meta.get("namespace")
        if given and given != namespace:
            raise bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )
        meta["namespace"] = namespace
    else:
        meta.pop("namespace", None)
    _drop_null_times(obj.get("spec"))


def _drop_null_times(value: Any) -> None:
    """Clients send ``creationTimestamp: null`` in templates; the zero time is no field."""
    if isinstance(value, dict):
        inner = value.get("metadata")
        if (
            isinstance(inner, dict)
            and "creationTimestamp" in inner
            and inner["creationTimestamp"] is None
        ):
            del inner["creationTimestamp"]
        for item in value.values():
            if isinstance(item, (dict, list)):
                _drop_null_times(item)
    elif isinstance(value, list):
        for item in value:
            _drop_null_times(item)


# Set by the server on create, whatever the client sent (clients send creationTimestamp: null).
_SERVER_OWNED = (
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "generation",
    "selfLink",
)


def warning_header(warnings: list[str]) -> dict[str, str]:
    """The ``Warning`` header for ``warnings`` (code 299, as the API server sends them)."""
    if not warnings:
        return {}
    # Each warning is an RFC 7234 quoted string: quotes and backslashes inside are escaped,
    # or client-go cannot parse the header and shows nothing.
    quoted = (w.replace("\\", "\\\\").replace('"', '\\"') for w in warnings)
    return {"Warning": ", ".join(f'299 - "{w}"' for w in quoted)}


def _unshift(state: ServerState, obj: Obj) -> Obj:
    from k8stui.server.timeshift import unshift

    shifted: Obj = unshift(obj, state.time_map().delta())
    return shifted


def create_object(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """POST on a collection."""
    obj = bodies.decode_object(body, bodies.media_type(request))
    obj = _unshift(state, obj)
    namespace = target.namespace or "default"
    _check_identity(obj, target.res, namespace)
    for key in _SERVER_OWNED:
        obj["metadata"].pop(key, None)
    warnings = check_fields(obj, request.query.get("fieldValidation", ""))
    dry_run = _dry_run(request)
    name = str(obj["metadata"].get("name") or "")
    if not name and not obj["metadata"].get("generateName"):
        raise StatusError(
            422,
            f'{target.res.kind} "" is invalid: metadata.name: Required value: name or generateName is required',
            "Invalid",
            {
                "kind": target.res.kind,
                "causes": [
                    {
                        "reason": "FieldValueRequired",
                        "message": "Required value: name or generateName is required",
                        "field": "metadata.name",
                    }
                ],
            },
        )
    cluster = state.cluster
    record_manager(state, request, target.res.kind, None, obj)
    try:
        result = cluster.create(obj, dry_run=dry_run)
    except ApiError as exc:
        raise engine_error(exc, target.res, name) from None
    return answer(state, result.obj, 201, warning_header(warnings + list(result.warnings)))


def _conflict(res: Resource, name: str) -> StatusError:
    return StatusError(
        409,
        f'Operation cannot be fulfilled on {res.qualified} "{name}": the object has been '
        "modified; please apply your changes to the latest version and try again",
        "Conflict",
        {"name": name, "group": res.group, "kind": res.plural},
    )


def check_version(live: Obj, given: Obj, res: Resource) -> None:
    """Optimistic concurrency: a resourceVersion in the body must be the live one (409)."""
    wanted = (given.get("metadata") or {}).get("resourceVersion")
    if wanted and str(wanted) != str(live["metadata"].get("resourceVersion")):
        raise _conflict(res, str(live["metadata"].get("name")))


def replace_object(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """PUT on an object."""
    obj = _unshift(state, bodies.decode_object(body, bodies.media_type(request)))
    namespace = target.namespace or "default"
    _check_identity(obj, target.res, namespace)
    name = target.name or ""
    if obj["metadata"].get("name") not in (None, name):
        raise bad_request(
            f"the name of the object ({obj['metadata'].get('name')}) does not match the name on the URL ({name})"
        )
    obj["metadata"]["name"] = name
    warnings = check_fields(obj, request.query.get("fieldValidation", ""))
    cluster = state.cluster
    live = live_object(cluster, target)
    check_version(live, obj, target.res)
    record_manager(state, request, target.res.kind, live, obj)
    try:
        result = cluster.replace(obj, dry_run=_dry_run(request))
    except ApiError as exc:
        raise engine_error(exc, target.res, name) from None
    return answer(state, result.obj, 200, warning_header(warnings + result.warnings))


def patch_object(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """PATCH on an object: merge, strategic merge, JSON patch, or server-side apply."""
    cluster = state.cluster
    name = target.name or ""
    ctype = bodies.media_type(request)
    dry_run = _dry_run(request)
    live = cluster.get(target.res.kind, name, namespace_of(target) or "default")
    if live is None and ctype != bodies.APPLY_PATCH:
        raise not_found(target.res, name)
    patched = apply_patch(state, request, target, live, body, ctype)
    namespace = target.namespace or "default"
    _check_identity(patched, target.res, namespace)
    patched["metadata"]["name"] = name
    warnings = check_fields(patched, request.query.get("fieldValidation", ""))
    if ctype != bodies.APPLY_PATCH:
        record_manager(state, request, target.res.kind, live, patched)
    try:
        if live is None:
            result = cluster.create(patched, dry_run=dry_run)
            code = 201
        else:
            check_version(live, patched, target.res)
            result = cluster.replace(patched, dry_run=dry_run)
            code = 200
    except ApiError as exc:
        raise engine_error(exc, target.res, name) from None
    return answer(state, result.obj, code, warning_header(warnings + result.warnings))


def _delete_options(request: web.Request, body: bytes) -> Obj:
    options: Obj = {}
    if body.strip():
        value = bodies.parse_json(body)
        if not isinstance(value, dict):
            raise bad_request("DeleteOptions must be an object")
        options = value
    for key in ("gracePeriodSeconds", "propagationPolicy"):
        if key in request.query:
            options[key] = request.query[key]
    return options


def delete_one(cluster: Cluster, target: Target, name: str, options: Obj, dry_run: bool) -> Obj:
    """Delete one object with DeleteOptions (grace 0 means now, as ``--force``)."""
    res = target.res
    live = cluster.get(res.kind, name, namespace_of(target) or "default")
    if live is None:
        raise not_found(res, name)
    pre = options.get("preconditions") or {}
    if pre.get("uid") and pre["uid"] != live["metadata"].get("uid"):
        raise StatusError(
            409,
            f"Precondition failed: UID in precondition: {pre['uid']}, UID in object meta: "
            f"{live['metadata'].get('uid')}",
            "Conflict",
        )
    if pre.get("resourceVersion"):
        check_version(live, {"metadata": {"resourceVersion": pre["resourceVersion"]}}, res)
    if dry_run:
        return live
    grace_text = options.get("gracePeriodSeconds")
    try:
        grace = None if grace_text in (None, "") else int(grace_text)
    except (TypeError, ValueError):
        raise bad_request(f"invalid gracePeriodSeconds: {grace_text!r}") from None
    propagation = str(options.get("propagationPolicy") or "Background")
    if propagation not in ("Background", "Foreground", "Orphan"):
        raise bad_request(f'Unsupported value: "{propagation}"')
    try:
        return cluster.delete(
            res.kind,
            name,
            namespace_of(target) or "default",
            grace_period=grace,
            force=grace == 0,
            propagation=propagation,
        )
    except ApiError as exc:
        raise engine_error(exc, res, name) from None


def delete_object(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """DELETE on an object: the object as it is after the delete (terminating or gone)."""
    options = _delete_options(request, body)
    dry_run = _dry_run(request) or options.get("dryRun") == ["All"]
    removed = delete_one(state.cluster, target, target.name or "", options, dry_run)
    return answer(state, removed)


def delete_collection(
    state: ServerState, request: web.Request, target: Target, body: bytes
) -> Answer:
    """DELETE on a collection (``kubectl delete pods --all`` deletes one by one instead)."""
    options = _delete_options(request, body)
    dry_run = _dry_run(request)
    cluster = state.cluster
    removed = []
    for obj in selected(cluster, target.res, target.namespace, request):
        meta = obj["metadata"]
        one = Target(target.res, meta.get("namespace"), meta["name"], None)
        removed.append(delete_one(cluster, one, meta["name"], options, dry_run))
    body_out = {
        "kind": f"{target.res.kind}List",
        "apiVersion": target.res.api_version,
        "metadata": {"resourceVersion": str(cluster.revision)},
        "items": removed,
    }
    return answer(state, body_out)
