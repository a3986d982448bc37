"""Type errors name the field as Go's JSON decoder does (issue 12, audit fix 7).

The decoder's ``UnmarshalTypeError`` reads ``<innermost struct>.<JSON names, dot-joined>``
with no list indexes or map keys. The real kubectl is the oracle offline: ``kubectl set
image --local -f FILE`` decodes the file into the typed object and prints the decoder's
text, exactly the text the API server puts after ``cannot be handled as a <Kind>:``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from k8stui.manifests import check_object, load_documents
from k8stui.manifests.schema import decoder_report
from tests.console_helpers import session

KUBECTL = shutil.which("kubectl")

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia\nspec:\n  containers:\n  - name: main\n"

# file -> (manifest, the decoder's text as the real kubectl 1.32 printed it)
CASES = {
    "port.yaml": (
        POD + "    image: nginx\n    ports:\n    - containerPort: eighty\n",
        "json: cannot unmarshal string into Go struct field "
        "ContainerPort.spec.containers.ports.containerPort of type int32",
    ),
    "fraction.yaml": (
        POD + "    image: nginx\n    ports:\n    - containerPort: 80.5\n"
        "    - containerPort: eighty\n  restartPolicy: 3\n",
        "json: cannot unmarshal number 80.5 into Go struct field "
        "ContainerPort.spec.containers.ports.containerPort of type int32",
    ),
    "tty.yaml": (
        POD + '    image: nginx\n    tty: "yes"\n',
        "json: cannot unmarshal string into Go struct field Container.spec.containers.tty "
        "of type bool",
    ),
    "containers.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia\nspec:\n  containers:\n"
        "    name: c\n    image: nginx\n",
        "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type "
        "[]v1.Container",
    ),
    "replicas.yaml": (
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: "3"\n'
        "  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n"
        "      labels: {app: d}\n    spec:\n      containers:\n      - {name: c, image: nginx}\n",
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of "
        "type int32",
    ),
    "target.yaml": (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n"
        "  - port: 80\n    targetPort: [8080]\n",
        "json: cannot unmarshal array into Go struct field ServicePort.spec.ports.targetPort "
        "of type int32",
    ),
    "labels.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kubia\n  labels:\n    tier: 3\n"
        "spec:\n  containers:\n  - {name: main, image: nginx, args: hello}\n",
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type "
        "string",
    ),
}


def _decoder_text(name: str) -> str:
    """Our API server's decoding text for the case, without the ``cannot be handled`` lead."""
    text, _ = CASES[name]
    loaded = load_documents(text, name)
    errors = decoder_report(check_object(loaded.documents[0]))
    assert len(errors) == 1, errors
    message = errors[0].message
    return message[message.index("json: ") :]


@pytest.mark.parametrize("name", sorted(CASES))
def test_decoder_names_struct_and_json_path(name: str) -> None:
    assert _decoder_text(name) == CASES[name][1]


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
@pytest.mark.parametrize("name", sorted(CASES))
def test_real_kubectl_decodes_the_same(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(CASES[name][0], encoding="utf-8")
    kind = CASES[name][0].split("kind: ", 1)[1].split("\n", 1)[0]
    command = ["set", "selector", "a=b"] if kind == "Service" else ["set", "image", "*=x"]
    real = subprocess.run(
        [str(KUBECTL), *command, "--local", "-f", name, "-o", "yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert real.stderr.strip() == f'error: unable to decode "{name}": {_decoder_text(name)}'


def test_apply_reports_the_first_type_error_only() -> None:
    s = session({"p.yaml": CASES["fraction.yaml"][0]})
    result = s.run("kubectl apply -f p.yaml")
    assert result.stderr.strip() == (
        'Error from server (BadRequest): error when creating "p.yaml": Pod in version "v1" '
        "cannot be handled as a Pod: " + CASES["fraction.yaml"][1]
    )


def test_metadata_type_error_fails_in_kubectl_before_any_request() -> None:
    s = session({"p.yaml": CASES["labels.yaml"][0]})
    result = s.run("kubectl apply -f p.yaml")
    assert result.stderr.strip() == 'error: unable to decode "p.yaml": ' + CASES["labels.yaml"][1]
    assert result.exit_code == 1
