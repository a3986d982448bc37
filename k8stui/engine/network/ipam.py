"""Service ClusterIP and NodePort allocation, drawn from the cluster's seeded generator.

ClusterIPs come from 10.96.0.0/12 (kubeadm's default range). ``kubernetes.default`` takes the
first address; dynamic allocations prefer the upper band, leaving the low static band for
addresses users pick by hand (KEP-3070).
"""

from __future__ import annotations

import ipaddress
import random
from typing import Any

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)
_SIZE = SERVICE_CIDR.num_addresses
_STATIC_BAND = min(max(16, _SIZE // 16), 256)


class IpamError(Exception):
    """Raised for a requested address that is taken or outside the range."""


class ServiceAddresses:
    """Tracks used ClusterIPs and NodePorts."""

    def __init__(self) -> None:
        self.cluster_ips: set[str] = set()
        self.node_ports: set[int] = set()

    def allocate_ip(self, rng: random.Random, requested: str | None = None) -> str:
        """A free ClusterIP (or reserve ``requested``)."""
        if requested:
            try:
                addr = ipaddress.ip_address(requested)
            except ValueError as exc:
                raise IpamError(
                    f'spec.clusterIPs[0]: Invalid value: "{requested}": must be a valid IP address'
                ) from exc
            if addr not in SERVICE_CIDR:
                raise IpamError(
                    f'spec.clusterIPs: Invalid value: []string{{"{requested}"}}: failed to allocate IP '
                    f"{requested}: the provided IP ({requested}) is not in the valid range. "
                    f"The range of valid IPs is {SERVICE_CIDR}"
                )
            if requested in self.cluster_ips:
                raise IpamError(
                    f'spec.clusterIPs: Invalid value: []string{{"{requested}"}}: failed to allocate IP '
                    f"{requested}: provided IP is already allocated"
                )
            self.cluster_ips.add(requested)
            return requested
        base = int(SERVICE_CIDR.network_address)
        for _ in range(1000):
            offset = rng.randrange(_STATIC_BAND, _SIZE - 1)
            ip = str(ipaddress.ip_address(base + offset))
            if ip not in self.cluster_ips:
                self.cluster_ips.add(ip)
                return ip
        raise IpamError("failed to allocate a serviceIP: range is full")

    def allocate_node_port(self, rng: random.Random, requested: int | None = None) -> int:
        """A free NodePort in 30000-32767 (or reserve ``requested``)."""
        low, high = NODE_PORT_RANGE
        if requested:
            if not low <= requested <= high or requested in self.node_ports:
                raise IpamError(
                    f"spec.ports[0].nodePort: Invalid value: {requested}: provided port is "
                    + (
                        "already allocated"
                        if requested in self.node_ports
                        else f"not in the valid range. The range of valid ports is {low}-{high}"
                    )
                )
            self.node_ports.add(requested)
            return requested
        for _ in range(1000):
            port = rng.randint(low, high)
            if port not in self.node_ports:
                self.node_ports.add(port)
                return port
        raise IpamError("range is full")

    def release(self, service: dict[str, Any]) -> None:
        """Free the addresses of a deleted Service."""
        spec = service.get("spec") or {}
        self.cluster_ips.discard(str(spec.get("clusterIP")))
        for port in spec.get("ports") or []:
            if port.get("nodePort"):
                self.node_ports.discard(int(port["nodePort"]))

    def to_json(self) -> dict[str, Any]:
        """Plain-data form."""
        return {"ips": sorted(self.cluster_ips), "ports": sorted(self.node_ports)}

    def load_json(self, data: dict[str, Any]) -> None:
        """Restore from :meth:`to_json`."""
        self.cluster_ips = set(data["ips"])
        self.node_ports = {int(p) for p in data["ports"]}
