"""``kubectl``: finding the command (and sub-command), parsing its flags and running it."""

from __future__ import annotations

from collections.abc import Sequence

from k8stui.engine.cluster import Cluster
from k8stui.kubectl.client_config import ClientConfig
from k8stui.kubectl.commands import (
    api_resources,
    apply,
    attach,
    cluster_info,
    config,
    create,
    delete,
    describe_cmd,
    diff,
    edit,
    events,
    exec_cmd,
    explain,
    expose,
    get,
    kustomize_cmd,
    label,
    logs,
    nodes,
    patch,
    port_forward,
    replace,
    rollout,
    run,
    scale,
    set_cmd,
    top,
    version,
    wait,
)
from k8stui.kubectl.commands.args import FlagError, parse
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError, Output
from k8stui.kubectl.commands.help import ALL_COMMANDS, command_help, global_options, overview
from k8stui.kubectl.files import Files
from k8stui.kubectl.upstream import has_subcommand, not_simulated, unsimulated_flag

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        create.COMMAND,
        expose.COMMAND,
        run.COMMAND,
        get.COMMAND,
        kustomize_cmd.COMMAND,
        edit.COMMAND,
        delete.COMMAND,
        rollout.COMMAND,
        scale.COMMAND,
        top.COMMAND,
        nodes.CORDON,
        nodes.UNCORDON,
        nodes.DRAIN,
        describe_cmd.COMMAND,
        logs.COMMAND,
        exec_cmd.COMMAND,
        attach.COMMAND,
        port_forward.COMMAND,
        apply.COMMAND,
        label.LABEL,
        label.ANNOTATE,
        config.COMMAND,
        version.COMMAND,
        set_cmd.COMMAND,
        replace.COMMAND,
        events.COMMAND,
        wait.COMMAND,
        patch.COMMAND,
        diff.COMMAND,
        explain.COMMAND,
        api_resources.API_RESOURCES,
        api_resources.API_VERSIONS,
        cluster_info.COMMAND,
    )
}


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, case-insensitive (as cobra compares)."""
    a, b = a.lower(), b.lower()
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def unknown_command(word: str) -> str:
    """cobra's error for an unknown command, with its "Did you mean this?" suggestions."""
    close = [
        name
        for name in ALL_COMMANDS
        if _distance(word, name) <= 2 or name.lower().startswith(word.lower())
    ]
    text = f'Error: unknown command "{word}" for "kubectl"'
    if close:
        text += "\n\nDid you mean this?\n" + "".join(f"\t{name}\n" for name in close) + "\n"
    return text


def find_command(argv: Sequence[str]) -> tuple[Command | None, str, list[str]]:
    """The command the words name (descending into sub-commands), its path and the rest."""
    words = list(argv)
    command: Command | None = None
    path: list[str] = []
    options = COMMANDS
    while words and not words[0].startswith("-"):
        found = next(
            (c for c in options.values() if words[0] == c.name or words[0] in c.aliases), None
        )
        if found is None:
            break
        command, path = found, [*path, found.name]
        words.pop(0)
        options = {c.name: c for c in found.subcommands}
        if not options:
            break
    return command, " ".join(path), words


def run_kubectl(
    cluster: Cluster,
    files: Files,
    argv: Sequence[str],
    stdin: str | None = None,
    config: ClientConfig | None = None,
) -> Output:
    """Run one ``kubectl`` command line (``argv`` without the word ``kubectl``).

    ``config`` is the session's kubeconfig (contexts, the current namespace); a fresh one is
    used when none is given.
    """
    out = Output()
    if not argv or argv[0] in ("-h", "--help") or list(argv) == ["help"]:
        out.out(overview(COMMANDS))
        return out
    if argv[0] == "help":
        argv = [*argv[1:], "--help"]
    if argv[0] == "options":
        out.out(global_options())
        return out
    command, path, rest = find_command(argv)
    if command is None:
        word = argv[0]
        if word.startswith("-"):
            out.fail(f"Error: unknown flag: {word.split('=')[0]}\nSee 'kubectl --help' for usage.")
        elif word in ALL_COMMANDS or has_subcommand("", word):
            out.fail(not_simulated(word))
        else:
            out.fail(unknown_command(word))
        return out
    before_dash = rest[: rest.index("--")] if "--" in rest else rest
    if command.subcommands and rest and has_subcommand(path, rest[0]):
        # A real sub-command we lack (``create quota``): say so before its flags confuse us.
        out.fail(not_simulated(f"{path} {rest[0]}"))
        return out
    if command.handler is None or "--help" in before_dash or "-h" in before_dash:
        if (
            command.handler is None
            and rest
            and not rest[0].startswith("-")
            and "--help" not in rest
        ):
            if has_subcommand(path, rest[0]):
                out.fail(not_simulated(f"{path} {rest[0]}"))
                return out
            out.fail(
                f"error: unknown command \"{rest[0]}\"\nSee 'kubectl {path} -h' for help and examples"
            )
            return out
        out.out(command_help(command, path))
        return out
    try:
        parsed = parse(rest, command.flags)
    except FlagError as exc:
        flag = unsimulated_flag(path, str(exc))
        if flag is not None:
            out.fail(f'error: flag {flag} of "kubectl {path}" is not simulated by k8stui')
            return out
        out.fail(f"Error: {exc}\nSee 'kubectl {path} --help' for usage.")
        if path == "run" and str(exc) == "unknown flag: --generator":
            out.err("\n" + run.GENERATOR_HINT)
        return out
    unreachable = cluster.control_plane.api_error()
    # The kubeconfig is local, and version reports the client before it asks the server.
    if unreachable is not None and path.split()[0] not in (
        "config",
        "version",
    ):  # every command needs discovery first, even a client dry run
        out.fail(unreachable)
        return out
    invocation = Invocation(cluster, files, parsed, out, path, stdin, config or ClientConfig())
    try:
        command.handler(invocation)
    except KubectlError as exc:
        if exc.stdout:
            out.out(exc.stdout)
        out.err(exc.text)
        out.code = exc.code
    except (OSError, UnicodeDecodeError) as exc:
        # A file that exists but cannot be read (a directory, binary data, permissions).
        out.fail(f"error: {exc}")
    return out
