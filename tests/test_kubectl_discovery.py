"""``kubectl explain``, ``api-resources``, ``api-versions`` and ``cluster-info`` (built-in).

The texts are kubectl 1.32's against our API; ``test_*_matches_real_kubectl`` runs the real
kubectl on a served copy of the cluster for every served kind (skipped without kubectl). The
differential harness (``tests/fixtures/api_differential/commands.txt``) covers the flags.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8stui.engine.apiserver.resources import served
from k8stui.kubectl.wordwrap import wrap
from tests.api_helpers import KUBECTL, new_session
from tests.api_helpers import served as serve

SESSION = new_session()


def run(line: str) -> tuple[str, str, int]:
    result = SESSION.run("kubectl " + line)
    return result.stdout, result.stderr, result.exit_code


def test_wrap_keeps_lines_within_the_limit_and_long_words_whole() -> None:
    assert wrap("aaa bbb ccc", 7) == "aaa bbb\nccc"
    assert wrap("a verylongword b", 5) == "a\nverylongword\nb"
    assert wrap("one\n\ntwo three", 6) == "one\n\ntwo\nthree"
    assert wrap("x  ", 10) == "x  "


def test_explain_a_kind_lists_its_fields_with_types() -> None:
    out, err, code = run("explain deployments")
    assert (err, code) == ("", 0)
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n")
    assert (
        "DESCRIPTION:\n    Deployment enables declarative updates for Pods and ReplicaSets.\n"
        in out
    )
    assert "  apiVersion\t<string>\n  enum: apps/v1\n" in out
    assert "  spec\t<DeploymentSpec>\n" in out
    assert out.endswith("\n\n")


def test_explain_a_field_path_names_the_field_and_its_item_type() -> None:
    out, _, code = run("explain pods.spec.containers.ports")
    assert code == 0
    assert out.startswith("KIND:       Pod\nVERSION:    v1\n\nFIELD: ports <[]ContainerPort>\n\n\n")
    assert "  containerPort\t<integer> -required-\n" in out
    # The field's own description, then the one of its item type.
    assert "    ContainerPort represents a network port in a single container.\n    \n" in out
    labels, _, _ = run("explain pods.metadata.labels")
    assert "FIELD: labels <map[string]string>\n" in labels
    enum, _, _ = run("explain pods.kind")
    assert "FIELD: kind <string>\nENUM:\n    Pod\n\nDESCRIPTION:\n" in enum


def test_explain_recursive_nests_field_names_without_descriptions() -> None:
    out, _, code = run("explain pods.spec.containers.livenessProbe.httpGet --recursive")
    assert code == 0
    assert out.endswith(
        "FIELDS:\n  host\t<string>\n  httpHeaders\t<[]HTTPHeader>\n"
        "    name\t<string> -required-\n    value\t<string> -required-\n"
        "  path\t<string>\n  port\t<string> -required-\n  scheme\t<string>\n\n"
    )


@pytest.mark.parametrize(
    ("line", "stdout", "stderr"),
    [
        (
            "explain pods.foo.bar",
            "KIND:       Pod\nVERSION:    v1\n\n",
            'error: field "bar" does not exist\n',
        ),
        ("explain nope", "", 'the server doesn\'t have a resource type "nope"\n'),
        (
            "explain",
            "",
            'error: You must specify the type of resource to explain. Use "kubectl api-resources" '
            "for a complete list of supported resources.\n",
        ),
        ("explain pods svc", "", "error: We accept only this format: explain RESOURCE\n"),
        ("explain pods -o yaml", "", "error: unrecognized format: yaml\n"),
        (
            "explain pods --api-version=apps/v1",
            "",
            "error: GVR (apps/v1, Resource=pods) not found in OpenAPI schema\n",
        ),
        (
            "explain deploy --api-version=apps/v2",
            "",
            'error: couldn\'t find resource for "apps/v2, Resource=deployments"\n',
        ),
    ],
)
def test_explain_errors_are_kubectls(line: str, stdout: str, stderr: str) -> None:
    assert run(line) == (stdout, stderr, 1)


def test_explain_drops_the_group_from_the_path_unless_a_version_is_given() -> None:
    out, _, code = run("explain deployments.apps.spec.replicas")
    assert code == 0 and "FIELD: replicas <integer>\n" in out
    out, err, code = run("explain deployments.apps.spec --api-version=apps/v1")
    assert (err, code) == ('error: field "spec" does not exist\n', 1)


def test_api_resources_filters_and_orders_as_kubectl() -> None:
    out, _, _ = run("api-resources --namespaced=false --sort-by=name -o name")
    names = out.splitlines()
    assert names == sorted(names)
    assert "nodes" in names and "pods" not in names
    assert "storageclasses.storage.k8s.io" in names
    wide, _, _ = run("api-resources -o wide --api-group=discovery.k8s.io --no-headers")
    assert wide.split() == [
        "endpointslices",
        "discovery.k8s.io/v1",
        "true",
        "EndpointSlice",
        "get,list",
    ]
    table, _, _ = run("api-resources --verbs=list,watch --categories=all --api-group=batch")
    assert table.splitlines() == [
        "NAME       SHORTNAMES   APIVERSION   NAMESPACED   KIND",
        "cronjobs   cj           batch/v1     true         CronJob",
        "jobs                    batch/v1     true         Job",
    ]
    assert run("api-resources --sort-by=age") == (
        "",
        "error: --sort-by accepts only name or kind\n",
        1,
    )
    assert run("api-resources -o json") == ("", "error: --output json is not available\n", 1)


def test_api_versions_and_cluster_info() -> None:
    out, _, code = run("api-versions")
    assert code == 0
    assert out.splitlines() == sorted({res.api_version for res in served()})
    info, _, _ = run("cluster-info")
    assert info == (
        "Kubernetes control plane is running at https://127.0.0.1:6443\n"
        "CoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/"
        "kube-dns:dns/proxy\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    )
    assert run("cluster-info dump") == (
        "",
        'error: "kubectl cluster-info dump" is not simulated by k8stui\n',
        1,
    )


_FLAGS = st.sampled_from(
    [
        "explain", "api-resources", "api-versions", "cluster-info", "pods", "pods.spec",
        "deploy.apps.spec.template", "svc.spec.ports.port", "nope", "pods..spec", ".", "",
        "--recursive", "--recursive=false", "--api-version=v1", "--api-version=apps/v1",
        "--api-version=a/b/c", "--api-version=", "-o", "plaintext", "name", "wide",
        "--namespaced=false", "--namespaced", "--api-group=apps", "--sort-by=kind",
        "--verbs=get", "--categories=all", "--no-headers", "dump", "--cached",
    ]
)  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FLAGS, min_size=1, max_size=5))
def test_random_discovery_lines_never_raise(words: list[str]) -> None:
    result = SESSION.run("kubectl " + shlex.join(words))
    assert "internal" not in result.stderr
    assert result.exit_code in (0, 1)


@pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not installed")
def test_explain_matches_real_kubectl_for_every_served_kind(tmp_path: Path) -> None:
    lines = [f"explain {res.plural}{flag}" for res in served() for flag in ("", " --recursive")]
    lines += ["explain pods.spec.containers.resources", "explain sts.spec.volumeClaimTemplates"]
    lines += ["api-resources -o wide", "api-versions"]
    differences = []
    with serve(tmp_path) as srv:
        for line in lines:
            real = srv.kubectl(*shlex.split(line))
            theirs = (real.stdout, real.stderr, real.returncode)
            if run(line) != theirs:
                differences.append(line)
    assert not differences
