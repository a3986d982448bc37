"""Image pulls and the order containers start in (reference §2.3).

Part of the kubelets (see ``kubelet_core``): a mixin over their shared state and helpers.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.apimachinery.go_duration import go_duration
from k8stui.engine.kubelet import status as ks
from k8stui.engine.kubelet.core import KubeletCore

Obj = dict[str, Any]


class ImagePulls(KubeletCore):
    """Pulling images (Pulling, Pulled, ErrImagePull, ImagePullBackOff) for every node."""

    def _start_next(self, node: str, pod: Obj, prt: Obj) -> None:
        """Pull and start containers in order, one step at a time (as the kubelet does)."""
        for spec in pod["spec"]["containers"]:
            crt = prt["containers"][spec["name"]]
            if crt["stage"] == ks.PENDING:
                self._pull(node, pod, prt, spec, crt)
                return
            if crt["stage"] in (ks.PULLING, ks.PULL_FAILED, ks.PULL_BACKOFF):
                return
        self._write_status(pod, prt)

    def _pull(self, node: str, pod: Obj, prt: Obj, spec: Obj, crt: Obj) -> None:
        nrt = self.nodes[node]
        image_ref = spec.get("image", "")
        policy = spec.get("imagePullPolicy", "IfNotPresent")
        field = f"spec.containers{{{spec['name']}}}"
        have = self.images.on_node(nrt, image_ref)
        if have is not None and policy != "Always":
            self._event(
                pod,
                "Normal",
                "Pulled",
                f'Container image "{image_ref}" already present on machine',
                node,
                field,
            )
            crt["image_id"] = have
            self._create_container(node, pod, prt, spec, crt)
            return
        if policy == "Never":
            msg = f'Container image "{image_ref}" is not present with pull policy of Never'
            self._event(pod, "Warning", "ErrImageNeverPull", msg, node, field)
            self._set_stage(crt, ks.PULL_FAILED, "ErrImageNeverPull", msg)
            self._write_status(pod, prt)
            return
        self._event(pod, "Normal", "Pulling", f'Pulling image "{image_ref}"', node, field)
        self.ctx.activity.add(self.ctx.now, "kubelet", f"{node}: pulling {image_ref}")
        self._set_stage(
            crt, ks.PULLING, "ContainerCreating" if not crt.get("ever_started") else "", ""
        )
        error = self.images.pull_error(image_ref)
        if error is not None:
            self._fail_pull(node, pod, prt, spec, crt, error)
            return
        duration = self.images.pull_ms(nrt, image_ref)
        crt["pull_ms"] = duration
        self.ctx.queue.push(
            self.ctx.now + duration,
            "kubelet.pulled",
            self._ref(node, pod, prt, spec["name"], crt["tok"]),
        )

    def _fail_pull(self, node: str, pod: Obj, prt: Obj, spec: Obj, crt: Obj, error: str) -> None:
        field = f"spec.containers{{{spec['name']}}}"
        image_ref = spec.get("image", "")
        self._event(
            pod, "Warning", "Failed", f'Failed to pull image "{image_ref}": {error}', node, field
        )
        self._event(pod, "Warning", "Failed", "Error: ErrImagePull", node, field)
        self._set_stage(
            crt,
            ks.PULL_FAILED,
            "ErrImagePull",
            f'failed to pull and unpack image "{image_ref}": {error}' if False else error,
        )
        bo = self._next_backoff(crt, "pbo", self.ctx.now)
        crt["retry_at"] = self.ctx.now + bo
        self._write_status(pod, prt)
        # The next pod sync (about a second later) reports the back-off.
        self.ctx.queue.push(
            self.ctx.after(1),
            "kubelet.pull_backoff",
            self._ref(node, pod, prt, spec["name"], crt["tok"]),
        )

    def _on_pull_backoff(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        spec = self._spec(pod, p["c"])
        crt = prt["containers"][p["c"]]
        field = f"spec.containers{{{p['c']}}}"
        image_ref = spec.get("image", "")
        self._event(
            pod, "Normal", "BackOff", f'Back-off pulling image "{image_ref}"', p["node"], field
        )
        self._event(pod, "Warning", "Failed", "Error: ImagePullBackOff", p["node"], field)
        self._set_stage(
            crt, ks.PULL_BACKOFF, "ImagePullBackOff", f'Back-off pulling image "{image_ref}"'
        )
        self._write_status(pod, prt)
        self.ctx.queue.push(
            max(crt["retry_at"], self.ctx.now),
            "kubelet.pull_retry",
            self._ref(p["node"], pod, prt, p["c"], crt["tok"]),
        )

    def _on_pull_retry(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        crt = prt["containers"][p["c"]]
        self._set_stage(crt, ks.PENDING, "", "")
        self._start_next(p["node"], pod, prt)

    def _on_pulled(self, p: Obj) -> None:
        found = self._lookup(p)
        if found is None:
            return
        pod, prt = found
        node = p["node"]
        spec = self._spec(pod, p["c"])
        crt = prt["containers"][p["c"]]
        image_ref = spec.get("image", "")
        error = self.images.pull_error(image_ref)
        if error is not None:  # removed from the registry while we were pulling
            self._fail_pull(node, pod, prt, spec, crt, error)
            return
        image_id, size = self.images.store_on_node(self.nodes[node], image_ref)
        self._refresh_node_images(node)
        took = go_duration(int(crt.pop("pull_ms", 0)))
        self._event(
            pod,
            "Normal",
            "Pulled",
            f'Successfully pulled image "{image_ref}" in {took} ({took} including waiting). Image size: {size} bytes.',
            node,
            f"spec.containers{{{p['c']}}}",
        )
        crt.pop("pbo", None)
        crt["image_id"] = image_id
        self._create_container(node, pod, prt, spec, crt)

    def _refresh_node_images(self, node: str) -> None:
        obj = self.ctx.store.get("Node", "", node)
        if obj is None:
            return
        listed = self.images.node_image_list(self.nodes[node])
        status = obj.get("status") or {}
        if status.get("images") != listed:
            self.ctx.store.update({**obj, "status": {**status, "images": listed}})

    def _next_backoff(self, crt: Obj, key: str, now: int) -> int:
        """Advance a back-off entry (10 s doubling to the cap) and return its delay in ms."""
        t = self.ctx.timings
        entry = crt.get(key)
        if entry is None or now - entry["t"] > t.backoff_reset * 1000:
            delay = t.backoff_initial
        else:
            delay = min(entry["d"] * 2, t.backoff_max)
        crt[key] = {"d": delay, "t": now}
        return int(delay * 1000)
