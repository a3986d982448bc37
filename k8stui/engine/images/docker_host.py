"""The player's local Docker daemon: build (classic builder output, with a cache), images,
history, tag, pull, push and rmi. It is separate from the cluster's :class:`Registry`; images
reach the cluster only by ``push``.

Each instruction makes one layer whose id hashes its parent's id and its ``created by`` text
(which embeds the digest of the files an ``ADD``/``COPY`` copies). A step whose id is already
present locally is a cache hit, so editing a copied file busts the cache from that step on.

How a built image gets its behaviour (first rule that applies):

1. a behaviour a level attached with :meth:`DockerHost.attach_behavior` for the name built;
2. if the image's ENTRYPOINT/CMD runs a JavaScript file copied into the image, a behaviour read
   from the script (:mod:`~k8stui.engine.runtime.js_behavior`) — so the book's ``app.js`` on ``node:7``
   behaves like ``luksa/kubia``;
3. otherwise the base image's behaviour, with EXPOSEd ports added.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from k8stui.engine.images.build_steps import apply_config, is_dir_dest, nop_text
from k8stui.engine.images.docker_output import ImageRow, history_table, human_size, images_table
from k8stui.engine.images.dockerfile import DockerfileError, Instruction, parse
from k8stui.engine.images.model import (
    Behavior,
    Image,
    ImageRef,
    ImageRefError,
    Layer,
    layer_id,
    sha256_id,
    short_id,
)
from k8stui.engine.images.registry import Registry
from k8stui.engine.runtime.js_behavior import script_behavior
from k8stui.engine.runtime.shell_script import basename, run_shell

_INSTALL = re.compile(r"\b(apt-get|apt|apk|yum|dnf|npm|pip3?|gem)\b.*\b(install|add)\b")


class DockerError(Exception):
    """A command the daemon refuses; the message is Docker's."""


@dataclass
class BuildResult:
    """What ``docker build`` printed (stdout), the image built, and the error if it failed."""

    lines: list[str]
    image: Image | None = None
    error: str | None = None


class DockerHost:
    """A local Docker daemon with its image store and build cache."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry
        self._images: dict[str, Image] = {}
        self._tags: dict[str, str] = {}
        self._parents: dict[str, str] = {}
        self._behaviors: dict[str, Behavior] = {}
        self._containers = 0

    def attach_behavior(self, name: str, behavior: Behavior) -> None:
        """Give images later built as ``name`` (``repo`` or ``repo:tag``) this behaviour."""
        ref = ImageRef.parse(name)
        key = ref.name if ":" in name.rsplit("/", 1)[-1] else ref.repository
        self._behaviors[key] = behavior

    # --- lookups -----------------------------------------------------------------------------

    def get(self, ref: str) -> Image | None:
        """A local image by name or by (a prefix of) its id."""
        try:
            parsed = ImageRef.parse(ref)
            image_id = self._tags.get(parsed.name)
            if image_id is not None:
                return self._images[image_id].named(parsed.repository, parsed.tag)
        except ImageRefError:
            pass
        wanted = ref.removeprefix("sha256:")
        if len(wanted) >= 4 and re.fullmatch(r"[0-9a-f]+", wanted):
            for image_id, image in self._images.items():
                if image_id.removeprefix("sha256:").startswith(wanted):
                    return image
        return None

    def has_layer(self, layer: str) -> bool:
        """True if any local image contains layer ``layer``."""
        return any(layer in (item.id for item in image.layers) for image in self._images.values())

    # --- pull --------------------------------------------------------------------------------

    def pull(self, ref: str) -> list[str]:
        """``docker pull``; raises :class:`DockerError` when the registry lacks the image."""
        lines = [] if ":" in ref.rsplit("/", 1)[-1] or "@" in ref else ["Using default tag: latest"]
        _, pull_lines = self._pull(ref)
        return [*lines, *pull_lines, ImageRef.parse(ref).canonical]

    def _pull(self, ref: str) -> tuple[Image, list[str]]:
        try:
            parsed = ImageRef.parse(ref)
        except ImageRefError as exc:
            raise DockerError(str(exc)) from exc
        image = self.registry.resolve(ref) if self.registry else None
        if image is None:
            known = self.registry is not None and bool(self.registry.tags(parsed.repository))
            if known:
                raise DockerError(
                    f"manifest for {parsed.name} not found: manifest unknown: manifest unknown"
                )
            raise DockerError(
                f"pull access denied for {parsed.repository}, repository does not exist or may "
                "require 'docker login': denied: requested access to the resource is denied"
            )
        if self._tags.get(parsed.name) == image.id:
            return image, [f"Status: Image is up to date for {parsed.name}"]
        lines = [f"{parsed.tag}: Pulling from {parsed.path}"]
        for layer in image.fs_layers:
            state = "Already exists" if self.has_layer(layer.id) else "Pull complete"
            lines.append(f"{short_id(layer.id)}: {state}")
        lines += [f"Digest: {image.digest}", f"Status: Downloaded newer image for {parsed.name}"]
        self._images.setdefault(image.id, image)
        self._tags[parsed.name] = image.id
        return image, lines

    # --- build -------------------------------------------------------------------------------

    def build(
        self,
        tag: str,
        context: dict[str, str],
        dockerfile: str = "Dockerfile",
        *,
        now_ms: int = 0,
    ) -> BuildResult:
        """``docker build -t tag .`` over ``context`` (path -> text, including the Dockerfile)."""
        try:
            name = ImageRef.parse(tag)
        except ImageRefError as exc:
            return BuildResult([], error=f'invalid argument "{tag}" for "-t, --tag" flag: {exc}')
        if dockerfile not in context:
            return BuildResult(
                [],
                error="unable to prepare context: unable to evaluate symlinks in Dockerfile "
                f"path: lstat {dockerfile}: no such file or directory",
            )
        tar_bytes = sum(512 + -(-len(text.encode()) // 512) * 512 for text in context.values())
        lines = [f"Sending build context to Docker daemon  {human_size(tar_bytes, 4)}"]
        try:
            steps = parse(context[dockerfile], dockerfile)
        except DockerfileError as exc:
            return BuildResult(lines, error=str(exc))
        current: Image | None = None
        for number, step in enumerate(steps, 1):
            lines.append(f"Step {number}/{len(steps)} : {step.original}")
            try:
                if step.keyword == "FROM":
                    current = self._from(step, lines)
                elif current is None:
                    if step.keyword == "ARG":
                        continue
                    raise DockerError("No build stage in current context")
                else:
                    current = self._step(current, step, context, lines, now_ms)
            except DockerError as exc:
                return BuildResult(lines, error=str(exc))
            lines.append(f" ---> {short_id(current.id)}")
        if current is None:
            return BuildResult(lines, error="No build stage in current context")
        final = current.model_copy(update={"behavior": self._final_behavior(current, name)})
        self._images[final.id] = final
        self._tags[name.name] = final.id
        lines += [f"Successfully built {final.short_id}", f"Successfully tagged {name.name}"]
        return BuildResult(lines, image=final.named(name.repository, name.tag))

    def _from(self, step: Instruction, lines: list[str]) -> Image:
        base = step.words[0]
        if base == "scratch":
            return Image(repository="scratch", id=sha256_id("scratch"), layers=[])
        image = self.get(base)
        if image is None:
            image, pull_lines = self._pull(base)
            lines += pull_lines
        return image

    def _container_id(self, parent: str, created_by: str) -> str:
        self._containers += 1
        return short_id(sha256_id("container", str(self._containers), parent, created_by))

    def _step(
        self, parent: Image, step: Instruction, context: dict[str, str], lines: list[str], now: int
    ) -> Image:
        copied: dict[str, str] = {}
        if step.keyword in ("ADD", "COPY"):
            copied = self._copied(parent, step, context)
            digest = sha256_id(*(f"{p}\n{t}" for p, t in sorted(copied.items()))).split(":")[1]
            kind = "file" if len(copied) == 1 and not is_dir_dest(step) else "dir"
            created_by = f"/bin/sh -c #(nop) {step.keyword} {kind}:{digest} in {step.words[-1]} "
        elif step.keyword == "RUN":
            created_by = " ".join(step.command()) if step.json_form else f"/bin/sh -c {step.rest}"
        else:
            created_by = f"/bin/sh -c #(nop)  {nop_text(step)}"
        new_id = layer_id(parent.id, created_by)
        if new_id in self._images:
            lines.append(" ---> Using cache")
            return self._images[new_id]
        size, files = sum(len(t.encode()) for t in copied.values()), dict(parent.files)
        files.update(copied)
        if step.keyword not in ("ADD", "COPY"):
            container = self._container_id(parent.id, created_by)
            lines.append(f" ---> Running in {container}")
            if step.keyword == "RUN":
                size = self._run(parent, step, files, lines, container)
            lines.append(f"Removing intermediate container {container}")
        layer = Layer(
            id=new_id,
            created_by=created_by,
            size=size,
            created=now,
            empty_layer=step.keyword not in ("ADD", "COPY", "RUN"),
        )
        image = apply_config(parent, step).model_copy(
            update={"id": new_id, "layers": [*parent.layers, layer], "files": files, "created": now}
        )
        self._images[new_id] = image
        self._parents[new_id] = parent.id
        return image

    def _copied(self, parent: Image, step: Instruction, context: dict[str, str]) -> dict[str, str]:
        if "from" in step.flags:
            raise DockerError(f"{step.keyword} --from is not simulated (multi-stage builds)")
        *sources, dest = step.words
        if not dest.startswith("/"):
            dest = parent.workdir.rstrip("/") + "/" + dest
        copied: dict[str, str] = {}
        for source in sources:
            if re.match(r"^https?://", source):
                raise DockerError(f"{step.keyword} from a URL is not simulated: {source}")
            clean = source.strip("/").removeprefix("./")
            matched = sorted(
                path
                for path in context
                if clean in ("", ".")
                or fnmatch.fnmatch(path, clean)
                or path.startswith(clean + "/")
            )
            if not matched:
                raise DockerError(
                    f"{step.keyword} failed: file not found in build context or excluded by "
                    f".dockerignore: stat {source}: file does not exist"
                )
            for path in matched:
                single_file = len(sources) == 1 and path == clean and not is_dir_dest(step)
                if single_file:
                    target = dest
                else:
                    relative = (
                        path if clean in ("", ".") or path == clean else path[len(clean) + 1 :]
                    )
                    if path == clean:
                        relative = basename(path)
                    target = dest.rstrip("/") + "/" + relative
                copied[target] = context[path]
        return copied

    def _run(
        self, parent: Image, step: Instruction, files: dict[str, str], lines: list[str], cid: str
    ) -> int:
        argv = step.command()
        if not parent.behavior.shell and not step.json_form:
            raise DockerError(
                "failed to create shim task: OCI runtime create failed: runc create failed: "
                'unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file '
                "or directory: unknown"
            )
        outcome = run_shell(argv, {**parent.env, "HOSTNAME": cid}, files, parent.workdir)
        lines.extend(text.replace("{hostname}", cid) for _, text in outcome.logs)
        if outcome.start_error or outcome.exit_code != 0:
            code = outcome.exit_code
            raise DockerError(f"The command '{' '.join(argv)}' returned a non-zero code: {code}")
        written = {path: content for _, path, content, _ in outcome.writes}
        files.update(written)
        size = sum(len(content.encode()) for content in written.values())
        if _INSTALL.search(step.rest):
            # Package installs are the big layers of real images; size them from the command.
            size += 10_000_000 + int(sha256_id(step.rest)[7:15], 16) % 40_000_000
        return size

    def _final_behavior(self, image: Image, name: ImageRef) -> Behavior:
        attached = self._behaviors.get(name.name) or self._behaviors.get(name.repository)
        if attached is not None:
            return attached
        argv = [*(image.entrypoint or []), *(image.cmd or [])]
        for word in argv:
            path = word if word.startswith("/") else image.workdir.rstrip("/") + "/" + word
            if path.endswith((".js", ".mjs")) and path in image.files:
                derived = script_behavior(image.files[path])
                if derived is not None:
                    return derived.model_copy(update={"shell": image.behavior.shell})
        ports = sorted({*image.behavior.ports, *image.exposed_ports})
        return image.behavior.model_copy(update={"ports": ports})

    # --- tag, push, rmi ----------------------------------------------------------------------

    def tag(self, source: str, target: str) -> None:
        """``docker tag source target``."""
        image = self.get(source)
        if image is None:
            raise DockerError(f"Error response from daemon: No such image: {source}")
        try:
            parsed = ImageRef.parse(target)
        except ImageRefError as exc:
            raise DockerError(
                f'Error parsing reference: "{target}" is not a valid repository/tag: {exc}'
            ) from exc
        self._tags[parsed.name] = image.id

    def push(self, ref: str, registry: Registry | None = None) -> list[str]:
        """``docker push ref``: the lines printed; a refusal is the last line."""
        target = registry if registry is not None else self.registry
        parsed = ImageRef.parse(ref)
        image = self.get(parsed.name)
        if image is None:
            return [f"An image does not exist locally with the tag: {parsed.repository}"]
        layers = list(reversed(image.fs_layers))
        lines = [f"The push refers to repository [{parsed.canonical_name}]"]
        lines += [f"{short_id(layer.id)}: Preparing" for layer in layers]
        if target is None or (parsed.domain == "docker.io" and "/" not in parsed.repository):
            # Official "library/" repositories belong to Docker; a user pushes to user/name.
            return [*lines, "denied: requested access to the resource is denied"]
        own_layers = set()
        for other_tag in target.tags(parsed.repository):
            other = target.resolve(f"{parsed.repository}:{other_tag}")
            own_layers |= {layer.id for layer in other.fs_layers} if other else set()
        for layer in layers:
            mounted = target.layer_repository(layer.id)
            if layer.id in own_layers:
                state = "Layer already exists"
            elif mounted is not None:
                state = f"Mounted from {ImageRef.parse(mounted).path}"
            else:
                state = "Pushed"
            lines.append(f"{short_id(layer.id)}: {state}")
        published = image.named(parsed.repository, parsed.tag)
        target.publish(published)
        size = len(published.manifest_json().encode())
        return [*lines, f"{parsed.tag}: digest: {published.digest} size: {size}"]

    def rmi(self, ref: str) -> list[str]:
        """``docker rmi ref``: ``Untagged:``/``Deleted:`` lines."""
        image = self.get(ref)
        if image is None:
            raise DockerError(f"Error response from daemon: No such image: {ref}")
        names = [n for n, i in self._tags.items() if i == image.id]
        lines = []
        by_name = _name_of(ref) if _name_of(ref) in names else None
        if by_name is None and len(names) > 1:
            raise DockerError(
                f"Error response from daemon: conflict: unable to delete {image.short_id} (must "
                "be forced) - image is referenced in multiple repositories"
            )
        for name in [by_name] if by_name else names:
            del self._tags[name]
            lines.append(f"Untagged: {name}")
        image_id: str | None = image.id
        while image_id is not None and self._removable(image_id):
            lines.append(f"Deleted: {image_id}")
            del self._images[image_id]
            image_id = self._parents.pop(image_id, None)
        return lines

    def _removable(self, image_id: str) -> bool:
        tagged = image_id in self._tags.values()
        has_child = image_id in self._parents.values()
        return image_id in self._images and not tagged and not has_child

    # --- listings ----------------------------------------------------------------------------

    def images(self) -> list[ImageRow]:
        """``docker images`` rows, newest first; untagged leaf images show as ``<none>``."""
        rows = []
        for name, image_id in self._tags.items():
            image = self._images[image_id]
            repository, tag = name.rsplit(":", 1)
            rows.append(ImageRow(repository, tag, image.short_id, image.created, image.size))
        children = set(self._parents.values())
        tagged = set(self._tags.values())
        for image_id, image in self._images.items():
            if image_id not in tagged and image_id not in children and image_id in self._parents:
                rows.append(ImageRow("<none>", "<none>", image.short_id, image.created, image.size))
        return sorted(rows, key=lambda r: (-r.created, r.repository, r.tag))

    def format_images(self, now_ms: int) -> str:
        """``docker images`` as the CLI prints it."""
        return images_table(self.images(), now_ms)

    def history(self, ref: str, now_ms: int = 0) -> str:
        """``docker history ref``: layers newest first, ``<missing>`` for ones pulled."""
        image = self.get(ref)
        if image is None:
            raise DockerError(f"Error response from daemon: No such image: {ref}")
        return history_table(image, self._images, now_ms)

    # --- snapshot ----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON snapshot (the registry is not included; it has its own)."""
        return {
            "images": [image.model_dump(mode="json") for image in self._images.values()],
            "tags": dict(self._tags),
            "parents": dict(self._parents),
            "behaviors": {k: b.model_dump(mode="json") for k, b in self._behaviors.items()},
            "containers": self._containers,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], registry: Registry | None = None) -> DockerHost:
        """Restore a snapshot made by :meth:`to_json`."""
        host = cls(registry)
        for raw in data["images"]:
            image = Image.model_validate(raw)
            host._images[image.id] = image
        host._tags = dict(data["tags"])
        host._parents = dict(data["parents"])
        host._behaviors = {k: Behavior.model_validate(v) for k, v in data["behaviors"].items()}
        host._containers = int(data["containers"])
        return host


def _name_of(ref: str) -> str | None:
    try:
        return ImageRef.parse(ref).name
    except ImageRefError:
        return None
