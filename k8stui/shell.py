"""``k8stui shell``: run kubectl, docker, curl and sim commands against a simulated cluster.

Commands come from ``-c 'cmd; cmd'``, a script file, or standard input (a prompt is shown when
it is a terminal). Each command's output is printed as a terminal would show it; a failing
command prints its error and the shell goes on, unless ``--strict`` is given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TextIO

from pydantic import ValidationError

from k8stui.console.session import Session
from k8stui.console.sim_cmd import HELP as SIM_HELP
from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import default_nodes
from k8stui.kubectl.files import OverlayFiles, RealFiles

DESCRIPTION = (
    """Run commands against a simulated Kubernetes 1.32 cluster.

Commands:
  kubectl ...   get, describe, apply -f, create -f, create deployment|service|namespace|
                configmap|secret|serviceaccount|job|cronjob, run, expose, scale, delete,
                replace, set image|env|resources, label, annotate, logs, exec, edit,
                events, config, version, cordon, uncordon, drain, kustomize (apply -k),
                get -w (in a script it runs until its --request-timeout),
                rollout status|history|undo|restart, top nodes|pods,
                attach, port-forward (kept running as a background job)
                (kubectl --help; kubectl CMD --help)
  jobs, kill %N list and stop the background port-forwards
  docker ...    build -t NAME DIR, images, history, tag, push, pull, rmi
  curl URL      an HTTP GET from inside the cluster network (-s, -i, -m SECONDS)
  echo TEXT     print TEXT;  # starts a comment;  ';' separates commands on a line
"""
    + SIM_HELP.replace("sim: control the simulated cluster.\n\n", "Simulator commands:\n")
    + """
kubectl edit reads the new object from --from-file FILE, or from the lines that follow it up to
a line EOF (so does -f -). Files named with -f are read relative to the working directory.

Exit status: 0, or with --strict 1 at the first failing command; 2 for usage errors."""
)


def build_parser() -> argparse.ArgumentParser:
    """The ``k8stui shell`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="k8stui shell",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("script", nargs="?", help="a file of commands (default: standard input)")
    parser.add_argument("-c", dest="commands", metavar="COMMANDS", help="commands to run ('a; b')")
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed of the cluster (default 0)"
    )
    parser.add_argument("--nodes", type=int, default=3, help="number of worker nodes (default 3)")
    parser.add_argument("--node-cpu", default="2", help="CPU of each worker (default 2)")
    parser.add_argument("--node-memory", default="4Gi", help="memory of each worker (default 4Gi)")
    parser.add_argument("--level", help="start from a level's cluster and files")
    parser.add_argument("--pack", help="the level pack to find --level in")
    parser.add_argument("--strict", action="store_true", help="stop at the first failing command")
    parser.add_argument(
        "--api",
        action="store_true",
        help="also serve the cluster to your own kubectl while the shell runs (docs/api.md)",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="at the prompt, let the cluster's clock follow the wall clock "
        "(otherwise time moves only with sleep / sim advance)",
    )
    echo = parser.add_mutually_exclusive_group()
    echo.add_argument(
        "--echo",
        dest="echo",
        action="store_true",
        default=None,
        help="print each command (with a $ prompt) before its output",
    )
    echo.add_argument("--no-echo", dest="echo", action="store_false")
    return parser


MAX_SCRIPT_BYTES = 16 * 1024 * 1024


class ScriptError(OSError):
    """A script file that cannot be read as commands (printed as ``k8stui shell: ...``)."""


def _lines_from(args: argparse.Namespace, stdin: TextIO) -> Iterable[str]:
    if args.commands is not None:
        return [args.commands]
    if args.script:
        with open(args.script, "rb") as handle:
            data = handle.read(MAX_SCRIPT_BYTES + 1)
        if len(data) > MAX_SCRIPT_BYTES:
            raise ScriptError(f"{args.script} is larger than {MAX_SCRIPT_BYTES} bytes")
        try:
            return data.decode("utf-8-sig").splitlines()
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ScriptError(
                f"{args.script}:{line}: byte 0x{data[exc.start]:02x} is not UTF-8 text; "
                "save the script as UTF-8"
            ) from None
    return (line.rstrip("\n") for line in stdin)


def _write(chunks: Iterable[tuple[int, str]], out: TextIO, err: TextIO) -> None:
    # Flushing after each piece keeps the two streams in the order the command wrote them.
    for stream, text in chunks:
        target = out if stream == 1 else err
        target.write(text)
        target.flush()


def run(args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO) -> int:
    """Run the shell with parsed ``args``; returns the exit code."""
    if args.level or args.pack:
        if not args.level:
            err.write("k8stui shell: --pack needs --level\n")
            return 2
        session = level_session(args, err)
        if session is None:
            return 2
        return _drive(session, args, stdin, out, err)
    if args.nodes < 1:
        err.write("k8stui shell: --nodes must be at least 1\n")
        return 2
    try:
        config = ClusterConfig(
            seed=args.seed,
            nodes=default_nodes(args.nodes, cpu=args.node_cpu, memory=args.node_memory),
        )
        cluster = Cluster(config)
    except ValidationError as exc:
        first = exc.errors()[0]
        err.write(
            f"k8stui shell: invalid cluster settings: {first['msg'].removeprefix('Value error, ')}\n"
        )
        return 2
    except ValueError as exc:
        err.write(f"k8stui shell: invalid cluster settings: {exc}\n")
        return 2
    return _drive(Session(cluster, RealFiles(".")), args, stdin, out, err)


def level_session(args: argparse.Namespace, err: TextIO) -> Session | None:
    """A session on a level's cluster, with the level's files under the working folder's."""
    from k8stui.game.pack import PackError, builtin_pack, load_pack
    from k8stui.game.runner import LevelRun

    try:
        pack = load_pack(args.pack) if args.pack else builtin_pack()
        level = pack.level(args.level)
    except PackError as exc:
        err.write(f"k8stui shell: {exc}\n")
        return None
    except KeyError:
        known = ", ".join(entry.id for entry in pack.levels)
        err.write(f"k8stui shell: no level {args.level!r} in pack {pack.id} (levels: {known})\n")
        return None
    run = LevelRun(level, pack)
    names = ", ".join(run.file_names()) or "none"
    err.write(f"level {level.id}: {level.title} (files: {names})\n")
    return Session(run.cluster, OverlayFiles(RealFiles("."), run.files))


def _drive(
    session: Session, args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    """Run the commands from ``-c``, a script or standard input."""
    if getattr(args, "api", False):
        from k8stui.server.kubeconfig import KubeconfigError
        from k8stui.server.runner import PortInUse
        from k8stui.server.shell_api import serve_session

        try:
            session = serve_session(session, err)
        except (KubeconfigError, PortInUse, OSError) as exc:
            err.write(f"k8stui shell: --api: {exc}\n")
            return 2
    if args.commands is None and not args.script and stdin.isatty():
        from k8stui.shell_prompt import history_path, interactive

        return interactive(session, out, err, _write, live=args.live, history=history_path())
    echo = args.echo if args.echo is not None else args.commands is None
    script = "\n".join(_lines_from(args, stdin))
    code = 0
    # A transcript starts each echoed command on a line of its own, even after output that
    # ends without a newline (``-o jsonpath``); without echo the bytes stay kubectl's.
    open_line = False
    for line, result in session.run_script(script):
        if echo:
            out.write(f"{chr(10) if open_line else ''}$ {line}\n")
        _write(result.chunks, out, err)
        stdout = [text for stream, text in result.chunks if stream == 1 and text]
        if stdout:
            open_line = not stdout[-1].endswith("\n")
        code = result.exit_code
        if code and args.strict:
            return 1
    return code


def main(argv: list[str] | None = None) -> int:
    """``k8stui shell`` entry point."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return run(args, sys.stdin, sys.stdout, sys.stderr)
    except OSError as exc:
        sys.stderr.write(f"k8stui shell: {exc}\n")
        return 2
