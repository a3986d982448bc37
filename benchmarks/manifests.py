"""Manifest pipeline performance (run: ``python benchmarks/manifests.py [--count N]``).

Prints:
- the one-time schema warm-up (definitions read + one validator per simulated kind);
- the average cost per manifest of load_documents + check_object + apply_defaults +
  validate_object over a mix of Pods, Deployments, ReplicaSets, RCs, Services, Namespaces
  and ConfigMaps, after warm-up (target: <= 2 ms each).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from k8stui.engine.apiserver.defaults import apply_defaults
from k8stui.engine.apiserver.validation import validate_object
from k8stui.manifests import check_object, load_documents, warm_up

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "kubectl"

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: kubia-{n}
  labels:
    app: kubia
    tier: backend
spec:
  containers:
  - name: main
    image: luksa/kubia:v{n}
    ports:
    - containerPort: 8080
      name: http
    env:
    - name: MODE
      value: fast
    resources:
      requests: {{cpu: 100m, memory: 64Mi}}
      limits: {{cpu: 500m, memory: 128Mi}}
    readinessProbe:
      httpGet: {{path: /, port: 8080}}
  - name: sidecar
    image: busybox
    command: [sh, -c, "sleep 3600"]
"""

RC = """\
apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia-{n}
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
"""

RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: kubia-{n}
spec:
  replicas: 3
  selector:
    matchExpressions:
    - key: app
      operator: In
      values: [kubia]
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
"""


def corpus(count: int) -> list[str]:
    """``count`` manifests cycling through the templates and the kubectl fixtures."""
    fixtures = [p.read_text() for p in sorted(FIXTURES.glob("*.yaml"))]
    templates = [POD, RC, RS]
    texts: list[str] = []
    for n in range(count):
        pool = n % (len(templates) + len(fixtures))
        if pool < len(templates):
            texts.append(templates[pool].format(n=n))
        else:
            texts.append(fixtures[pool - len(templates)])
    return texts


def run(texts: list[str]) -> int:
    """The whole pipeline for each text; returns the number of problems found (expect 0)."""
    problems = 0
    for text in texts:
        result = load_documents(text, "bench.yaml")
        problems += len(result.errors)
        for doc in result.documents:
            problems += len(check_object(doc))
            problems += len(validate_object(apply_defaults(doc.obj)))
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    started = time.perf_counter()
    warm_up()
    print(f"schema warm-up (once):          {(time.perf_counter() - started) * 1000:8.1f} ms")

    texts = corpus(args.count)
    run(texts[:50])  # let caches settle
    started = time.perf_counter()
    problems = run(texts)
    elapsed = time.perf_counter() - started
    per = elapsed / len(texts) * 1000
    print(f"manifests processed:            {len(texts):8d}")
    print(f"parse+check+defaults+validate:  {per:8.3f} ms per manifest (target <= 2 ms)")
    print(f"problems found (expect 0):      {problems:8d}")


if __name__ == "__main__":
    main()
