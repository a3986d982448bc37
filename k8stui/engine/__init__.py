"""The deterministic cluster: one package per component, a small core beside them.

Core: ``cluster`` (the public facade), ``context`` (shared services), ``clock``, ``queue``
(timed work), ``store`` (etcd), ``recorder`` (Events), ``timings``, ``errors``, ``names``,
``nodes``, ``faults``, ``activity``. Components: ``apiserver``, ``scheduler``,
``controllers`` (the controller manager), ``kubelet``, ``runtime`` (the container runtime),
``network`` (kube-proxy, DNS, IP allocation), ``images`` (registry and Docker host).
Shared pure helpers: ``apimachinery``. Nothing here imports Textual or does I/O.
"""
