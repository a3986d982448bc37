"""The images a kind 1.32 node ships with: the control plane, kube-proxy, kindnet, CoreDNS.

kind preloads them into its node image, so every simulated node starts with them in its
image cache (the kubelet reports "already present on machine" instead of pulling).
"""

from __future__ import annotations

from k8stui.engine.images.catalog_layers import DAY, copy_layer, nop, rootfs, stack
from k8stui.engine.images.model import Behavior, Image

ETCD = "registry.k8s.io/etcd:3.5.16-0"
KUBE_APISERVER = "registry.k8s.io/kube-apiserver:v1.32.0"
KUBE_CONTROLLER_MANAGER = "registry.k8s.io/kube-controller-manager:v1.32.0"
KUBE_SCHEDULER = "registry.k8s.io/kube-scheduler:v1.32.0"
KUBE_PROXY = "registry.k8s.io/kube-proxy:v1.32.0"
KINDNETD = "docker.io/kindest/kindnetd:v20241108-5c6d2daf"
COREDNS = "registry.k8s.io/coredns/coredns:v1.11.3"

SYSTEM_IMAGES = (
    ETCD,
    KUBE_APISERVER,
    KUBE_CONTROLLER_MANAGER,
    KUBE_SCHEDULER,
    KUBE_PROXY,
    KINDNETD,
    COREDNS,
)

# (reference, binary, size of its layer, resident memory, ports, first log line)
_SHAPES: tuple[tuple[str, str, int, str, list[int], str], ...] = (
    (ETCD, "/usr/local/bin/etcd", 57_680_000, "40Mi", [2379, 2380], "starting etcd"),
    (
        KUBE_APISERVER,
        "/usr/local/bin/kube-apiserver",
        28_660_000,
        "250Mi",
        [6443],
        "Serving securely on [::]:6443",
    ),
    (
        KUBE_CONTROLLER_MANAGER,
        "/usr/local/bin/kube-controller-manager",
        26_260_000,
        "50Mi",
        [10257],
        "successfully acquired lease kube-system/kube-controller-manager",
    ),
    (
        KUBE_SCHEDULER,
        "/usr/local/bin/kube-scheduler",
        20_650_000,
        "20Mi",
        [10259],
        "successfully acquired lease kube-system/kube-scheduler",
    ),
    (
        KUBE_PROXY,
        "/usr/local/bin/kube-proxy",
        30_910_000,
        "15Mi",
        [10249],
        "Using iptables proxy mode",
    ),
    (KINDNETD, "/bin/kindnetd", 38_600_000, "10Mi", [], "INFO: kindnetd started"),
    (COREDNS, "/coredns", 18_560_000, "15Mi", [53, 9153], "CoreDNS-1.11.3"),
)


def _split(ref: str) -> tuple[str, str]:
    repository, _, tag = ref.rpartition(":")
    return repository.removeprefix("docker.io/"), tag


def system_images() -> list[Image]:
    """One image per system component, on a small distroless base."""
    base = stack(
        "registry.k8s.io/build-image/distroless",
        "v1.32",
        None,
        [rootfs("distroless-static", 2_100_000)],
        -60 * DAY,
    )
    images = []
    for ref, binary, size, memory, ports, line in _SHAPES:
        repository, tag = _split(ref)
        images.append(
            stack(
                repository,
                tag,
                base,
                [copy_layer(binary, binary, size), nop(f'ENTRYPOINT ["{binary}"]')],
                -30 * DAY,
                entrypoint=[binary],
                exposed_ports=ports,
                behavior=Behavior(memory=memory, cpu="5m", logs=[line]),
            )
        )
    return images
