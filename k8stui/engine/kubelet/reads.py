"""What a node's runtime answers: logs, HTTP requests to containers, the pod's runtime record.

Part of the kubelets (see ``kubelet_core``): a mixin over their shared state and helpers.
"""

from __future__ import annotations

from typing import Any

from k8stui.engine.clock import from_timestamp, to_timestamp
from k8stui.engine.kubelet import env_sources, volumes
from k8stui.engine.kubelet import status as ks
from k8stui.engine.kubelet.core import KubeletCore
from k8stui.engine.runtime.data_answers import Peers
from k8stui.engine.runtime.http_answers import http_answer
from k8stui.engine.runtime.placeholders import render_template, unix_date

Obj = dict[str, Any]


class RuntimeReads(KubeletCore):
    """Logs, HTTP answers and runtime records, on every node."""

    def pod_runtime(self, pod: Obj) -> Obj | None:
        """The runtime record of a pod on its node (None when not running anywhere)."""
        node = (pod.get("spec") or {}).get("nodeName")
        if not node or node not in self.nodes:
            return None
        rt: Obj | None = self.nodes[node]["pods"].get(pod["metadata"].get("uid"))
        return rt

    def logs(self, pod: Obj, container: str, previous: bool = False) -> list[str] | None:
        """Log lines of a container's current (or previous) run; None if there is none."""
        timed = self.timed_logs(pod, container, previous)
        return None if timed is None else [text for _, text in timed]

    def timed_logs(
        self, pod: Obj, container: str, previous: bool = False
    ) -> list[tuple[int, str]] | None:
        """(sim ms, text) of each log line, as the runtime stamps them; None if no run."""
        prt = self.pod_runtime(pod)
        if prt is None or container not in prt["containers"]:
            return None
        crt = prt["containers"][container]
        if previous:
            if not crt.get("last"):
                return None
            texts = list(crt.get("prev_logs") or [])
            stamps = list(crt.get("prev_log_ms") or [])
            # A record from before line times were kept: its lines all date from the exit.
            end = from_timestamp(crt["last"].get("finishedAt") or to_timestamp(0))
            return [(stamps[i] if i < len(stamps) else end, t) for i, t in enumerate(texts)]
        if not crt.get("image_id") or "started_ms" not in crt:
            return None
        spec = env_sources.run_spec(self._spec(pod, container), crt)
        proc = self.images.process(crt["image_id"], spec, pod)
        ran = self.ctx.now - int(crt["started_ms"])
        finished = None
        if crt["stage"] != ks.RUNNING and crt.get("term"):
            finished = int(crt.get("finished_ms", from_timestamp(crt["term"]["finishedAt"])))
            ran = min(ran, finished - int(crt["started_ms"]))
        start = int(crt["started_ms"])
        base = {"hostname": pod["metadata"]["name"], "pod_ip": prt.get("ip") or ""}

        def line_at(text: str, offset_ms: int) -> tuple[int, str]:
            at = start + offset_ms
            return at, render_template(text, {**base, "date": unix_date(at)})

        lines = [line_at(line.text, line.at_ms) for line in proc.logs if line.at_ms <= ran]
        if proc.log_every_ms and proc.periodic_logs and ran >= proc.periodic_start_ms:
            count = int(min((ran - proc.periodic_start_ms) // proc.log_every_ms + 1, 2000))
            cycle = proc.periodic_logs
            first = max(0, int((ran - proc.periodic_start_ms) // proc.log_every_ms + 1) - count)
            lines += [
                line_at(cycle[i % len(cycle)], proc.periodic_start_ms + i * proc.log_every_ms)
                for i in range(first, first + count)
            ]
        # Lines written as things happen (HTTP access lines) carry their times alongside; one
        # without a time (an error the program prints as it starts) follows the lines before it.
        stamps = list(crt.get("extra_log_ms") or [])
        for i, text in enumerate(crt.get("extra_logs") or []):
            at = stamps[i] if i < len(stamps) else -1
            if at < 0:
                at = max([start] + [ms for ms, _ in lines[-1:]])
            lines.append((at, text))
        if finished is not None:
            lines += [(finished, text) for text in proc.exit_logs]
        # A log file holds lines in the order they were written (a stable sort keeps the order
        # of lines written at the same moment).
        lines.sort(key=lambda line: line[0])
        return lines

    def serve_request(
        self,
        pod: Obj,
        port: int,
        path: str,
        client_ip: str,
        *,
        method: str = "GET",
        body: str = "",
        peers: Peers | None = None,
    ) -> tuple[int, str] | None:
        """An HTTP request reaching ``pod`` on ``port``: (status, body), or None if refused.

        ``peers`` looks up the program's peers by DNS (for a program that asks them).
        """
        prt = self.pod_runtime(pod)
        if prt is None or not prt.get("ip"):
            return None
        for spec in pod["spec"]["containers"]:
            crt = prt["containers"][spec["name"]]
            if crt["stage"] != ks.RUNNING or port not in crt.get("ports", []):
                continue
            proc = self.images.process(crt["image_id"], env_sources.run_spec(spec, crt), pod)
            if self.ctx.now < int(crt["started_ms"]) + proc.startup_ms:
                return None
            crt["requests"] = int(crt.get("requests", 0)) + 1
            # The program logs a request as it arrives, before the requests it makes to answer it
            # (a peer asking itself) log theirs: its line goes where the log stood on arrival.
            arrival = len(crt.get("extra_logs") or [])
            answer = http_answer(
                proc.http,
                crt["requests"],
                hostname=pod["metadata"]["name"],
                pod_ip=prt["ip"],
                path=path,
                method=method,
                client_ip=client_ip,
                now_ms=self.ctx.now,
                read_file=lambda p, s=spec: volumes.read(prt, s, p, self.ctx.now),  # type: ignore[misc]
                request_body=body,
                write_file=lambda p, text, s=spec: volumes.write_file(prt, s, p, text),  # type: ignore[misc]
                peers=peers,
            )
            if answer is None:
                return None
            if answer.log:
                crt.setdefault("extra_logs", []).insert(arrival, answer.log)
                stamps = crt.setdefault("extra_log_ms", [])
                # -1 marks the lines written without a time before this one.
                stamps.extend([-1] * (arrival - len(stamps)))
                stamps.insert(arrival, self.ctx.now)
            return answer.status, answer.body
        return None
