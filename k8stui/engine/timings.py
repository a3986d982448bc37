"""Cluster timing settings, defaulting to Kubernetes 1.32 (reference §1.1 and §10).

A level may shorten them the way an operator sets controller-manager and kubelet flags.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Timings(BaseModel):
    """All durations in seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lease_renew_interval: float = Field(10.0, gt=0, description="kubelet lease renewal period")
    node_monitor_period: float = Field(5.0, gt=0, description="node lifecycle controller period")
    node_monitor_grace_period: float = Field(50.0, gt=0, description="1.32 default (40 s before)")
    node_startup_grace_period: float = Field(60.0, gt=0)
    default_toleration_seconds: int = Field(300, ge=0, description="not-ready/unreachable")
    termination_grace_period: int = Field(30, ge=0, description="pod default")
    backoff_initial: float = Field(10.0, gt=0, description="first crash/pull back-off")
    backoff_max: float = Field(300.0, gt=0, description="back-off cap")
    kube_api_qps: float = Field(
        20.0, gt=0, le=100_000, description="controller-manager --kube-api-qps (pod creations/s)"
    )
    kube_api_burst: int = Field(30, ge=1, le=100_000, description="--kube-api-burst")
    pod_gc_period: float = Field(20.0, gt=0)
    pod_gc_quarantine: float = Field(40.0, ge=0)
    sandbox_seconds: float = Field(1.0, ge=0, description="pod sandbox + IP set-up time")
    pull_bandwidth_mb: float = Field(50.0, gt=0, description="registry bandwidth, MB/s")
    container_stop_seconds: float = Field(
        1.0, ge=0, description="time an app takes to exit on TERM"
    )

    @property
    def backoff_reset(self) -> float:
        """A container that ran cleanly this long gets its back-off reset (2 x max)."""
        return 2 * self.backoff_max
