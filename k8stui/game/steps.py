"""Solution steps: what each one looks like as a command, and how it is carried out.

A step that has a console equivalent runs through the console session when one is available,
exactly as if the player had typed it. Without a session (the console is optional for the
game rules) the step is carried out through the cluster API with the same effect, so pack
checks and the headless checker still work. ``run:`` steps always need the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from k8stui.engine.cluster import Cluster
from k8stui.engine.errors import ApiError
from k8stui.engine.images.docker_host import DockerError
from k8stui.game.goal_base import PodSelector, pod_name
from k8stui.game.models import (
    ApplyStep,
    BuildStep,
    DeleteStep,
    PushStep,
    RunStep,
    ScaleStep,
    Step,
    TagStep,
    WaitStep,
    WaveStartStep,
    WriteStep,
)
from k8stui.kubectl.files import VirtualFiles


@dataclass(frozen=True)
class CommandOutput:
    """What a command printed (the console's CommandResult, or a refusal by the level).

    ``chunks``: (1 or 2, text) in the order they were written, when known (a warning kubectl
    logs before the output it prints); empty means stdout, then stderr.
    """

    stdout: str
    stderr: str
    exit_code: int
    chunks: tuple[tuple[int, str], ...] = ()


class SessionLike(Protocol):
    """The part of ``k8stui.console.session.Session`` the game uses."""

    def run(self, line: str) -> Any:
        """Run one command line; returns an object with stdout, stderr, exit_code."""
        ...


class LevelRun(Protocol):
    """What a step acts on: the level run (``k8stui.game.runner.LevelRun`` is the one)."""

    cluster: Cluster
    files: VirtualFiles
    session: SessionLike | None

    def advance(self, seconds: float) -> None:
        """Let simulated time pass."""
        ...

    def start_wave(self) -> str | None:
        """Start the next wave; its announcement, or None when none can start."""
        ...

    def write_file(self, path: str, text: str) -> None:
        """Write a file in the level's folder."""
        ...

    def run_command(self, line: str) -> CommandOutput:
        """Run a console line as the player would."""
        ...

    def record_command(self, line: str) -> None:
        """Count a command carried out through the API instead of the console."""
        ...


_KINDS = {
    "rc": "ReplicationController",
    "replicationcontroller": "ReplicationController",
    "rs": "ReplicaSet",
    "replicaset": "ReplicaSet",
    "deployment": "Deployment",
    "deploy": "Deployment",
    "pod": "Pod",
    "po": "Pod",
    "pods": "Pod",
    "svc": "Service",
    "service": "Service",
}


@dataclass(frozen=True)
class Outcome:
    """What a step printed and whether it worked (exit code 0)."""

    line: str
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


def command_line(step: Step) -> str:
    """The step as the player would type it (comments for the ones that are not commands)."""
    if isinstance(step, RunStep):
        return step.run
    if isinstance(step, ApplyStep):
        return f"kubectl apply -f {step.apply}"
    if isinstance(step, WriteStep):
        return f"# edit {step.write}"
    if isinstance(step, ScaleStep):
        return f"kubectl scale {step.scale} --replicas={step.replicas}"
    if isinstance(step, DeleteStep):
        if step.labels:
            labels = ",".join(f"{k}={v}" for k, v in step.labels.items())
            return f"kubectl delete {step.delete} <one pod with {labels}>"
        return f"kubectl delete {step.delete}"
    if isinstance(step, BuildStep):
        return f"docker build -t {step.build} {step.context}"
    if isinstance(step, PushStep):
        return f"docker push {step.push}"
    if isinstance(step, TagStep):
        return f"docker tag {step.tag} {step.as_}"
    if isinstance(step, WaitStep):
        return f"# wait {step.wait:g}s"
    return "# start the wave"


def is_command(step: Step) -> bool:
    """True for steps that count as a typed command (for par)."""
    return not isinstance(step, WriteStep | WaitStep | WaveStartStep)


def execute(run: LevelRun, step: Step) -> Outcome:
    """Carry out one step on ``run``."""
    if isinstance(step, WaitStep):
        run.advance(step.wait)
        return Outcome(command_line(step))
    if isinstance(step, WaveStartStep):
        started = run.start_wave()
        return Outcome(command_line(step), stdout=started or "", exit_code=0 if started else 1)
    if isinstance(step, WriteStep):
        run.write_file(step.write, step.text)
        return Outcome(command_line(step))
    line = _concrete_line(run, step)
    if run.session is not None or isinstance(step, RunStep):
        result = run.run_command(line)
        return Outcome(line, result.stdout, result.stderr, result.exit_code)
    outcome = _through_api(run, step, line)
    run.record_command(line)
    return outcome


def _concrete_line(run: LevelRun, step: Step) -> str:
    if isinstance(step, DeleteStep):
        kind, name = _delete_target(run, step)
        return f"kubectl delete {kind} {name}"
    return command_line(step)


def _delete_target(run: LevelRun, step: DeleteStep) -> tuple[str, str]:
    kind, _, name = step.delete.partition("/")
    if step.labels:
        pods = sorted(PodSelector(labels=step.labels).select(run.cluster), key=pod_name)
        name = pod_name(pods[0]) if pods else "<none>"
    return kind, name


def _through_api(run: LevelRun, step: Step, line: str) -> Outcome:
    cluster = run.cluster
    try:
        if isinstance(step, ApplyStep):
            return _apply(run, step.apply, line)
        if isinstance(step, ScaleStep):
            kind, name = step.scale.split("/", 1)
            cluster.scale(_KINDS[kind], name, step.replicas)
            return Outcome(line, f"{kind}/{name} scaled\n")
        if isinstance(step, DeleteStep):
            kind, name = _delete_target(run, step)
            cluster.delete(_KINDS.get(kind, kind), name)
            return Outcome(line, f'{kind} "{name}" deleted\n')
        if isinstance(step, BuildStep):
            context = {
                path: run.files.read(f"{step.context}/{path}")
                for path in run.files.walk(step.context)
            }
            built = cluster.images.docker.build(step.build, context, now_ms=cluster.now_ms)
            text = "\n".join(built.lines) + "\n"
            if built.error:
                return Outcome(line, text, built.error + "\n", 1)
            return Outcome(line, text)
        if isinstance(step, PushStep):
            pushed = cluster.images.docker.push(step.push)
            failed = not pushed or pushed[-1].startswith(("denied", "An image does not"))
            return Outcome(line, "\n".join(pushed) + "\n", exit_code=1 if failed else 0)
        if isinstance(step, TagStep):
            cluster.images.docker.tag(step.tag, step.as_)
            return Outcome(line)
    except (ApiError, DockerError, KeyError, ValueError, FileNotFoundError) as exc:
        return Outcome(line, stderr=f"{exc}\n", exit_code=1)
    return Outcome(line, stderr="unsupported step\n", exit_code=1)  # pragma: no cover


def _apply(run: LevelRun, path: str, line: str) -> Outcome:
    from k8stui.manifests import load_documents

    text = run.files.read(path)
    loaded = load_documents(text, path)
    if loaded.errors:
        return Outcome(line, stderr="\n".join(str(e) for e in loaded.errors) + "\n", exit_code=1)
    out = []
    for doc in loaded.documents:
        result = run.cluster.apply(doc.obj)
        kind = doc.obj.get("kind", "").lower()
        out.append(f"{kind}/{doc.obj['metadata']['name']} {result.op}")
    return Outcome(line, "\n".join(out) + "\n")
