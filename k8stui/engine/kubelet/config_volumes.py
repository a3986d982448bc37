"""Volumes the kubelet fills from the API: configMap, secret, downwardAPI and projected.

Their files are written when the pod's volumes are set up (a missing, non-optional ConfigMap
or Secret keeps the pod in ContainerCreating with a ``FailedMount`` event) and rewritten when
the source object changes, after the kubelet's sync delay (its 1-minute ``syncFrequency``):
``exec cat`` shows the new content only then, which is what a learner sees on a real node.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from k8stui.engine.kubelet import volumes
from k8stui.engine.kubelet.env_sources import field_value, resource_value
from k8stui.engine.store import Store

Obj = dict[str, Any]
SYNC_DELAY_SECONDS = 60
_SOURCES = ("configMap", "secret", "downwardAPI", "projected")


class MountError(Exception):
    """Why a volume cannot be set up yet (the FailedMount message's tail)."""


def is_config_volume(volume: Obj) -> bool:
    """Whether the kubelet fills this volume from API objects."""
    return any(isinstance(volume.get(key), dict) for key in _SOURCES)


def references(volume: Obj) -> set[tuple[str, str]]:
    """(kind, name) of the ConfigMaps and Secrets a volume reads."""
    found: set[tuple[str, str]] = set()
    sources = [volume]
    projected = volume.get("projected")
    if isinstance(projected, dict):
        sources += [s for s in projected.get("sources") or [] if isinstance(s, dict)]
    for source in sources:
        if isinstance(source.get("configMap"), dict):
            found.add(("ConfigMap", str(source["configMap"].get("name", ""))))
        if isinstance(source.get("secret"), dict):
            ref = source["secret"]
            found.add(("Secret", str(ref.get("secretName") or ref.get("name") or "")))
    return found


def _decode(value: Any) -> str:
    try:
        return base64.b64decode(str(value)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _keyed(
    store: Store, kind: str, namespace: str, name: str, ref: Obj, volume: str
) -> dict[str, str]:
    obj = store.get(kind, namespace, name)
    optional = bool(ref.get("optional"))
    if obj is None:
        if optional:
            return {}
        raise MountError(
            f'MountVolume.SetUp failed for volume "{volume}" : {kind.lower()} "{name}" not found'
        )
    if kind == "ConfigMap":
        values = {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
        values.update({str(k): _decode(v) for k, v in (obj.get("binaryData") or {}).items()})
    else:
        values = {str(k): _decode(v) for k, v in (obj.get("data") or {}).items()}
    items = ref.get("items")
    if not items:
        return values
    files = {}
    for item in items:
        key = str(item.get("key", ""))
        if key not in values:
            if optional:
                continue
            raise MountError(
                f'MountVolume.SetUp failed for volume "{volume}" : configmap references non-existent '
                f"config key: {key}"
                if kind == "ConfigMap"
                else f'MountVolume.SetUp failed for volume "{volume}" : references non-existent '
                f"secret key: {key}"
            )
        files[str(item.get("path") or key)] = values[key]
    return files


def _downward(pod: Obj, items: list[Obj], pod_ip: str, host_ip: str) -> dict[str, str]:
    files = {}
    containers = (pod.get("spec") or {}).get("containers") or [{}]
    for item in items:
        path = str(item.get("path", ""))
        if isinstance(item.get("fieldRef"), dict):
            files[path] = field_value(
                pod, str(item["fieldRef"].get("fieldPath", "")), pod_ip, host_ip
            )
        elif isinstance(item.get("resourceFieldRef"), dict):
            ref = item["resourceFieldRef"]
            name = ref.get("containerName")
            ctr = next((c for c in containers if c.get("name") == name), containers[0])
            files[path] = resource_value(ctr, ref, {})
    return files


def volume_files(pod: Obj, volume: Obj, store: Store, pod_ip: str, host_ip: str) -> dict[str, Any]:
    """The files of one config volume (raises :class:`MountError`)."""
    namespace = str((pod.get("metadata") or {}).get("namespace") or "default")
    name = str(volume.get("name", ""))
    if isinstance(volume.get("configMap"), dict):
        ref = volume["configMap"]
        return _keyed(store, "ConfigMap", namespace, str(ref.get("name", "")), ref, name)
    if isinstance(volume.get("secret"), dict):
        ref = volume["secret"]
        return _keyed(store, "Secret", namespace, str(ref.get("secretName", "")), ref, name)
    if isinstance(volume.get("downwardAPI"), dict):
        return _downward(pod, volume["downwardAPI"].get("items") or [], pod_ip, host_ip)
    files: dict[str, Any] = {}  # (a token is a descriptor: volumes.token_file)
    for source in (volume.get("projected") or {}).get("sources") or []:
        if isinstance(source.get("serviceAccountToken"), dict):
            path = str(source["serviceAccountToken"].get("path", "token"))
            files[path] = volumes.token_file(pod)
        elif isinstance(source.get("configMap"), dict):
            ref = source["configMap"]
            files.update(_keyed(store, "ConfigMap", namespace, str(ref.get("name", "")), ref, name))
        elif isinstance(source.get("secret"), dict):
            ref = source["secret"]
            files.update(_keyed(store, "Secret", namespace, str(ref.get("name", "")), ref, name))
        elif isinstance(source.get("downwardAPI"), dict):
            files.update(_downward(pod, source["downwardAPI"].get("items") or [], pod_ip, host_ip))
    return files


def mount_all(pod: Obj, store: Store, pod_ip: str, host_ip: str) -> dict[str, Obj]:
    """Storage for every config volume of ``pod`` (raises :class:`MountError` for the first)."""
    out = {}
    for volume in (pod.get("spec") or {}).get("volumes") or []:
        if isinstance(volume, dict) and is_config_volume(volume):
            files = volume_files(pod, volume, store, pod_ip, host_ip)
            out[str(volume.get("name"))] = {"files": files, "config": True}
    return out
