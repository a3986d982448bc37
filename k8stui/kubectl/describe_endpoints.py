"""``kubectl describe endpoints`` (kubectl 1.32 ``describeEndpoints``): one block per subset."""

from __future__ import annotations

from k8stui.kubectl.describe_common import (
    DescribeWriter,
    Obj,
    describe_events,
    describe_header,
    text,
)
from k8stui.kubectl.view import ClusterView


def _ips(addresses: list[Obj] | None) -> str:
    return ",".join(text(a.get("ip")) for a in addresses or []) or "<none>"


def describe_endpoints(ep: Obj, view: ClusterView) -> str:
    """Addresses, not-ready addresses and the port table of every subset."""
    meta = ep.get("metadata") or {}
    w = DescribeWriter()
    describe_header(w, meta)
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        w.write(1, f"Addresses:\t{_ips(subset.get('addresses'))}\n")
        w.write(1, f"NotReadyAddresses:\t{_ips(subset.get('notReadyAddresses'))}\n")
        ports = subset.get("ports") or []
        if ports:
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in ports:
                name = text(port.get("name")) or "<unset>"
                w.write(2, f"{name}\t{text(port.get('port'))}\t{text(port.get('protocol'))}\n")
        w.write(0, "\n")
    describe_events(w, view.events_for(ep), view.now_ms)
    return w.result()
