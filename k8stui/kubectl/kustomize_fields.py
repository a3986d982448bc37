"""The fields kustomize's transformers touch: labels, annotations, images, name references.

Where kustomize's default field specs put them, for the kinds the simulator serves: labels on
``metadata`` (and, for ``commonLabels`` / ``includeSelectors``, the selectors and pod
templates), annotations on ``metadata`` and pod templates, images in every container list of
a pod spec, and references to ConfigMaps, Secrets, ServiceAccounts and claims in pod specs.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]
# kustomize's legacy output order: these kinds first, in this order, then the rest by kind.
ORDER_FIRST = (
    *("Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition"),
    *("ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding"),
    *("ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange"),
    *("PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment"),
    *("StatefulSet", "CronJob", "PodDisruptionBudget"),
)
ORDER_LAST = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
_WORKLOADS = (
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "ReplicationController",
)


def sort_key(obj: Obj) -> tuple[int, str, str, str]:
    """Where ``obj`` goes in kustomize's legacy order."""
    kind = str(obj.get("kind", ""))
    if kind in ORDER_FIRST:
        rank = ORDER_FIRST.index(kind)
    elif kind in ORDER_LAST:
        rank = len(ORDER_FIRST) + 1 + ORDER_LAST.index(kind)
    else:
        rank = len(ORDER_FIRST)
    meta = obj.get("metadata") or {}
    gvk = f"{kind}.{obj.get('apiVersion', '')}"
    return rank, gvk, str(meta.get("name", "")), str(meta.get("namespace", ""))


def _templates(obj: Obj) -> list[Obj]:
    """The pod templates of a workload (a CronJob's through its job template)."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return []
    if obj.get("kind") == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec")
        return (
            [job["template"]]
            if isinstance(job, dict) and isinstance(job.get("template"), dict)
            else []
        )
    template = spec.get("template")
    return [template] if isinstance(template, dict) else []


def _pod_specs(obj: Obj) -> list[Obj]:
    if obj.get("kind") == "Pod":
        spec = obj.get("spec")
        return [spec] if isinstance(spec, dict) else []
    return [t["spec"] for t in _templates(obj) if isinstance(t.get("spec"), dict)]


def _merge(target: Obj, key: str, values: dict[str, str]) -> None:
    current = target.get(key)
    target[key] = {**(current if isinstance(current, dict) else {}), **values}


def set_labels(obj: Obj, labels: dict[str, str], selectors: bool, templates: bool) -> None:
    """Add ``labels`` to the object, and to its selectors and pod templates when asked."""
    if not labels:
        return
    _merge(obj.setdefault("metadata", {}), "labels", labels)
    kind = obj.get("kind")
    spec = obj.get("spec")
    if templates and kind in (*_WORKLOADS, "CronJob"):
        for template in _templates(obj):
            _merge(template.setdefault("metadata", {}), "labels", labels)
    if not selectors or not isinstance(spec, dict):
        return
    if kind in ("Service", "ReplicationController"):
        _merge(spec, "selector", labels)
    elif kind in _WORKLOADS and kind != "Job":
        selector = spec.setdefault("selector", {})
        if isinstance(selector, dict):
            _merge(selector, "matchLabels", labels)


def set_annotations(obj: Obj, annotations: dict[str, str]) -> None:
    """Add ``annotations`` to the object and its pod templates."""
    _merge(obj.setdefault("metadata", {}), "annotations", annotations)
    for template in _templates(obj):
        _merge(template.setdefault("metadata", {}), "annotations", annotations)


def _split_image(image: str) -> tuple[str, str]:
    """(name, ``:tag`` / ``@digest`` suffix) of an image reference."""
    if "@" in image:
        name, _, digest = image.partition("@")
        return name, "@" + digest
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon:]
    return image, ""


def apply_images(obj: Obj, images: list[Any]) -> None:
    """``images``: new names, tags or digests for containers whose image name matches."""
    if not images:
        return
    for spec in _pod_specs(obj):
        for key in ("initContainers", "containers"):
            for container in spec.get(key) or []:
                if not isinstance(container, dict) or not isinstance(container.get("image"), str):
                    continue
                name, rest = _split_image(container["image"])
                for entry in images:
                    if not isinstance(entry, dict) or entry.get("name") != name:
                        continue
                    new_name = str(entry.get("newName") or name)
                    if entry.get("digest"):
                        rest = "@" + str(entry["digest"])
                    elif entry.get("newTag") is not None:
                        rest = ":" + str(entry["newTag"])
                    container["image"] = new_name + rest


def _rename(holder: Any, key: str, kind: str, renames: dict[tuple[str, str], str]) -> None:
    if isinstance(holder, dict) and isinstance(holder.get(key), str):
        holder[key] = renames.get((kind, holder[key]), holder[key])


def fix_references(obj: Obj, renames: dict[tuple[str, str], str]) -> None:
    """Point a pod spec's references at the final names of the objects built with it."""
    for spec in _pod_specs(obj):
        _rename(spec, "serviceAccountName", "ServiceAccount", renames)
        for secret in spec.get("imagePullSecrets") or []:
            _rename(secret, "name", "Secret", renames)
        for volume in spec.get("volumes") or []:
            if not isinstance(volume, dict):
                continue
            _rename(volume.get("configMap"), "name", "ConfigMap", renames)
            _rename(volume.get("secret"), "secretName", "Secret", renames)
            _rename(
                volume.get("persistentVolumeClaim"), "claimName", "PersistentVolumeClaim", renames
            )
            for source in (volume.get("projected") or {}).get("sources") or []:
                if isinstance(source, dict):
                    _rename(source.get("configMap"), "name", "ConfigMap", renames)
                    _rename(source.get("secret"), "name", "Secret", renames)
        for key in ("initContainers", "containers"):
            for container in spec.get(key) or []:
                if not isinstance(container, dict):
                    continue
                for source in container.get("envFrom") or []:
                    if isinstance(source, dict):
                        _rename(source.get("configMapRef"), "name", "ConfigMap", renames)
                        _rename(source.get("secretRef"), "name", "Secret", renames)
                for env in container.get("env") or []:
                    value_from = (env or {}).get("valueFrom") if isinstance(env, dict) else None
                    if isinstance(value_from, dict):
                        _rename(value_from.get("configMapKeyRef"), "name", "ConfigMap", renames)
                        _rename(value_from.get("secretKeyRef"), "name", "Secret", renames)
