"""Service networking: cluster DNS, kube-proxy's choice of endpoint, and requests to pods.

A request goes where a packet would: a Service name or ClusterIP is resolved, kube-proxy picks
a ready endpoint at random (iptables mode, seeded), and the chosen pod's process answers.
Pods on a powered-off or partitioned node do not answer; the caller sees a timeout.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from k8stui.engine.context import EngineContext
from k8stui.engine.kubelet.agent import Kubelets
from k8stui.engine.network import pod_dns

Obj = dict[str, Any]
CLUSTER_DOMAIN = "svc.cluster.local"
CONNECT_TIMEOUT_MS = 10_000  # what the simulated curl waits before giving up
PEER_PORT = 8080  # the port kubia-pet-peers asks its peers on, whatever the SRV record says


@dataclass(frozen=True)
class _Sent:
    """What a request carries besides its address: the method and the body."""

    method: str = "GET"
    body: str = ""


@dataclass(frozen=True)
class Response:
    """The outcome of one request: an HTTP answer or a connection error (curl's wording)."""

    ok: bool
    status: int = 0
    body: str = ""
    pod: str | None = None  # namespace/name of the pod that answered
    error: str = ""
    exit_code: int = 0  # curl's exit code on failure (6, 7, 28)
    elapsed_ms: int = 0


class Network:
    """DNS + kube-proxy + pod networking over the store and the kubelets."""

    def __init__(self, ctx: EngineContext, kubelets: Kubelets) -> None:
        self.ctx = ctx
        self.kubelets = kubelets

    # -- resolution -----------------------------------------------------------------------
    def resolve_host(self, host: str, namespace: str = "default") -> tuple[str, Obj | None] | None:
        """A host name to (IP, Service or None); None when DNS has no answer."""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return host, self._service_by_ip(host)
        pod_ip = pod_dns.resolve(self.ctx.store, host, namespace)
        if pod_ip is not None:
            return pod_ip, None
        name = host.rstrip(".")
        parts = name.split(".")
        svc_ns = namespace
        if len(parts) == 1:
            svc_name = parts[0]
        elif len(parts) == 2 or (
            len(parts) >= 3 and ".".join(parts[2:]) in ("svc", CLUSTER_DOMAIN)
        ):
            svc_name, svc_ns = parts[0], parts[1]
        else:
            return None
        svc = self.ctx.store.get("Service", svc_ns, svc_name)
        if svc is None:
            return None
        ip = (svc.get("spec") or {}).get("clusterIP")
        if not ip or ip == "None":
            ready = self.ready_endpoints(svc)
            return (ready[0][0], svc) if ready else None
        return str(ip), svc

    def _service_by_ip(self, ip: str) -> Obj | None:
        for svc in self.ctx.store.iter_kind("Service"):
            if (svc.get("spec") or {}).get("clusterIP") == ip:
                return svc
        return None

    def _pod_by_ip(self, ip: str) -> Obj | None:
        for pod in self.ctx.store.iter_kind("Pod"):
            if (pod.get("status") or {}).get("podIP") == ip:
                return pod
        return None

    def ready_endpoints(self, svc: Obj, port_name: str | None = None) -> list[tuple[str, int, Obj]]:
        """(ip, port, address) of the Service's ready endpoints, in Endpoints order."""
        meta = svc["metadata"]
        eps = self.ctx.store.get("Endpoints", meta.get("namespace", "default"), meta["name"])
        found = []
        for subset in (eps or {}).get("subsets") or []:
            ports = subset.get("ports") or []
            chosen = next(
                (p for p in ports if port_name is None or p.get("name") == port_name), None
            )
            if chosen is None:
                continue
            for addr in subset.get("addresses") or []:
                found.append((str(addr["ip"]), int(chosen["port"]), addr))
        return found

    # -- requests -------------------------------------------------------------------------
    def request(
        self,
        host: str,
        port: int | None = None,
        path: str = "/",
        *,
        namespace: str = "default",
        source: Obj | None = None,
        method: str = "GET",
        body: str = "",
    ) -> Response:
        """Send an HTTP request to ``host`` (Service name, ClusterIP, pod IP or ``localhost``)."""
        sent = _Sent(method, body)
        if host in ("localhost", "127.0.0.1") and source is not None:
            return self._to_pod(source, port or 80, path, sent, via_loopback=True)
        resolved = self.resolve_host(host, namespace)
        if resolved is None:
            return Response(False, error=f"Could not resolve host: {host}", exit_code=6)
        ip, svc = resolved
        if svc is not None and (svc.get("spec") or {}).get("clusterIP") == ip:
            return self._to_service(svc, ip, port, path, source, sent)
        pod = self._pod_by_ip(ip)
        if pod is None:
            return self._timeout(ip, port or 80)
        return self._to_pod(pod, port or 80, path, sent, source=source)

    def _to_service(
        self, svc: Obj, ip: str, port: int | None, path: str, source: Obj | None, sent: _Sent
    ) -> Response:
        ports = (svc.get("spec") or {}).get("ports") or []
        wanted = port if port is not None else 80
        match = next((p for p in ports if int(p.get("port", 0)) == wanted), None)
        if match is None:
            return self._refused(ip, wanted)
        endpoints = self.ready_endpoints(svc, match.get("name"))
        if not endpoints:
            return self._refused(ip, wanted)
        pod_ip, target, addr = endpoints[self.ctx.rng.randrange(len(endpoints))]
        ref = addr.get("targetRef") or {}
        pod = self.ctx.store.get("Pod", ref.get("namespace", "default"), ref.get("name", ""))
        if pod is None:
            return self._timeout(ip, wanted)
        self.ctx.activity.add(
            self.ctx.now,
            "kube-proxy",
            f"{svc['metadata']['name']}:{wanted} → {ref.get('name')} ({pod_ip}:{target})",
        )
        answer = self._to_pod(pod, target, path, sent, source=source)
        if not answer.ok and answer.exit_code == 28:
            return Response(
                False,
                error=f"Failed to connect to {ip} port {wanted} after {CONNECT_TIMEOUT_MS} ms: Timeout was reached",
                exit_code=28,
                elapsed_ms=CONNECT_TIMEOUT_MS,
            )
        if not answer.ok:
            return self._refused(ip, wanted)
        return answer

    def _to_pod(
        self,
        pod: Obj,
        port: int,
        path: str,
        sent: _Sent,
        *,
        via_loopback: bool = False,
        source: Obj | None = None,
    ) -> Response:
        ip = (pod.get("status") or {}).get("podIP") or ""
        node = (pod.get("spec") or {}).get("nodeName") or ""
        shown = "localhost" if via_loopback else ip
        if not self.kubelets.powered(node):
            return self._timeout(shown, port)
        if not via_loopback and self.kubelets.partitioned(node):
            return self._timeout(shown, port)
        if source is not None and not via_loopback:
            src_node = (source.get("spec") or {}).get("nodeName") or ""
            if self.kubelets.partitioned(src_node) and src_node != node:
                return self._timeout(shown, port)
        client = ((source or {}).get("status") or {}).get("podIP") or "10.244.0.1"
        answer = self.kubelets.serve_request(
            pod,
            port,
            path,
            "127.0.0.1" if via_loopback else client,
            method=sent.method,
            body=sent.body,
            peers=lambda name: self.peer_data(name, pod),
        )
        if answer is None:
            return self._refused(shown, port)
        status, body = answer
        meta = pod["metadata"]
        return Response(
            True, status=status, body=body, pod=f"{meta.get('namespace', 'default')}/{meta['name']}"
        )

    def peer_data(self, name: str, asker: Obj) -> list[tuple[str, str]] | None:
        """What each peer behind SRV name ``name`` answers on ``/data`` (kubia-pet-peers).

        The book's app asks every SRV target on its own port 8080; a peer that does not answer
        shows Node's error (``Error: connect ECONNREFUSED ip:port``) in its line. None when
        DNS has no such record.
        """
        ns = asker["metadata"].get("namespace", "default")
        targets = pod_dns.srv_targets(self.ctx.store, name, ns)
        if targets is None:
            return None
        found = []
        for target in targets:
            answer = self.request(target, PEER_PORT, "/data", namespace=ns, source=asker)
            found.append((target, answer.body if answer.ok else _node_error(self, target, answer)))
        return found

    @staticmethod
    def _refused(host: str, port: int) -> Response:
        return Response(
            False,
            error=f"Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server",
            exit_code=7,
        )

    @staticmethod
    def _timeout(host: str, port: int) -> Response:
        return Response(
            False,
            error=f"Failed to connect to {host} port {port} after {CONNECT_TIMEOUT_MS} ms: Timeout was reached",
            exit_code=28,
            elapsed_ms=CONNECT_TIMEOUT_MS,
        )


def _node_error(network: Network, host: str, answer: Response) -> str:
    """How Node's ``http.get`` words a failed connection (the app prints ``"Error: " + e.message``)."""
    resolved = network.resolve_host(host)
    if answer.exit_code == 6 or resolved is None:
        return f"Error: getaddrinfo ENOTFOUND {host}"
    code = "ETIMEDOUT" if answer.exit_code == 28 else "ECONNREFUSED"
    return f"Error: connect {code} {resolved[0]}:{PEER_PORT}"
