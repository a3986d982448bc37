"""The other tags of the official images, and the *Kubernetes in Action* 2nd edition's Kiada.

Tutorials pin versions (``nginx:1.14.2`` in the Kubernetes docs, ``busybox:1.28`` for
``nslookup``, ``alpine:3.18``...): each tag listed here is a real upstream tag and resolves
to an image of its own (its own version in the layers, so its own id) with the behaviour of
its family. A tag not listed is one Docker Hub does not have either, and fails to pull with
containerd's ``not found``.
"""

from __future__ import annotations

from k8stui.engine.images.catalog_base import nginx_images
from k8stui.engine.images.catalog_layers import DAY, copy_layer, nop, rootfs, stack
from k8stui.engine.images.model import Image

# nginx tag -> the release it names (the last patch of each minor line).
NGINX_TAGS = {
    "1.14.2": "1.14.2",
    "1.15": "1.15.12",
    "1.16": "1.16.1",
    "1.16.1": "1.16.1",
    "1.17": "1.17.10",
    "1.18": "1.18.0",
    "1.18.0": "1.18.0",
    "1.19": "1.19.10",
    "1.20": "1.20.2",
    "1.21": "1.21.6",
    "1.21.6": "1.21.6",
    "1.22": "1.22.1",
    "1.23": "1.23.4",
    "1.24": "1.24.0",
    "1.25": "1.25.5",
    "1.26": "1.26.3",
    "1.27.3": "1.27.3",
}
NGINX_ALIASES = ("mainline", "1.27-alpine", "mainline-alpine")  # 1.27 is the mainline
BUSYBOX_TAGS = ("1.28", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36", "1.36.1", "1.37.0")
ALPINE_TAGS = ("3.12", "3.13", "3.14", "3.15", "3.16", "3.17", "3.18", "3.19", "3.20", "3.21.0")
UBUNTU_TAGS = {"18.04": "bionic", "20.04": "focal", "22.04": "jammy", "24.04": "noble"}

KIADA_VERSIONS = ("0.1", "0.2", "0.3")


def _os_versions(family: Image, tags: tuple[str, ...], size: int) -> list[Image]:
    """The family's other releases: the same shape on a root filesystem of their own."""
    found = []
    for index, tag in enumerate(tags):
        entry = family.layers[-1].created_by.split("#(nop)  ", 1)[-1]
        found.append(
            stack(
                family.repository,
                tag,
                None,
                [rootfs(f"{family.repository}-{tag}", size - 40_000 * index), nop(entry)],
                -(len(tags) - index) * 120 * DAY,
                cmd=family.cmd,
                behavior=family.behavior,
            )
        )
    return found


def _ubuntu_versions(ubuntu: Image) -> list[Image]:
    found = []
    for number, codename in UBUNTU_TAGS.items():
        image = ubuntu
        if number != ubuntu.tag:
            image = stack(
                "ubuntu",
                number,
                None,
                [rootfs(f"ubuntu-{codename}", 72_800_000), nop('CMD ["/bin/bash"]')],
                -int(number.split(".")[0]) * 10 * DAY,
                cmd=["/bin/bash"],
                behavior=ubuntu.behavior,
            )
        found.append(image.named("ubuntu", codename))
        if number != ubuntu.tag:
            found.append(image)
    return found


def _nginx_versions(debian: Image, alpine: Image) -> list[Image]:
    found: list[Image] = []
    for tag, version in NGINX_TAGS.items():
        # Before 1.19 the image had no entrypoint scripts, so nothing logs at start.
        quiet = tuple(int(p) for p in version.split(".")[:2]) < (1, 19)
        debian_based = nginx_images(debian, alpine, version=version, tag=tag)[0]
        if quiet:
            behavior = debian_based.behavior.model_copy(update={"logs": []})
            debian_based = debian_based.model_copy(update={"behavior": behavior})
        found.append(debian_based)
    latest, _, alpine_based = nginx_images(debian, alpine)
    for alias in NGINX_ALIASES:
        source = alpine_based if alias.endswith("alpine") else latest
        found.append(source.named("nginx", alias))
    return found


def _kiada(node: Image) -> list[Image]:
    """``luksa/kiada``: the book's Node.js demo app, answering in plain text on port 8080."""
    found = []
    for index, version in enumerate(KIADA_VERSIONS):
        behavior = node.behavior.model_copy(
            update={
                "ports": [8080],
                "exit_after_seconds": None,
                "memory": "12Mi",
                "response": f'Kiada version {version}. Request processed by "{{hostname}}". '
                "Client IP: ::ffff:{client_ip}\n",
                "request_log": "Received request for {path} from ::ffff:{client_ip}",
                "logs": [
                    "Kiada - Kubernetes in Action Demo Application",
                    "---------------------------------------------",
                    f"Kiada {version} starting...",
                    "Local hostname is {hostname}",
                    "Listening on port 8080",
                ],
                # 0.1 and 0.2 have no TERM handler (node is PID 1); 0.3 added one.
                "ignores_sigterm": version in ("0.1", "0.2"),
            }
        )
        found.append(
            stack(
                "luksa/kiada",
                version,
                node,
                [
                    copy_layer(f"kiada-{version}/app.js", "/app.js", 2_796 + 60 * index),
                    copy_layer(f"kiada-{version}/html", "/html/", 61_200),
                    nop('ENTRYPOINT ["node" "app.js"]'),
                ],
                -(900 - 60 * index) * DAY,
                entrypoint=["node", "app.js"],
                cmd=None,
                exposed_ports=[],
                behavior=behavior,
            )
        )
    return found


def tagged_images(base: dict[str, Image], node: Image) -> list[Image]:
    """Every extra tag: official image versions and the Kiada releases."""
    return [
        *_os_versions(base["busybox"], BUSYBOX_TAGS, 4_261_550),
        *_os_versions(base["alpine"], ALPINE_TAGS, 7_834_342),
        *_ubuntu_versions(base["ubuntu"]),
        *_nginx_versions(base["debian"], base["alpine"]),
        *_kiada(node),
    ]
