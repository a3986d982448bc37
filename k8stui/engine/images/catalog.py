"""The built-in images: what the book's examples and the built-in levels run.

Layer lists follow the real images' ``docker history`` in shape (an OS layer, package layers,
small COPY layers, 0-byte metadata steps) with realistic sizes; images built on the same base
share its layers, so a node that already has ``debian`` or ``alpine`` downloads less. The
``luksa/kubia`` images are produced the way the book does it — a ``docker build`` of ``app.js``
on ``node:7`` — so a player who builds the same files gets the same layer ids.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.images.docker_host import DockerHost
from k8stui.engine.images.model import Behavior, FileWrite, Image, Layer, layer_id, sha256_id
from k8stui.engine.images.registry import Registry

DAY = 86_400_000

FORTUNES = [
    "A watched pod never becomes Ready.",
    "The scheduler giveth, and the node controller taketh away.",
    "Today is a good day to read the events.",
    "You will find what you seek in `kubectl describe`.",
    "Cattle, not pets: a good herd replaces its lost calves.",
    "Labels are cheap; use many and select wisely.",
    "A Service without endpoints is a promise nobody keeps.",
    "Every restart teaches the kubelet patience: 10s, 20s, 40s...",
    "Your future holds three replicas and one surprise.",
    "Desired state is a wish the controllers take seriously.",
    "The layer you did not change is the layer you need not push.",
    "He who sets no memory limit meets the OOM killer unannounced.",
]

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

KUBIA_APP = """const http = require('http');
const os = require('os');

console.log("Kubia server starting...");

var handler = function(request, response) {
  console.log("Received request from " + request.connection.remoteAddress);
  response.writeHead(200);
  response.end("You've hit " + os.hostname() + "\\n");
};

var www = http.createServer(handler);
www.listen(8080);
"""

FORTUNE_LOOP = """#!/bin/bash
trap "exit" SIGINT
INTERVAL=${1:-10}
mkdir -p /var/htdocs
while :
do
  echo $(date) Writing fortune to /var/htdocs/index.html
  /usr/games/fortune > /var/htdocs/index.html
  sleep $INTERVAL
done
"""


def _rootfs(name: str, size: int) -> tuple[str, int]:
    return (f"/bin/sh -c #(nop) ADD file:{sha256_id(name)[7:]} in / ", size)


def _copy(path: str, dest: str, size: int) -> tuple[str, int]:
    return (f"/bin/sh -c #(nop) COPY file:{sha256_id(path)[7:]} in {dest} ", size)


def _nop(text: str) -> tuple[str, int]:
    return (f"/bin/sh -c #(nop)  {text}", 0)


def _stack(
    repository: str,
    tag: str,
    base: Image | None,
    steps: list[tuple[str, int]],
    created: int,
    **config: Any,
) -> Image:
    """An image made of ``base``'s layers plus ``steps``; config inherits from ``base``."""
    parent = base.id if base else ""
    layers = list(base.layers) if base else []
    for created_by, size in steps:
        parent = layer_id(parent, created_by)
        empty = "#(nop)" in created_by and " ADD " not in created_by and " COPY " not in created_by
        layers.append(
            Layer(id=parent, created_by=created_by, size=size, created=created, empty_layer=empty)
        )
    inherited: dict[str, Any] = {}
    if base is not None:
        inherited = base.model_dump(
            include={"env", "workdir", "cmd", "entrypoint", "files", "behavior", "exposed_ports"}
        )
    fields = {**inherited, **config}
    return Image.model_validate(
        {"repository": repository, "tag": tag, "id": parent, "layers": layers, "created": created}
        | fields
    )


def _os_images() -> dict[str, Image]:
    sh = Behavior(shell=True, exit_after_seconds=0, memory="512Ki", cpu="0m")
    alpine = _stack(
        "alpine",
        "3.21",
        None,
        [_rootfs("alpine-3.21", 7_834_342), _nop('CMD ["/bin/sh"]')],
        -40 * DAY,
        cmd=["/bin/sh"],
        behavior=sh,
    )
    busybox = _stack(
        "busybox",
        "1.37",
        None,
        [_rootfs("busybox-1.37", 4_261_550), _nop('CMD ["sh"]')],
        -90 * DAY,
        cmd=["sh"],
        behavior=sh,
    )
    debian = _stack(
        "debian",
        "bookworm",
        None,
        [_rootfs("debian-bookworm", 28_230_000), _nop('CMD ["bash"]')],
        -30 * DAY,
        cmd=["bash"],
        behavior=sh,
    )
    ubuntu = _stack(
        "ubuntu",
        "24.04",
        None,
        [_rootfs("ubuntu-noble", 78_100_000), _nop('CMD ["/bin/bash"]')],
        -60 * DAY,
        cmd=["/bin/bash"],
        behavior=sh,
    )
    return {"alpine": alpine, "busybox": busybox, "debian": debian, "ubuntu": ubuntu}


def _nginx(debian: Image, alpine: Image) -> list[Image]:
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
        _copy("nginx/docker-entrypoint.sh", "/", 1_620),
        _copy("nginx/10-listen-on-ipv6-by-default.sh", "/docker-entrypoint.d", 2_125),
        _copy("nginx/15-local-resolvers.envsh", "/docker-entrypoint.d", 389),
        _copy("nginx/20-envsubst-on-templates.sh", "/docker-entrypoint.d", 3_018),
        _copy("nginx/30-tune-worker-processes.sh", "/docker-entrypoint.d", 4_620),
        _nop('ENTRYPOINT ["/docker-entrypoint.sh"]'),
        _nop("EXPOSE 80"),
        _nop("STOPSIGNAL SIGQUIT"),
        _nop('CMD ["nginx" "-g" "daemon off;"]'),
    ]
    config: dict[str, Any] = {
        "entrypoint": ["/docker-entrypoint.sh"],
        "cmd": ["nginx", "-g", "daemon off;"],
        "exposed_ports": [80],
        "behavior": behavior,
        "files": {"/usr/share/nginx/html/index.html": NGINX_INDEX},
        "env": {"NGINX_VERSION": "1.27.3"},
    }
    head = [
        _nop("LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>"),
        _nop("ENV NGINX_VERSION=1.27.3"),
        _nop("ENV NJS_VERSION=0.8.7"),
        _nop("ENV PKG_RELEASE=1~bookworm"),
    ]
    # Sizes add up to the 72099410 bytes the kubelet reports for nginx:1.27.
    install = (
        "/bin/sh -c set -x && groupadd --system --gid 101 nginx && apt-get update && "
        "apt-get install --no-install-recommends -y nginx=${NGINX_VERSION}",
        43_857_638,
    )
    debian_based = _stack("nginx", "1.27", debian, [*head, install, *tail], -20 * DAY, **config)
    alpine_based = _stack(
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


def _node7(debian_jessie: Image) -> Image:
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
        _nop("ENV NPM_CONFIG_LOGLEVEL=info"),
        _nop("ENV NODE_VERSION=7.10.1"),
        (
            '/bin/sh -c curl -SLO "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-'
            'x64.tar.xz" && tar -xJf "node-v$NODE_VERSION-linux-x64.tar.xz" -C /usr/local',
            44_100_000,
        ),
        _nop("ENV YARN_VERSION=0.24.6"),
        (
            "/bin/sh -c set -ex && curl -fSLO https://yarnpkg.com/downloads/$YARN_VERSION/yarn-"
            "v$YARN_VERSION.tar.gz && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/",
            4_700_000,
        ),
        _nop('CMD ["node"]'),
    ]
    # Without a terminal, the node REPL reads an empty stdin and exits 0 at once.
    behavior = Behavior(shell=True, exit_after_seconds=0, memory="6Mi")
    return _stack(
        "node",
        "7",
        debian_jessie,
        steps,
        -2_750 * DAY,
        cmd=["node"],
        behavior=behavior,
        env={"NODE_VERSION": "7.10.1"},
    )


def _kubia(node7: Image) -> list[Image]:
    host = DockerHost(Registry([node7]))
    kubia_log = "Received request from ::ffff:{client_ip}"
    v3 = Behavior(
        ports=[8080],
        response="This is v3 running in pod {hostname}\n",
        memory="9Mi",
        failing_after_requests=5,
        failing_response="Some internal error has occurred! This is pod {hostname}\n",
        logs=["Kubia server starting..."],
        request_log=kubia_log,
        shell=True,
    )
    unhealthy = v3.model_copy(
        update={
            "response": "You've hit {hostname}\n",
            "failing_response": "I'm not well. Please restart me!",
        }
    )
    host.attach_behavior("luksa/kubia:v3", v3)
    host.attach_behavior("luksa/kubia-unhealthy", unhealthy)
    dockerfile = 'FROM node:7\nADD app.js /app.js\nENTRYPOINT ["node", "app.js"]\n'
    failing = (
        "var requestCount = 0;\n\nvar handler = function(request, response) {\n"
        "  if (++requestCount > 5) {\n    response.writeHead(500);\n"
        '    response.end("{failure}" + os.hostname() + "\\n");\n    return;\n  }\n'
    )
    variants = {
        "luksa/kubia:latest": KUBIA_APP,
        "luksa/kubia:v1": KUBIA_APP.replace("You've hit ", "This is v1 running in pod "),
        "luksa/kubia:v2": KUBIA_APP.replace("You've hit ", "This is v2 running in pod "),
        "luksa/kubia:v3": KUBIA_APP.replace("You've hit ", "This is v3 running in pod ").replace(
            "var handler = function(request, response) {\n",
            failing.replace("{failure}", "Some internal error has occurred! This is pod "),
        ),
        "luksa/kubia-unhealthy:latest": KUBIA_APP.replace(
            "var handler = function(request, response) {\n",
            failing.replace("{failure}", "I'm not well. Please restart me!").replace(
                ' + os.hostname() + "\\n"', ""
            ),
        ),
    }
    built = []
    for offset, (name, source) in enumerate(variants.items()):
        when = -2_700 * DAY + offset * 30 * DAY
        result = host.build(name, {"Dockerfile": dockerfile, "app.js": source}, now_ms=when)
        assert result.image is not None, result.error
        built.append(result.image)
    return built


def _apps(ubuntu: Image, busybox: Image) -> list[Image]:
    fortune_behavior = Behavior(
        memory="1Mi",
        shell=True,
        log_every_seconds=10,
        periodic_log="{date} Writing fortune to /var/htdocs/index.html",
        writes=[FileWrite(path="/var/htdocs/index.html", every_seconds=10, choices=FORTUNES)],
    )
    fortune_base = _stack(
        "luksa/fortune",
        "latest",
        ubuntu,
        [
            ("/bin/sh -c apt-get update ; apt-get -y install fortune", 48_200_000),
            _copy("fortune/fortuneloop.sh", "/bin/fortuneloop.sh", len(FORTUNE_LOOP)),
        ],
        -2_600 * DAY,
        files={"/bin/fortuneloop.sh": FORTUNE_LOOP},
        behavior=fortune_behavior,
    )
    shell_entry = ["/bin/sh", "-c", "/bin/fortuneloop.sh"]
    fortune = _stack(
        "luksa/fortune",
        "latest",
        fortune_base,
        [_nop('ENTRYPOINT ["/bin/sh" "-c" "/bin/fortuneloop.sh"]')],
        -2_600 * DAY,
        entrypoint=shell_entry,
        cmd=None,
    )
    configured = fortune_behavior.model_copy(
        update={"logs": ["Configured to generate new fortune every {interval} seconds"]}
    )
    fortune_args = _stack(
        "luksa/fortune",
        "args",
        fortune_base,
        [_nop('ENTRYPOINT ["/bin/fortuneloop.sh"]'), _nop('CMD ["10"]')],
        -2_500 * DAY,
        entrypoint=["/bin/fortuneloop.sh"],
        cmd=["10"],
        behavior=configured.model_copy(update={"interval_arg": True}),
    )
    fortune_env = _stack(
        "luksa/fortune",
        "env",
        fortune_base,
        [_nop('ENTRYPOINT ["/bin/fortuneloop.sh"]')],
        -2_500 * DAY,
        entrypoint=["/bin/fortuneloop.sh"],
        cmd=None,
        behavior=configured.model_copy(update={"interval_env": "INTERVAL"}),
    )
    batch = _stack(
        "luksa/batch-job",
        "latest",
        busybox,
        [_copy("batch/batch-job.sh", "/batch-job.sh", 112), _nop('CMD ["sh" "/batch-job.sh"]')],
        -2_400 * DAY,
        cmd=["sh", "/batch-job.sh"],
        behavior=Behavior(
            shell=True,
            memory="512Ki",
            exit_after_seconds=120,
            logs=["{date} Batch job starting"],
            exit_logs=["{date} Finished successfully"],
        ),
    )
    return [fortune, fortune_args, fortune_env, batch]


def _tools(debian: Image) -> list[Image]:
    redis = _stack(
        "redis",
        "7.4",
        debian,
        [
            ("/bin/sh -c groupadd -r -g 999 redis && useradd -r -g redis -u 999 redis", 4_300),
            (
                "/bin/sh -c set -eux; apt-get update; "
                "apt-get install -y --no-install-recommends tzdata",
                1_350_000,
            ),
            _nop("ENV REDIS_VERSION=7.4.1"),
            (
                "/bin/sh -c set -eux; apt-get install -y --no-install-recommends gcc make; make -C "
                "/usr/src/redis; make -C /usr/src/redis install",
                13_820_000,
            ),
            ("/bin/sh -c mkdir /data && chown redis:redis /data", 0),
            _nop("VOLUME [/data]"),
            ("/bin/sh -c #(nop) WORKDIR /data", 0),
            _copy("redis/docker-entrypoint.sh", "/usr/local/bin/", 661),
            _nop('ENTRYPOINT ["docker-entrypoint.sh"]'),
            _nop("EXPOSE 6379"),
            _nop('CMD ["redis-server"]'),
        ],
        -25 * DAY,
        entrypoint=["docker-entrypoint.sh"],
        cmd=["redis-server"],
        workdir="/data",
        exposed_ports=[6379],
        behavior=Behavior(
            ports=[6379],
            memory="4Mi",
            shell=True,
            logs=[
                "1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                "1:M * Server initialized",
                "1:M * Ready to accept connections tcp",
            ],
        ),
    )
    memhog = _stack(
        "k8stui/memhog",
        "latest",
        None,
        [_copy("memhog/memhog", "/memhog", 1_210_000), _nop('ENTRYPOINT ["/memhog"]')],
        -10 * DAY,
        entrypoint=["/memhog"],
        behavior=Behavior(
            memory="10Mi", memory_growth="10Mi", logs=["memhog: allocating 10Mi more every second"]
        ),
    )
    memoryhog = _stack(
        "luksa/memoryhog",
        "latest",
        None,
        [_copy("memoryhog/memoryhog", "/memoryhog", 1_560_000), _nop('ENTRYPOINT ["/memoryhog"]')],
        -2_300 * DAY,
        entrypoint=["/memoryhog"],
        behavior=Behavior(memory="1Mi", memory_growth="100Mi", memory_max="300Mi", memory_arg=True),
    )
    crasher = _stack(
        "k8stui/crasher",
        "latest",
        None,
        [_copy("crasher/crasher", "/crasher", 2_020_000), _nop('ENTRYPOINT ["/crasher"]')],
        -10 * DAY,
        entrypoint=["/crasher"],
        behavior=Behavior(
            memory="2Mi",
            exit_after_seconds=5,
            exit_code=1,
            logs=["crasher: starting up", "crasher: connecting to db:5432..."],
            exit_logs=["panic: dial tcp: lookup db: no such host"],
        ),
    )
    return [redis, redis.named("redis", "latest"), memhog, memoryhog, crasher]


def builtin_images() -> list[Image]:
    """Every built-in image, each named by one ``repository:tag`` (several may share an id)."""
    os_images = _os_images()
    jessie = _stack(
        "debian",
        "jessie",
        None,
        [_rootfs("debian-jessie", 123_400_000), _nop('CMD ["bash"]')],
        -2_800 * DAY,
        cmd=["bash"],
        behavior=os_images["debian"].behavior,
    )
    node7 = _node7(jessie)
    images = [
        *os_images.values(),
        *(image.named(image.repository, "latest") for image in os_images.values()),
        jessie,
        node7,
        *_nginx(os_images["debian"], os_images["alpine"]),
        *_kubia(node7),
        *_apps(os_images["ubuntu"], os_images["busybox"]),
        *_tools(os_images["debian"]),
    ]
    return images


def builtin_registry() -> Registry:
    """A registry holding the built-in catalog (what the nodes pull from at the start)."""
    return Registry(builtin_images())
