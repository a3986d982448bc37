"""Subresources: ``status``, ``scale`` (RC, RS, Deployment), ``eviction``, ``binding``.

(``log`` is in ``logs``; ``exec``, ``attach`` and ``portforward`` in ``streams``.)
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from k8stui.engine.apiserver import merge
from k8stui.engine.apiserver.merge import json_merge_patch
from k8stui.engine.clock import to_timestamp
from k8stui.engine.errors import ApiError
from k8stui.kubectl.printers import selector_string
from k8stui.server import bodies
from k8stui.server.patching import apply_patch
from k8stui.server.paths import Target
from k8stui.server.respond import Answer, answer
from k8stui.server.rest import (
    bad_request,
    check_version,
    delete_one,
    engine_error,
    live_object,
    namespace_of,
)
from k8stui.server.state import ServerState
from k8stui.server.status import StatusError, success_body

Obj = dict[str, Any]
SCALABLE = ("ReplicationController", "ReplicaSet", "Deployment")


def _scale_of(obj: Obj) -> Obj:
    meta = obj["metadata"]
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    selector = spec.get("selector")
    if obj["kind"] == "ReplicationController":
        text = ",".join(f"{k}={v}" for k, v in sorted((selector or {}).items()))
    else:
        text = selector_string(selector)
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            key: meta[key]
            for key in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if key in meta
        },
        "spec": {"replicas": int(spec.get("replicas", 1))},
        "status": {"replicas": int(status.get("replicas") or 0), "selector": text},
    }


def scale(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """GET / PUT / PATCH on ``…/scale``."""
    if target.res.kind not in SCALABLE:
        raise StatusError(404, "the server could not find the requested resource", "NotFound")
    cluster = state.cluster
    live = live_object(cluster, target)
    current = _scale_of(live)
    if request.method == "GET":
        return answer(state, current)
    if request.method == "PUT":
        wanted = bodies.decode_object(body, bodies.media_type(request))
        check_version(live, wanted, target.res)
    elif request.method == "PATCH":
        patch_target = Target(target.res, target.namespace, target.name, "scale")
        wanted = _patch_scale(state, request, patch_target, current, body)
    else:
        raise _not_allowed(request)
    replicas = (wanted.get("spec") or {}).get("replicas")
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise bad_request("spec.replicas must be an integer")
    if replicas < 0:
        raise StatusError(
            422,
            f'{target.res.kind} "{target.name}" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0',
            "Invalid",
            {
                "name": target.name,
                "kind": target.res.kind,
                "causes": [
                    {
                        "reason": "FieldValueInvalid",
                        "message": f"Invalid value: {replicas}: must be greater than or equal to 0",
                        "field": "spec.replicas",
                    }
                ],
            },
        )
    try:
        result = cluster.scale(
            target.res.kind, target.name or "", replicas, namespace_of(target) or "default"
        )
    except ApiError as exc:
        raise engine_error(exc, target.res, target.name or "") from None
    return answer(state, _scale_of(result.obj))


def _patch_scale(
    state: ServerState, request: web.Request, target: Target, current: Obj, body: bytes
) -> Obj:
    ctype = bodies.media_type(request)
    if ctype == bodies.STRATEGIC_PATCH:
        value = bodies.parse_json(body)
        if not isinstance(value, dict):
            raise bad_request("the patch must be a JSON object")
        return dict(json_merge_patch(current, value))
    return apply_patch(state, request, target, current, body, ctype)


def _not_allowed(request: web.Request) -> StatusError:
    return StatusError(
        405, "the server does not allow this method on the requested resource", "MethodNotAllowed"
    )


def status(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """GET / PUT / PATCH on ``…/status``: only the status changes."""
    cluster = state.cluster
    live = live_object(cluster, target)
    if request.method == "GET":
        return answer(state, live)
    if request.method == "PUT":
        wanted = bodies.decode_object(body, bodies.media_type(request))
        check_version(live, wanted, target.res)
    elif request.method == "PATCH":
        wanted = apply_patch(state, request, target, live, body, bodies.media_type(request))
    else:
        raise _not_allowed(request)
    from k8stui.server.timeshift import unshift

    new_status = wanted.get("status")
    if request.method == "PUT":  # a patched status keeps the live (sim time) values it merged
        new_status = unshift(new_status, state.time_map().delta())
    if new_status == live.get("status"):
        return answer(state, live)
    updated = {**live, "status": merge.json_merge_patch({}, new_status or {})}
    stored = cluster.api.update_status(updated)
    cluster.settle()
    return answer(state, stored)


def eviction(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """POST ``pods/<name>/eviction``: a graceful delete (no PodDisruptionBudgets are simulated)."""
    if target.res.kind != "Pod" or request.method != "POST":
        raise _not_allowed(request)
    value = bodies.decode_object(body, bodies.media_type(request)) if body.strip() else {}
    options = value.get("deleteOptions") or {}
    if not isinstance(options, dict):
        raise bad_request("deleteOptions must be an object")
    name = target.name or ""
    delete_one(state.cluster, target, name, options, bool(options.get("dryRun")))
    return answer(state, success_body(201), 201)


def binding(state: ServerState, request: web.Request, target: Target, body: bytes) -> Answer:
    """POST ``pods/<name>/binding``: assign the pod to a node, as a scheduler does."""
    if target.res.kind != "Pod" or request.method != "POST":
        raise _not_allowed(request)
    value = bodies.decode_object(body, bodies.media_type(request))
    node = ((value.get("target") or {}) if isinstance(value.get("target"), dict) else {}).get(
        "name"
    )
    cluster = state.cluster
    pod = live_object(cluster, target)
    name = target.name or ""
    if not node:
        raise bad_request("target.name: Required value")
    if pod["spec"].get("nodeName"):
        raise StatusError(
            409,
            f'Operation cannot be fulfilled on pods/binding "{name}": pod {name} is already '
            f'assigned to node "{pod["spec"]["nodeName"]}"',
            "Conflict",
        )
    if cluster.get("Node", str(node), "") is None:
        raise StatusError(404, f'nodes "{node}" not found', "NotFound")
    status_part = dict(pod.get("status") or {})
    conditions = [c for c in status_part.get("conditions") or [] if c.get("type") != "PodScheduled"]
    conditions.append(
        {
            "type": "PodScheduled",
            "status": "True",
            "lastProbeTime": None,
            "lastTransitionTime": to_timestamp(cluster.now_ms),
        }
    )
    status_part["conditions"] = conditions
    bound = {**pod, "spec": {**pod["spec"], "nodeName": str(node)}, "status": status_part}
    cluster.api.update_status(bound)
    cluster.settle()
    return answer(state, success_body(201), 201)
