"""Help texts in kubectl's layout: ``kubectl``, ``kubectl help CMD``, ``kubectl CMD --help``."""

from __future__ import annotations

from collections.abc import Sequence

from k8stui.kubectl.commands.args import GLOBAL_FLAGS, Flag
from k8stui.kubectl.commands.base import Command

# kubectl's command groups in its own order; the simulator implements the names it registers.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Basic Commands (Beginner)", ("create", "expose", "run", "set")),
    ("Basic Commands (Intermediate)", ("explain", "get", "edit", "delete")),
    ("Deploy Commands", ("rollout", "scale", "autoscale")),
    (
        "Cluster Management Commands",
        ("certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint"),
    ),
    (
        "Troubleshooting and Debugging Commands",
        (
            "describe",
            "logs",
            "attach",
            "exec",
            "port-forward",
            "proxy",
            "cp",
            "auth",
            "debug",
            "events",
        ),
    ),
    ("Advanced Commands", ("diff", "apply", "patch", "replace", "wait", "kustomize")),
    ("Settings Commands", ("label", "annotate", "completion")),
    (
        "Other Commands",
        (
            "alpha",
            "config",
            "plugin",
            "version",
            "api-versions",
            "api-resources",
            "options",
            "help",
        ),
    ),
)
ALL_COMMANDS: tuple[str, ...] = tuple(name for _, names in GROUPS for name in names)


def go_duration_text(seconds: float) -> str:
    """Go's ``time.Duration.String()`` for whole seconds and more: ``0s``, ``30s``, ``1m0s``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


def _default_text(flag: Flag) -> str:
    """The default as pflag shows it: strings quoted, numbers, lists and durations bare."""
    if flag.kind == "bool":
        return "true" if flag.default else "false"
    if flag.kind == "list":
        return "[" + ",".join(flag.default or []) + "]"
    if flag.kind in ("int", "int32"):
        return str(flag.default)
    if flag.kind == "duration":
        return go_duration_text(float(flag.default or 0))
    return f"'{flag.default or ''}'"


def options_text(flags: Sequence[Flag]) -> str:
    """The ``Options:`` block: one entry per flag, sorted by long name."""
    blocks = []
    for flag in sorted(flags, key=lambda f: f.name):
        name = f"-{flag.short}, --{flag.name}" if flag.short else f"--{flag.name}"
        blocks.append(f"    {name}={_default_text(flag)}:\n\t{flag.help}\n")
    return "Options:\n" + "\n".join(blocks)


def command_help(command: Command, path: str) -> str:
    """``kubectl <path> --help`` for ``command``."""
    # cobra's order: description, aliases, examples, sub-commands, options, usage.
    parts = [(command.long_help or command.summary + ".") + "\n"]
    if command.aliases:
        parts.append("Aliases:\n" + ", ".join([command.name, *command.aliases]) + "\n")
    if command.examples:
        parts.append("Examples:\n" + command.examples + "\n")
    if command.subcommands:
        width = max(len(c.name) for c in command.subcommands) + 3
        lines = [f"  {c.name.ljust(width)}{c.summary}" for c in command.subcommands]
        parts.append("Available Commands:\n" + "\n".join(lines) + "\n")
    if command.flags:
        parts.append(options_text(command.flags))
    parts.append(f"Usage:\n  {command.usage}\n")
    if command.subcommands:
        parts.append(
            f'Use "kubectl {path} <command> --help" for more information about a given command.\n'
        )
    else:
        parts.append("")
    tail = (
        'Use "kubectl options" for a list of global command-line options (applies to all commands).'
    )
    return "\n".join(parts) + tail + "\n"


def overview(commands: dict[str, Command]) -> str:
    """``kubectl`` / ``kubectl --help``: the implemented commands in kubectl's groups."""
    out = [
        "kubectl controls the Kubernetes cluster manager (simulated by k8stui).\n",
        " Find more information at: https://kubernetes.io/docs/reference/kubectl/\n",
    ]
    for title, names in GROUPS:
        present = [commands[n] for n in names if n in commands]
        if not present:
            continue
        out.append(f"{title}:")
        out += [f"  {c.name.ljust(16)}{c.summary}" for c in present]
        out.append("")
    out.append("Usage:\n  kubectl [flags] [options]\n")
    out.append('Use "kubectl <command> --help" for more information about a given command.')
    out.append(
        'Use "kubectl options" for a list of global command-line options (applies to all commands).'
    )
    return "\n".join(out) + "\n"


def global_options() -> str:
    """``kubectl options``: the flags every command takes (the ones the simulator knows)."""
    return "The following options can be passed to any command:\n\n" + options_text(
        GLOBAL_FLAGS
    ).removeprefix("Options:\n")
