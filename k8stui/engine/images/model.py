"""Container images as data: references, layers, and the behaviour of the program inside.

An image here is what a registry or a Docker daemon stores: a stack of layers (one per
Dockerfile instruction, metadata instructions being 0-byte layers as ``docker history`` shows),
an image config (env, cmd, entrypoint, exposed ports, workdir) and, because this is a
simulator, a :class:`Behavior` saying what the image's program does once started.

Every id is derived from content with SHA-256, never drawn at random: a layer's id hashes its
parent's id and the text that created it (which, for ``ADD``/``COPY``, embeds the digest of the
copied files). The same build therefore yields the same ids in every run, and an unchanged
instruction on an unchanged parent is recognisably "the same layer" to the build cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DOMAIN = "docker.io"
OFFICIAL_NAMESPACE = "library"

# The reference grammar of distribution/reference, reduced to what a player may type.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9-]+)*(?::[0-9]+)?"
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
_PATH = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_DOMAIN_RE = re.compile(rf"^{_DOMAIN}$")


class ImageRefError(ValueError):
    """An image reference that Docker and containerd would reject (``invalid reference format``)."""


def sha256_id(*parts: str) -> str:
    """A content id ``sha256:<64 hex>`` over ``parts`` (joined unambiguously)."""
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"sha256:{digest}"


def short_id(image_or_layer_id: str) -> str:
    """The 12-hex-character form Docker prints (``7a3bd6e4bd9c``)."""
    return image_or_layer_id.removeprefix("sha256:")[:12]


@dataclass(frozen=True)
class ImageRef:
    """A parsed image reference such as ``nginx:1.27`` or ``docker.io/luksa/kubia``.

    ``repository`` is the familiar name (``nginx``, ``luksa/kubia``, ``quay.io/x/y``): the
    ``docker.io`` domain and the ``library/`` namespace of official images are dropped.
    ``display`` keeps the text exactly as the user gave it, as kubelet events quote it.
    """

    repository: str
    tag: str = "latest"
    digest: str | None = None
    display: str = ""

    @classmethod
    def parse(cls, text: str) -> ImageRef:
        """Parse and normalise ``text``; raise :class:`ImageRefError` with Docker's wording."""
        # (Only texts of a sane length are remembered: a hostile one is not kept around.)
        return _parsed(text) if len(text) <= _REMEMBERED_LENGTH else cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> ImageRef:
        raw = text.strip()
        if not raw or raw != text or any(ch.isspace() for ch in raw):
            raise ImageRefError("invalid reference format")
        rest, digest = raw, None
        if "@" in rest:
            rest, digest = rest.split("@", 1)
            if not _DIGEST.match(digest):
                raise ImageRefError("invalid reference format")
        tag = None
        last_slash = rest.rfind("/")
        colon = rest.rfind(":")
        if colon > last_slash:
            rest, tag = rest[:colon], rest[colon + 1 :]
            if not _TAG.match(tag):
                raise ImageRefError("invalid reference format")
        domain, path = _split_domain(rest)
        if not path:
            raise ImageRefError("invalid reference format")
        if domain == DEFAULT_DOMAIN and "/" not in path:
            path = f"{OFFICIAL_NAMESPACE}/{path}"
        if path.lower() != path and _PATH.match(path.lower()):
            raise ImageRefError(
                f"invalid reference format: repository name ({path}) must be lowercase"
            )
        if not _PATH.match(path):
            raise ImageRefError("invalid reference format")
        if domain == DEFAULT_DOMAIN:
            repository = path.removeprefix(f"{OFFICIAL_NAMESPACE}/")
        else:
            repository = f"{domain}/{path}"
        return cls(repository=repository, tag=tag or "latest", digest=digest, display=raw)

    @property
    def domain(self) -> str:
        """Registry host (``docker.io`` unless the first component names one)."""
        first, _, rest = self.repository.partition("/")
        return first if rest and _looks_like_domain(first) else DEFAULT_DOMAIN

    @property
    def path(self) -> str:
        """Repository path inside the registry (``library/nginx``, ``luksa/kubia``)."""
        if self.domain != DEFAULT_DOMAIN:
            return self.repository.split("/", 1)[1]
        if "/" not in self.repository:
            return f"{OFFICIAL_NAMESPACE}/{self.repository}"
        return self.repository

    @property
    def canonical_name(self) -> str:
        """``docker.io/library/nginx`` — the repository as containerd names it."""
        return f"{self.domain}/{self.path}"

    @property
    def canonical(self) -> str:
        """``docker.io/library/nginx:latest`` — what containerd prints in pull errors."""
        return f"{self.canonical_name}:{self.tag}" + (f"@{self.digest}" if self.digest else "")

    @property
    def name(self) -> str:
        """``repository:tag`` without a digest, the key images are stored under."""
        return f"{self.repository}:{self.tag}"

    def __str__(self) -> str:
        return self.name + (f"@{self.digest}" if self.digest else "")


def _looks_like_domain(first: str) -> bool:
    # Docker's rule: the first component is a registry host if it has a dot or a port, or is
    # "localhost"; otherwise it is a Docker Hub user or organisation.
    return ("." in first or ":" in first or first == "localhost") and bool(_DOMAIN_RE.match(first))


def _split_domain(name: str) -> tuple[str, str]:
    first, sep, rest = name.partition("/")
    if sep and _looks_like_domain(first):
        return ("docker.io" if first == "index.docker.io" else first), rest
    return DEFAULT_DOMAIN, name


class FileWrite(BaseModel):
    """A file the program writes, once at start or again every ``every_seconds``."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="Absolute path in the container, e.g. /var/htdocs/index.html.")
    content: str = Field(
        default="{choice}\n",
        description="Template; {choice} is one of `choices`, {n} the write count, {date} the time.",
    )
    every_seconds: float | None = Field(
        default=None, description="Rewrite period; None writes once, at start."
    )
    choices: list[str] = Field(
        default_factory=list,
        description="Texts for {choice}; picked deterministically from the hostname and count.",
    )


class Behavior(BaseModel):
    """What an image's program does once its container starts.

    Level packs write this in YAML. Text fields are templates: ``{hostname}``, ``{pod_ip}``,
    ``{path}``, ``{method}``, ``{client_ip}`` and ``{date}`` are filled in when the text is
    produced; unknown ``{names}`` are left as they are.
    """

    model_config = ConfigDict(extra="forbid")

    ports: list[int] = Field(default_factory=list, description="TCP ports the program binds.")
    response: str | None = Field(
        default=None, description="HTTP body answered to every request (template)."
    )
    response_status: int = Field(default=200, description="HTTP status of `response`.")
    serve_file: str | None = Field(
        default=None,
        description="Answer with this file's content from the container's filesystem/volumes.",
    )
    failing_after_requests: int | None = Field(
        default=None, description="After this many requests, answer `failing_response` instead."
    )
    failing_status: int = Field(default=500, description="HTTP status once failing.")
    failing_response: str = Field(
        default="Internal Server Error\n", description="HTTP body once failing (template)."
    )
    request_log: str | None = Field(
        default=None, description="Log line per request (template), e.g. an access log."
    )
    memory: str = Field(default="1Mi", description="Resident memory once started (quantity).")
    memory_growth: str | None = Field(
        default=None, description="Memory added per second: a leak that ends in OOMKilled."
    )
    memory_max: str | None = Field(
        default=None, description="Memory stops growing here; None grows without bound."
    )
    cpu: str = Field(default="1m", description="CPU used while running, for `kubectl top`.")
    startup_seconds: float = Field(
        default=0.0, description="Seconds from Started until the program accepts connections."
    )
    exit_after_seconds: float | None = Field(
        default=None, description="Seconds until the program exits; None runs forever."
    )
    exit_code: int = Field(default=0, description="Exit code when it exits.")
    logs: list[str] = Field(default_factory=list, description="Lines printed at start.")
    exit_logs: list[str] = Field(default_factory=list, description="Lines printed on exit.")
    log_every_seconds: float | None = Field(
        default=None, description="Period of `periodic_log`, first printed at start."
    )
    periodic_log: str | None = Field(default=None, description="Line printed every period.")
    writes: list[FileWrite] = Field(default_factory=list, description="Files the program writes.")
    shell: bool = Field(
        default=False,
        description="The image has a shell and coreutils: a command/args other than the "
        "image's own are interpreted (sleep, sh -c, echo, exit, while loops).",
    )
    interval_arg: bool = Field(
        default=False,
        description="The first argument, when given, sets the period of writes and periodic logs "
        "in seconds (luksa/fortune:args).",
    )
    interval_env: str | None = Field(
        default=None,
        description="Env var that sets the period of writes and periodic logs (fortune:env).",
    )
    memory_arg: bool = Field(
        default=False,
        description="The first argument is a byte count the program allocates (luksa/memoryhog).",
    )
    bind_error: str = Field(
        default="bind: address already in use",
        description="Log line (template; {port} is the port) when a port is already bound in "
        "the pod; the program then exits 1.",
    )
    data_file: str | None = Field(
        default=None,
        description="A POST's body is stored in this file and a GET reports it (the book's "
        "luksa/kubia-pet); the answers replace `response`.",
    )
    peers_service: str | None = Field(
        default=None,
        description="With `data_file`: a GET lists the data of every peer this DNS name's SRV "
        "records name (luksa/kubia-pet-peers).",
    )
    ignores_sigterm: bool = Field(
        default=False,
        description="The program runs as PID 1 without a TERM handler (node app.js, a bare "
        "shell loop): TERM does nothing, so the container stops only at the grace period's KILL.",
    )


class Layer(BaseModel):
    """One history entry of an image: a filesystem diff or a 0-byte metadata step."""

    model_config = ConfigDict(extra="forbid")

    id: str
    created_by: str
    size: int = 0
    created: int = 0
    empty_layer: bool = False
    comment: str = ""


class Image(BaseModel):
    """An image: its layers, config, the files it ships, and its behaviour."""

    model_config = ConfigDict(extra="forbid")

    repository: str
    tag: str = "latest"
    id: str
    layers: list[Layer]
    behavior: Behavior = Field(default_factory=Behavior)
    env: dict[str, str] = Field(default_factory=dict)
    exposed_ports: list[int] = Field(default_factory=list)
    workdir: str = "/"
    cmd: list[str] | None = None
    entrypoint: list[str] | None = None
    user: str = ""
    labels: dict[str, str] = Field(default_factory=dict)
    files: dict[str, str] = Field(default_factory=dict, description="Text files baked in.")
    created: int = 0

    @property
    def size(self) -> int:
        """Total bytes, the sum of the layers."""
        return sum(layer.size for layer in self.layers)

    @property
    def name(self) -> str:
        """``repository:tag``."""
        return f"{self.repository}:{self.tag}"

    @property
    def short_id(self) -> str:
        """12-hex-character image id."""
        return short_id(self.id)

    @property
    def fs_layers(self) -> list[Layer]:
        """Layers that carry files: the blobs a pull downloads and a push uploads."""
        return [layer for layer in self.layers if not layer.empty_layer]

    @property
    def digest(self) -> str:
        """Repository digest (``sha256:...``): the hash of :meth:`manifest_json`."""
        return sha256_id(self.manifest_json())

    def manifest_json(self) -> str:
        """A registry manifest for the image (its byte length is what ``docker push`` prints)."""
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1500 + 120 * len(self.layers),
                "digest": self.id,
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": layer.size,
                    "digest": layer.id,
                }
                for layer in self.fs_layers
            ],
        }
        return json.dumps(manifest, indent=3)

    def named(self, repository: str, tag: str) -> Image:
        """The same image content under another name."""
        return self.model_copy(update={"repository": repository, "tag": tag})


def layer_id(parent_id: str, created_by: str) -> str:
    """The id of the layer that ``created_by`` makes on top of ``parent_id`` ("" for none)."""
    return sha256_id(parent_id, created_by)


_REMEMBERED_LENGTH = 512


@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> ImageRef:
    """:meth:`ImageRef.parse`, remembered: every pod's images are parsed again and again
    (status writes, pulls), and an ImageRef never changes. Errors are not remembered."""
    return ImageRef._parse(text)
