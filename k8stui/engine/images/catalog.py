"""The built-in images: what the book's examples and the built-in levels run.

Layer lists follow the real images' ``docker history`` in shape (an OS layer, package layers,
small COPY layers, 0-byte metadata steps) with realistic sizes; images built on the same base
share its layers, so a node that already has ``debian`` or ``alpine`` downloads less. The
``luksa/kubia`` images are produced the way the book does it — a ``docker build`` of ``app.js``
on ``node:7`` — so a player who builds the same files gets the same layer ids.
"""

from __future__ import annotations

from k8stui.engine.images.catalog_base import nginx_images, node7_image, os_images
from k8stui.engine.images.catalog_layers import DAY, copy_layer, nop, rootfs, stack
from k8stui.engine.images.catalog_stateful import stateful_images
from k8stui.engine.images.catalog_system import system_images
from k8stui.engine.images.catalog_tags import tagged_images
from k8stui.engine.images.docker_host import DockerHost
from k8stui.engine.images.model import Behavior, FileWrite, Image
from k8stui.engine.images.registry import Registry

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
        ignores_sigterm=True,  # node app.js as PID 1, no TERM handler
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
    fortune_base = stack(
        "luksa/fortune",
        "latest",
        ubuntu,
        [
            ("/bin/sh -c apt-get update ; apt-get -y install fortune", 48_200_000),
            copy_layer("fortune/fortuneloop.sh", "/bin/fortuneloop.sh", len(FORTUNE_LOOP)),
        ],
        -2_600 * DAY,
        files={"/bin/fortuneloop.sh": FORTUNE_LOOP},
        behavior=fortune_behavior,
    )
    shell_entry = ["/bin/sh", "-c", "/bin/fortuneloop.sh"]
    fortune = stack(
        "luksa/fortune",
        "latest",
        fortune_base,
        [nop('ENTRYPOINT ["/bin/sh" "-c" "/bin/fortuneloop.sh"]')],
        -2_600 * DAY,
        entrypoint=shell_entry,
        cmd=None,
    )
    configured = fortune_behavior.model_copy(
        update={"logs": ["Configured to generate new fortune every {interval} seconds"]}
    )
    fortune_args = stack(
        "luksa/fortune",
        "args",
        fortune_base,
        [nop('ENTRYPOINT ["/bin/fortuneloop.sh"]'), nop('CMD ["10"]')],
        -2_500 * DAY,
        entrypoint=["/bin/fortuneloop.sh"],
        cmd=["10"],
        behavior=configured.model_copy(update={"interval_arg": True}),
    )
    fortune_env = stack(
        "luksa/fortune",
        "env",
        fortune_base,
        [nop('ENTRYPOINT ["/bin/fortuneloop.sh"]')],
        -2_500 * DAY,
        entrypoint=["/bin/fortuneloop.sh"],
        cmd=None,
        behavior=configured.model_copy(update={"interval_env": "INTERVAL"}),
    )
    batch = stack(
        "luksa/batch-job",
        "latest",
        busybox,
        [copy_layer("batch/batch-job.sh", "/batch-job.sh", 112), nop('CMD ["sh" "/batch-job.sh"]')],
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
    redis = stack(
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
            nop("ENV REDIS_VERSION=7.4.1"),
            (
                "/bin/sh -c set -eux; apt-get install -y --no-install-recommends gcc make; make -C "
                "/usr/src/redis; make -C /usr/src/redis install",
                13_820_000,
            ),
            ("/bin/sh -c mkdir /data && chown redis:redis /data", 0),
            nop("VOLUME [/data]"),
            ("/bin/sh -c #(nop) WORKDIR /data", 0),
            copy_layer("redis/docker-entrypoint.sh", "/usr/local/bin/", 661),
            nop('ENTRYPOINT ["docker-entrypoint.sh"]'),
            nop("EXPOSE 6379"),
            nop('CMD ["redis-server"]'),
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
    memhog = stack(
        "k8stui/memhog",
        "latest",
        None,
        [copy_layer("memhog/memhog", "/memhog", 1_210_000), nop('ENTRYPOINT ["/memhog"]')],
        -10 * DAY,
        entrypoint=["/memhog"],
        behavior=Behavior(
            memory="10Mi", memory_growth="10Mi", logs=["memhog: allocating 10Mi more every second"]
        ),
    )
    memoryhog = stack(
        "luksa/memoryhog",
        "latest",
        None,
        [
            copy_layer("memoryhog/memoryhog", "/memoryhog", 1_560_000),
            nop('ENTRYPOINT ["/memoryhog"]'),
        ],
        -2_300 * DAY,
        entrypoint=["/memoryhog"],
        behavior=Behavior(memory="1Mi", memory_growth="100Mi", memory_max="300Mi", memory_arg=True),
    )
    crasher = stack(
        "k8stui/crasher",
        "latest",
        None,
        [copy_layer("crasher/crasher", "/crasher", 2_020_000), nop('ENTRYPOINT ["/crasher"]')],
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
    base = os_images()
    jessie = stack(
        "debian",
        "jessie",
        None,
        [rootfs("debian-jessie", 123_400_000), nop('CMD ["bash"]')],
        -2_800 * DAY,
        cmd=["bash"],
        behavior=base["debian"].behavior,
    )
    node7 = node7_image(jessie)
    images = [
        *base.values(),
        *(image.named(image.repository, "latest") for image in base.values()),
        jessie,
        node7,
        *nginx_images(base["debian"], base["alpine"]),
        *_kubia(node7),
        *stateful_images(node7),
        *_apps(base["ubuntu"], base["busybox"]),
        *_tools(base["debian"]),
        *system_images(),
        *tagged_images(base, node7),
    ]
    return images


def builtin_registry() -> Registry:
    """A registry holding the built-in catalog (what the nodes pull from at the start)."""
    return Registry(builtin_images())
