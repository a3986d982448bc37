"""Starting points for new manifests in the editor (kept minimal: the player fills them in)."""

from __future__ import annotations

_POD = """apiVersion: v1
kind: Pod
metadata:
  name: my-pod
  labels:
    app: my-app
spec:
  containers:
  - name: main
    image: luksa/kubia
    ports:
    - containerPort: 8080
"""

_MULTI = """apiVersion: v1
kind: Pod
metadata:
  name: my-pod
spec:
  volumes:
  - name: shared
    emptyDir: {}
  containers:
  - name: web
    image: nginx:alpine
    volumeMounts:
    - name: shared
      mountPath: /usr/share/nginx/html
  - name: generator
    image: luksa/fortune
    volumeMounts:
    - name: shared
      mountPath: /var/htdocs
"""


def _controller(kind: str, api_version: str, selector: str) -> str:
    return f"""apiVersion: {api_version}
kind: {kind}
metadata:
  name: my-app
spec:
  replicas: 3
  selector:
{selector}
  template:
    metadata:
      labels:
        app: my-app
    spec:
      containers:
      - name: main
        image: luksa/kubia
        ports:
        - containerPort: 8080
"""


_MATCH = "    matchLabels:\n      app: my-app"

_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app: my-app
  ports:
  - port: 80
    targetPort: 8080
"""

# name shown in the picker -> (file name, text)
TEMPLATES: dict[str, tuple[str, str]] = {
    "Pod": ("pod.yaml", _POD),
    "Multi-container Pod": ("multi-pod.yaml", _MULTI),
    "ReplicationController": (
        "rc.yaml",
        _controller("ReplicationController", "v1", "    app: my-app"),
    ),
    "ReplicaSet": ("rs.yaml", _controller("ReplicaSet", "apps/v1", _MATCH)),
    "Deployment": ("deployment.yaml", _controller("Deployment", "apps/v1", _MATCH)),
    "Service": ("service.yaml", _SERVICE),
}


def unique_name(wanted: str, taken: set[str]) -> str:
    """``wanted`` or ``stem-2.yaml``, ``stem-3.yaml`` ... whichever is free."""
    if wanted not in taken:
        return wanted
    stem, dot, ext = wanted.rpartition(".")
    n = 2
    while f"{stem}-{n}{dot}{ext}" in taken:
        n += 1
    return f"{stem}-{n}{dot}{ext}"
