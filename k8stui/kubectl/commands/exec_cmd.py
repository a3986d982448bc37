"""``kubectl exec POD [-c C] -- CMD``: the few programs a simulated container can run.

hostname, env, cat, ls, touch, rm, curl/wget (from inside the pod, so ``localhost`` is the
pod's own network namespace) and ps (which shows what ``shareProcessNamespace`` changes).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from k8stui.engine.kubelet import volumes
from k8stui.engine.kubelet.status import RUNNING
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.pods import find_pod, pick_container
from k8stui.kubectl.exec_shell import SHELLS, ContainerShell

Obj = dict[str, Any]
PROGRAMS = (
    "hostname",
    "env",
    "printenv",
    "cat",
    "ls",
    "touch",
    "rm",
    "curl",
    "wget",
    "ps",
    "echo",
    "true",
    "false",
    "sh",
)
_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class _Exec:
    """One exec: the pod, the container and its runtime record."""

    def __init__(self, inv: Invocation, pod: Obj, container: Obj, prt: Obj) -> None:
        self.inv = inv
        self.pod = pod
        self.container = container
        self.prt = prt
        self.stdout: list[str] = []
        self.stderr: list[str] = []

    @property
    def now(self) -> int:
        return self.inv.cluster.now_ms

    def image(self) -> Any:
        crt = self.prt["containers"][self.container["name"]]
        return self.inv.cluster.images.library.get(crt.get("image_id", ""))

    def env(self) -> list[str]:
        image = self.image()
        values: dict[str, str] = dict(image.env) if image is not None else {}
        values.setdefault("PATH", _PATH.split("=", 1)[1])
        values["HOSTNAME"] = self.pod["metadata"]["name"]
        values.update(self._service_env())
        # What the kubelet resolved (valueFrom, envFrom) when it created this container.
        resolved = (self.prt["containers"].get(self.container["name"]) or {}).get("env")
        if resolved is not None:
            values.update(resolved)
        for var in self.container.get("env") or [] if resolved is None else []:
            if "value" in var:
                values[str(var["name"])] = str(var["value"])
        values.setdefault("HOME", "/root")
        return [f"{k}={v}" for k, v in values.items()]

    def _service_env(self) -> dict[str, str]:
        # The kubelet injects Docker-link style variables for services that existed before the
        # pod was created, in the pod's namespace.
        ns = self.pod["metadata"].get("namespace", "default")
        created = self.pod["metadata"].get("creationTimestamp") or ""
        env: dict[str, str] = {}
        for svc in self.inv.cluster.list("Service", ns):
            spec = svc.get("spec") or {}
            ip = spec.get("clusterIP")
            ports = spec.get("ports") or []
            if (
                not ip
                or ip == "None"
                or not ports
                or (svc["metadata"].get("creationTimestamp") or "") > created
            ):
                continue
            prefix = svc["metadata"]["name"].upper().replace("-", "_")
            first = ports[0]
            proto = str(first.get("protocol", "TCP"))
            env[f"{prefix}_SERVICE_HOST"] = ip
            env[f"{prefix}_SERVICE_PORT"] = str(first["port"])
            for port in ports:
                if port.get("name"):
                    env[f"{prefix}_SERVICE_PORT_{port['name'].upper().replace('-', '_')}"] = str(
                        port["port"]
                    )
            env[f"{prefix}_PORT"] = f"{proto.lower()}://{ip}:{first['port']}"
            for port in ports:
                p_proto = str(port.get("protocol", "TCP"))
                base = f"{prefix}_PORT_{port['port']}_{p_proto}"
                env[base] = f"{p_proto.lower()}://{ip}:{port['port']}"
                env[f"{base}_PROTO"] = p_proto.lower()
                env[f"{base}_PORT"] = str(port["port"])
                env[f"{base}_ADDR"] = ip
        return env

    def _abs(self, path: str) -> str:
        return path if path.startswith("/") else "/" + path

    def cat(self, args: list[str]) -> int:
        code = 0
        for path in args:
            text = volumes.read(self.prt, self.container, self._abs(path), self.now)
            if text is None:
                image = self.image()
                text = image.files.get(self._abs(path)) if image is not None else None
            if text is None:
                self.stderr.append(f"cat: {path}: No such file or directory")
                code = 1
            else:
                self.stdout.append(text if text.endswith("\n") or not text else text + "\n")
        return code

    def ls(self, args: list[str]) -> int:
        paths = [a for a in args if not a.startswith("-")] or ["/"]
        code = 0
        for path in paths:
            names = volumes.listdir(self.prt, self.container, self._abs(path), self.now)
            image = self.image()
            if image is not None:
                prefix = self._abs(path).rstrip("/") + "/"
                baked = {
                    p[len(prefix) :].split("/", 1)[0] for p in image.files if p.startswith(prefix)
                }
                names = sorted(set(names or []) | baked) if (names is not None or baked) else None
            if names is None:
                self.stderr.append(f"ls: cannot access '{path}': No such file or directory")
                code = 2
                continue
            if len(paths) > 1:
                self.stdout.append(f"{path}:")
            self.stdout += names
        return code

    def touch(self, args: list[str]) -> int:
        for path in args:
            if volumes.read(self.prt, self.container, self._abs(path), self.now) is None:
                volumes.write_file(self.prt, self.container, self._abs(path), "")
        self.inv.cluster.settle()
        return 0

    def rm(self, args: list[str]) -> int:
        code = 0
        force = "-f" in args or "-rf" in args
        for path in (a for a in args if not a.startswith("-")):
            if not volumes.remove_file(self.prt, self.container, self._abs(path)) and not force:
                self.stderr.append(f"rm: cannot remove '{path}': No such file or directory")
                code = 1
        self.inv.cluster.settle()
        return code

    def curl(self, args: list[str], program: str) -> int:
        urls = [a for a in args if not a.startswith("-") and a not in ("-O", "-")]
        if not urls:
            self.stderr.append(
                f"{program}: no URL specified" if program == "curl" else "wget: missing URL"
            )
            return 2 if program == "curl" else 1
        try:
            parts = urlsplit(urls[-1] if "://" in urls[-1] else "http://" + urls[-1])
            host = parts.hostname or ""
            port = parts.port
        except ValueError:
            self.stderr.append(f"{program}: (3) URL rejected: Malformed input to a URL function")
            return 3
        ns = self.pod["metadata"].get("namespace", "default")
        response = self.inv.cluster.request(
            host, port, parts.path or "/", namespace=ns, source=self.pod
        )
        if not response.ok:
            if program == "curl":
                self.stderr.append(f"curl: ({response.exit_code}) {response.error}")
                return response.exit_code
            self.stderr.append(f"wget: can't connect to remote host: {response.error}")
            return 1
        self.stdout.append(response.body.rstrip("\n"))
        return 0

    def ps(self) -> int:
        spec = self.pod.get("spec") or {}
        shared = bool(spec.get("shareProcessNamespace"))
        rows = ["PID   USER     TIME  COMMAND"]
        if shared:
            rows.append(f"{1:>5} {'65535':<8}  0:00 /pause")
            pid = 7
            for container in spec.get("containers") or []:
                argv = self._argv(container)
                if argv:
                    rows.append(f"{pid:>5} {'root':<8}  0:00 {argv}")
                    pid += 6
        else:
            rows.append(f"{1:>5} {'root':<8}  0:00 {self._argv(self.container)}")
        rows.append(f"{(pid if shared else 7):>5} {'root':<8}  0:00 ps")
        self.stdout += rows
        return 0

    def _argv(self, container: Obj) -> str:
        crt = self.prt["containers"].get(container["name"]) or {}
        if crt.get("stage") != RUNNING or not crt.get("image_id"):
            return ""
        proc = self.inv.cluster.images.process(crt["image_id"], container, self.pod)
        return shlex.join(proc.argv)

    def run(self, argv: list[str]) -> int:
        program, args = argv[0].rsplit("/", 1)[-1], argv[1:]
        handlers: dict[str, Callable[[], int]] = {
            "hostname": lambda: self._say(self.pod["metadata"]["name"]),
            "env": lambda: self._say(*self.env()),
            "printenv": lambda: self._say(*self.env()),
            "cat": lambda: self.cat(args),
            "ls": lambda: self.ls(args),
            "touch": lambda: self.touch(args),
            "rm": lambda: self.rm(args),
            "curl": lambda: self.curl(args, "curl"),
            "wget": lambda: self.curl(args, "wget"),
            "ps": self.ps,
            "echo": lambda: self._say(" ".join(args)),
            "true": lambda: 0,
            "false": lambda: 1,
        }
        if program == "sh" and len(args) >= 2 and args[0] == "-c":
            return self.run(shlex.split(args[1]))
        handler = handlers.get(program)
        if handler is None:
            raise KubectlError(
                "error: Internal error occurred: error executing command in container: failed "
                "to exec in container: failed to start exec: OCI runtime exec failed: exec "
                f'failed: unable to start container process: exec: "{argv[0]}": executable file '
                "not found in $PATH: unknown\n"
                f"k8stui: exec runs only {', '.join(PROGRAMS)} in the simulator"
            )
        return handler()

    def _say(self, *lines: str) -> int:
        self.stdout += lines
        return 0


def _line(inv: Invocation, pod: Obj, argv: list[str]) -> tuple[list[str], list[str], int]:
    """One line of an interactive shell: the container's programs, as at the exec prompt."""
    meta = pod["metadata"]
    live = inv.cluster.get("Pod", meta["name"], meta.get("namespace") or "default")
    prt = inv.cluster.kubelets.pod_runtime(live) if live is not None else None
    if live is None or prt is None:
        return [], ["error: the pod is gone"], 1
    if argv[0].rsplit("/", 1)[-1] not in PROGRAMS:
        return [], [f"sh: {argv[0]}: not found"], 127
    session = _Exec(inv, live, pick_container(inv, live, for_exec=True), prt)
    try:
        code = session.run(argv)
    except KubectlError as exc:
        return session.stdout, [*session.stderr, *exc.text.splitlines()], 1
    return session.stdout, session.stderr, code


def run(inv: Invocation) -> None:
    """Run ``kubectl exec``."""
    if not inv.args or inv.parsed.dash_at == 0:
        raise inv.usage_error("pod, type/name or --filename must be specified")
    if inv.parsed.dash_at < 0:
        if len(inv.args) > 1:
            raise inv.usage_error(
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead"
            )
        raise inv.usage_error("you must specify at least one command for the container")
    command = inv.args[inv.parsed.dash_at :]
    if not command:
        raise inv.usage_error("you must specify at least one command for the container")
    pod = find_pod(inv, inv.args[0])
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(
            f"error: cannot exec into a container in a completed pod; current phase is {phase}"
        )
    container = pick_container(inv, pod, for_exec=True)
    prt = inv.cluster.kubelets.pod_runtime(pod)
    crt = (prt or {}).get("containers", {}).get(container["name"]) or {}
    if prt is None or crt.get("stage") != RUNNING:
        raise KubectlError(
            f'error: unable to upgrade connection: container not found ("{container["name"]}")'
        )
    if inv.flag("stdin") and len(command) == 1 and command[0] in SHELLS:
        # exec -it POD -- sh: the console sends the lines that follow to this shell.
        name = pod["metadata"]["name"]
        inv.out.stream = ContainerShell(inv.cluster, command[0], name, partial(_line, inv, pod))
        return
    session = _Exec(inv, pod, container, prt)
    code = session.run(command)
    inv.out.out("\n".join(session.stdout) if session.stdout else "")
    inv.out.err("\n".join(session.stderr) if session.stderr else "")
    if code:
        inv.out.err(f"command terminated with exit code {code}")
        inv.out.code = code


COMMAND = Command(
    name="exec",
    summary="Execute a command in a container",
    usage="kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
    flags=(
        Flag(
            "container",
            "c",
            help="Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation or the first container in the pod.",
        ),
        Flag("stdin", "i", "bool", False, "Pass stdin to the container (accepted)"),
        Flag("tty", "t", "bool", False, "Stdin is a TTY (accepted)"),
    ),
    handler=run,
    long_help="Execute a command in a container.\n\n The simulator runs: "
    + ", ".join(PROGRAMS)
    + ".",
    examples="""  # Get output from running the 'hostname' command from pod mypod, using the first container by default
  kubectl exec mypod -- hostname

  # Make an exec readiness probe pass
  kubectl exec mypod -- touch /var/ready

  # Call a sibling container over the pod's shared network namespace
  kubectl exec mypod -c sidecar -- curl -s http://localhost:8080/""",
)
