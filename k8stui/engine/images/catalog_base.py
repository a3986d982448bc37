"""The official base images in the catalog: OS images, nginx and node."""

from __future__ import annotations

from typing import Any

from k8stui.engine.images.catalog_layers import DAY, copy_layer, nop, rootfs, stack
from k8stui.engine.images.model import Behavior, Image

NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""


def os_images() -> dict[str, Image]:
    """alpine, busybox, debian and ubuntu, by repository."""
    sh = Behavior(shell=True, exit_after_seconds=0, memory="512Ki", cpu="0m")
    alpine = stack(
        "alpine",
        "3.21",
        None,
        [rootfs("alpine-3.21", 7_834_342), nop('CMD ["/bin/sh"]')],
        -40 * DAY,
        cmd=["/bin/sh"],
        behavior=sh,
    )
    busybox = stack(
        "busybox",
        "1.37",
        None,
        [rootfs("busybox-1.37", 4_261_550), nop('CMD ["sh"]')],
        -90 * DAY,
        cmd=["sh"],
        behavior=sh,
    )
    debian = stack(
        "debian",
        "bookworm",
        None,
        [rootfs("debian-bookworm", 28_230_000), nop('CMD ["bash"]')],
        -30 * DAY,
        cmd=["bash"],
        behavior=sh,
    )
    ubuntu = stack(
        "ubuntu",
        "24.04",
        None,
        [rootfs("ubuntu-noble", 78_100_000), nop('CMD ["/bin/bash"]')],
        -60 * DAY,
        cmd=["/bin/bash"],
        behavior=sh,
    )
    return {"alpine": alpine, "busybox": busybox, "debian": debian, "ubuntu": ubuntu}


def nginx_images(
    debian: Image, alpine: Image, version: str = "1.27.3", tag: str = "1.27"
) -> list[Image]:
    """nginx ``tag`` (release ``version``) on debian, its ``latest`` name and the alpine one."""
    behavior = Behavior(
        ports=[80],
        serve_file="/usr/share/nginx/html/index.html",
        memory="3Mi",
        startup_seconds=0.2,
        shell=True,
        logs=[
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform "
            "configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
        ],
        request_log='{client_ip} - - [{date}] "{method} {path} HTTP/1.1" {status} {bytes} "-" '
        '"curl/8.11.1" "-"',
        bind_error="nginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use)",
    )
    tail = [
        copy_layer("nginx/docker-entrypoint.sh", "/", 1_620),
        copy_layer("nginx/10-listen-on-ipv6-by-default.sh", "/docker-entrypoint.d", 2_125),
        copy_layer("nginx/15-local-resolvers.envsh", "/docker-entrypoint.d", 389),
        copy_layer("nginx/20-envsubst-on-templates.sh", "/docker-entrypoint.d", 3_018),
        copy_layer("nginx/30-tune-worker-processes.sh", "/docker-entrypoint.d", 4_620),
        nop('ENTRYPOINT ["/docker-entrypoint.sh"]'),
        nop("EXPOSE 80"),
        nop("STOPSIGNAL SIGQUIT"),
        nop('CMD ["nginx" "-g" "daemon off;"]'),
    ]
    config: dict[str, Any] = {
        "entrypoint": ["/docker-entrypoint.sh"],
        "cmd": ["nginx", "-g", "daemon off;"],
        "exposed_ports": [80],
        "behavior": behavior,
        "files": {"/usr/share/nginx/html/index.html": NGINX_INDEX},
        "env": {"NGINX_VERSION": version},
    }
    head = [
        nop("LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>"),
        nop(f"ENV NGINX_VERSION={version}"),
        nop("ENV NJS_VERSION=0.8.7"),
        nop("ENV PKG_RELEASE=1~bookworm"),
    ]
    # Sizes add up to the 72099410 bytes the kubelet reports for nginx:1.27.
    install = (
        "/bin/sh -c set -x && groupadd --system --gid 101 nginx && apt-get update && "
        "apt-get install --no-install-recommends -y nginx=${NGINX_VERSION}",
        43_857_638,
    )
    debian_based = stack("nginx", tag, debian, [*head, install, *tail], -20 * DAY, **config)
    alpine_based = stack(
        "nginx",
        "alpine",
        alpine,
        [
            *head[:2],
            ("/bin/sh -c set -x && apk add --no-cache nginx=${NGINX_VERSION}", 9_512_004),
            ("/bin/sh -c set -x && apk add --no-cache nginx-module-njs", 11_204_881),
            *tail,
        ],
        -20 * DAY,
        **config,
    )
    return [debian_based, debian_based.named("nginx", "latest"), alpine_based]


def node7_image(debian_jessie: Image) -> Image:
    steps = [
        (
            "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends "
            "ca-certificates curl wget && rm -rf /var/lib/apt/lists/*",
            44_600_000,
        ),
        (
            "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends bzr git "
            "mercurial openssh-client subversion procps && rm -rf /var/lib/apt/lists/*",
            122_900_000,
        ),
        (
            "/bin/sh -c set -ex; apt-get update; apt-get install -y --no-install-recommends "
            "autoconf automake bzip2 file g++ gcc make patch xz-utils zlib1g-dev",
            321_300_000,
        ),
        (
            "/bin/sh -c groupadd --gid 1000 node && useradd --uid 1000 --gid node "
            "--shell /bin/bash --create-home node",
            335_000,
        ),
        nop("ENV NPM_CONFIG_LOGLEVEL=info"),
        nop("ENV NODE_VERSION=7.10.1"),
        (
            '/bin/sh -c curl -SLO "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-'
            'x64.tar.xz" && tar -xJf "node-v$NODE_VERSION-linux-x64.tar.xz" -C /usr/local',
            44_100_000,
        ),
        nop("ENV YARN_VERSION=0.24.6"),
        (
            "/bin/sh -c set -ex && curl -fSLO https://yarnpkg.com/downloads/$YARN_VERSION/yarn-"
            "v$YARN_VERSION.tar.gz && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/",
            4_700_000,
        ),
        nop('CMD ["node"]'),
    ]
    # Without a terminal, the node REPL reads an empty stdin and exits 0 at once.
    behavior = Behavior(shell=True, exit_after_seconds=0, memory="6Mi")
    return stack(
        "node",
        "7",
        debian_jessie,
        steps,
        -2_750 * DAY,
        cmd=["node"],
        behavior=behavior,
        env={"NODE_VERSION": "7.10.1"},
    )
