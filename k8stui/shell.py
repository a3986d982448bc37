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

from k8stui.console.session import HEREDOC_END, Session, wants_stdin
from k8stui.console.sim_cmd import HELP as SIM_HELP
from k8stui.engine.cluster import Cluster, ClusterConfig
from k8stui.engine.nodes import default_nodes
from k8stui.kubectl.files import OverlayFiles, RealFiles

DESCRIPTION = (
    """Run commands against a simulated Kubernetes 1.32 cluster.

Commands:
  kubectl ...   get, describe, apply -f, create -f, create deployment|service|namespace,
                run, expose, scale, delete, label, annotate, logs, exec, edit, cordon,
                uncordon, drain, rollout status|history|undo|restart, top nodes|pods
                (kubectl --help; kubectl CMD --help)
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


def _lines_from(args: argparse.Namespace, stdin: TextIO) -> Iterable[str]:
    if args.commands is not None:
        return [args.commands]
    if args.script:
        with open(args.script, encoding="utf-8") as handle:
            return handle.read().splitlines()
    return (line.rstrip("\n") for line in stdin)


def _interactive(session: Session, out: TextIO, err: TextIO) -> int:
    code = 0
    while True:
        try:
            line = input("k8stui $ ")
        except EOFError:
            out.write("\n")
            return code
        stdin = None
        if wants_stdin(line):
            body = []
            while True:
                try:
                    more = input("> ")
                except EOFError:
                    break
                if more.strip() == HEREDOC_END:
                    break
                body.append(more)
            stdin = "\n".join(body) + "\n"
        result = session.run(line, stdin)
        _write(result.chunks, out, err)
        code = result.exit_code


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
        session = _level_session(args, err)
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
    except ValueError as exc:
        err.write(f"k8stui shell: invalid cluster settings: {exc}\n")
        return 2
    return _drive(Session(cluster, RealFiles(".")), args, stdin, out, err)


def _level_session(args: argparse.Namespace, err: TextIO) -> Session | None:
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
    if args.commands is None and not args.script and stdin.isatty():
        return _interactive(session, out, err)
    echo = args.echo if args.echo is not None else args.commands is None
    script = "\n".join(_lines_from(args, stdin))
    code = 0
    for line, result in session.run_script(script):
        if echo:
            out.write(f"$ {line}\n")
        _write(result.chunks, out, err)
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
