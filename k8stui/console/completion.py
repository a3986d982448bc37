"""Tab completion for the TUI's console: what may come next at the end of a line."""

from __future__ import annotations

import shlex

from k8stui.console.docker_cmd import SUBCOMMANDS as DOCKER_SUBCOMMANDS
from k8stui.console.session import PROGRAMS, Session
from k8stui.console.sim_cmd import SUBCOMMANDS as SIM_SUBCOMMANDS
from k8stui.engine.apiserver.resources import BY_KIND
from k8stui.kubectl.commands.args import GLOBAL_FLAGS, Flag
from k8stui.kubectl.commands.base import Command
from k8stui.kubectl.commands.main import COMMANDS, find_command
from k8stui.kubectl.commands.resources import TYPE_NAMES, UnknownResource, resolve

# Commands whose first argument is a resource type (the rest are names of that type).
_TYPED = frozenset(
    {"get", "describe", "delete", "label", "annotate", "edit", "scale", "expose", "patch"}
    | {"image", "env", "resources"}  # kubectl set ...
)
# Commands whose arguments are names of one kind.
_NAMED = {
    "logs": "Pod",
    "exec": "Pod",
    "attach": "Pod",
    "port-forward": "Pod",
    "cordon": "Node",
    "uncordon": "Node",
    "drain": "Node",
}
_SIM_NODE_WORDS = frozenset(w for w in SIM_SUBCOMMANDS if w.endswith(("-node", "-kubelet")))


def _words(line: str) -> tuple[list[str], str]:
    """Complete words before the cursor, and the partial word being typed."""
    try:
        words = shlex.split(line.split(";")[-1])
    except ValueError:
        words = line.split(";")[-1].split()
    if line and not line[-1].isspace() and words:
        return words[:-1], words[-1]
    return words, ""


def _flags(flags: list[Flag]) -> list[str]:
    return [f"--{f.name}" for f in flags] + [f"-{f.short}" for f in flags if f.short]


def _names(session: Session, kind: str, namespace: str) -> list[str]:
    cluster_scoped = not BY_KIND[kind].namespaced
    objects = session.cluster.list(kind, None if cluster_scoped else namespace)
    return sorted(o["metadata"]["name"] for o in objects)


def _kubectl(session: Session, words: list[str]) -> list[str]:
    command, _, rest = find_command(words)
    if command is None:
        return list(COMMANDS)
    if command.subcommands and not rest:
        return [c.name for c in command.subcommands] + (
            _flags([*command.flags, *GLOBAL_FLAGS]) if command.handler else []
        )
    if command.name in ("use-context", "get-contexts", "set-context"):
        return sorted(session.kubeconfig.contexts) + _flags([*command.flags, *GLOBAL_FLAGS])
    if command.name == "events" and rest and rest[-1] == "--for":
        return [f"pod/{name}" for name in _names(session, "Pod", session.kubeconfig.namespace)]
    namespace = session.kubeconfig.namespace
    if "-n" in words and words.index("-n") + 1 < len(words):
        namespace = words[words.index("-n") + 1]
    if rest and rest[-1] in ("-n", "--namespace"):
        return _names(session, "Namespace", "")
    positional = [w for w in rest if not w.startswith("-")]
    candidates = _flags([*command.flags, *GLOBAL_FLAGS])
    if command.name in _NAMED:
        return _names(session, _NAMED[command.name], namespace) + candidates
    if command.name == "explain" and not positional:
        return list(TYPE_NAMES) + candidates
    if command.name in _TYPED or _is_rollout(command):
        if not positional:
            return list(TYPE_NAMES) + candidates
        try:
            kind = resolve(positional[0].split(",")[0]).kind
        except UnknownResource:
            return candidates
        return _names(session, kind, namespace) + candidates
    return candidates


def _is_rollout(command: Command) -> bool:
    return command.name in ("status", "history", "undo", "restart")


def complete(session: Session, line: str) -> list[str]:
    """Candidates for the word at the end of ``line``: commands, sub-commands, flags, resource
    types and live object names, filtered by what has been typed of the word."""
    words, partial = _words(line)
    if not words:
        options = list(PROGRAMS)
    elif words[0] == "kubectl":
        options = _kubectl(session, words[1:])
    elif words[0] == "docker":
        options = list(DOCKER_SUBCOMMANDS) if len(words) == 1 else []
    elif words[0] == "sim":
        if len(words) == 1:
            options = list(SIM_SUBCOMMANDS)
        elif words[1] in _SIM_NODE_WORDS:
            options = _names(session, "Node", "")
        elif words[1] == "kill-pod":
            options = _names(session, "Pod", "default")
        else:
            options = []
    elif words[0] == "kill":
        options = [f"%{number}" for number in session.jobs.numbers()]
    elif words[0] == "curl":
        options = _names(session, "Service", "default")
    else:
        options = []
    seen: list[str] = []
    for option in options:
        if option.startswith(partial) and option not in seen:
            seen.append(option)
    return seen
