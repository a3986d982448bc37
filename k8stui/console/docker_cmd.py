"""``docker``: build, list, tag, push and remove images on the player's Docker host."""

from __future__ import annotations

import posixpath

from k8stui.engine.cluster import Cluster
from k8stui.engine.images.docker_host import DockerError
from k8stui.kubectl.files import Files, FileTooLarge, NotRegularFile

SUBCOMMANDS: tuple[str, ...] = (
    "build",
    "images",
    "history",
    "tag",
    "push",
    "rmi",
    "pull",
    "run",
    "ps",
)

HELP = """Usage:  docker COMMAND

The simulated Docker host of k8stui. Images you build and push here can run in the cluster.

Commands:
  build -t NAME[:TAG] [-f Dockerfile] DIR   Build an image from a Dockerfile and its context
  images                                    List images
  history IMAGE                             Show the history (layers) of an image
  tag SOURCE TARGET                         Create a tag TARGET that refers to SOURCE
  push NAME[:TAG]                           Push an image to the registry the cluster pulls from
  pull NAME[:TAG]                           Pull an image from the registry
  rmi IMAGE [IMAGE...]                      Remove images
  run ...                                   (containers run in the cluster here: use kubectl run)
"""

_RUN_MESSAGE = """k8stui: there is no local container runtime here: containers run in the cluster.
Run your image as a pod instead, for example:
  kubectl run NAME --image={image} --port=8080
then reach it with curl (kubectl get pod NAME -o wide shows its IP) or expose it as a service."""

Result = tuple[str, str, int]


def _lines(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _build(cluster: Cluster, files: Files, args: list[str]) -> Result:
    tag = ""
    dockerfile = "Dockerfile"
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg in ("-t", "--tag", "-f", "--file"):
            if index >= len(args):
                return (
                    "",
                    f"flag needs an argument: {'t' if arg in ('-t', '--tag') else 'f'}\n",
                    125,
                )
            value = args[index]
            index += 1
            if arg in ("-t", "--tag"):
                tag = value
            else:
                dockerfile = value
        elif arg.startswith(("--tag=", "-t=")):
            tag = arg.split("=", 1)[1]
        elif arg.startswith(("--file=", "-f=")):
            dockerfile = arg.split("=", 1)[1]
        elif arg.startswith("-"):
            return "", f"unknown flag: {arg}\nSee 'docker build --help'.\n", 125
        else:
            rest.append(arg)
    if len(rest) != 1:
        return "", "\"docker build\" requires exactly 1 argument.\nSee 'docker build --help'.\n", 1
    if not tag:
        return "", "k8stui: give the image a name with -t NAME[:TAG]\n", 1
    directory = rest[0]
    if not files.is_dir(directory):
        return "", f'unable to prepare context: path "{directory}" not found\n', 1
    context, problem = _read_context(files, directory)
    if problem:
        return "", problem + "\n", 1
    result = cluster.images.docker.build(tag, context, dockerfile, now_ms=cluster.now_ms)
    if result.error:
        return _lines(result.lines), result.error + "\n", 1
    return _lines(result.lines), "", 0


MAX_CONTEXT_FILES = 10_000
MAX_CONTEXT_BYTES = 64 * 1024 * 1024
"""Bounds of a build context: the simulated daemon keeps it in memory."""


def _read_context(files: Files, directory: str) -> tuple[dict[str, str], str]:
    """The context's files as text (binary files with U+FFFD for what is not UTF-8)."""
    names = files.walk(directory)
    if len(names) > MAX_CONTEXT_FILES:
        return {}, (
            f"k8stui: the build context {directory} has more than {MAX_CONTEXT_FILES} files; "
            "build from a smaller folder"
        )
    context: dict[str, str] = {}
    left = MAX_CONTEXT_BYTES
    for rel in names:
        path = posixpath.join(directory, rel)
        try:
            data = files.read_capped(path, left)
        except FileTooLarge:
            return {}, (
                f"k8stui: the build context {directory} holds more than {MAX_CONTEXT_BYTES} "
                "bytes; build from a smaller folder"
            )
        except NotRegularFile:
            continue  # sockets and FIFOs are not sent to the daemon
        except OSError as exc:
            return {}, f"error checking context: can't stat '{path}': {exc.strerror or exc}"
        left -= len(data)
        # Binary files (images, archives) still take part; the simulator only reads text.
        context[rel] = data.decode("utf-8", "replace")
    return context, ""


def run_docker(cluster: Cluster, files: Files, args: list[str]) -> Result:
    """Run ``docker ARGS``; returns (stdout, stderr, exit code)."""
    if not args or args[0] in ("-h", "--help", "help"):
        return HELP, "", 0
    word, rest = args[0], args[1:]
    docker = cluster.images.docker
    try:
        if word == "build":
            return _build(cluster, files, rest)
        if word == "images":
            return docker.format_images(cluster.now_ms) + "\n", "", 0
        if word == "history" and len(rest) == 1:
            return docker.history(rest[0], cluster.now_ms) + "\n", "", 0
        if word == "tag" and len(rest) == 2:
            docker.tag(rest[0], rest[1])
            return "", "", 0
        if word == "push" and len(rest) == 1:
            lines = docker.push(rest[0])
            refused = lines[-1].startswith(("denied", "An image does not exist"))
            if refused:
                return _lines(lines[:-1]), lines[-1] + "\n", 1
            return _lines(lines), "", 0
        if word == "pull" and len(rest) == 1:
            return _lines(docker.pull(rest[0])), "", 0
        if word == "rmi" and rest:
            return _lines([line for ref in rest for line in docker.rmi(ref)]), "", 0
        if word == "run":
            image = next((a for a in rest if not a.startswith("-")), "IMAGE")
            return "", _RUN_MESSAGE.format(image=image) + "\n", 1
        if word == "ps":
            return "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n", "", 0
    except DockerError as exc:
        return "", f"{exc}\n", 1
    if word in SUBCOMMANDS:
        return "", f"\"docker {word}\" requires arguments.\nSee 'docker {word} --help'.\n", 1
    return "", f"docker: '{word}' is not a docker command.\nSee 'docker --help'\n", 1
