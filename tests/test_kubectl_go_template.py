"""``-o go-template``: the built-in kubectl prints what the real kubectl prints.

The real kubectl renders templates offline over ``create ... --dry-run=client`` objects, so
every template here runs through both and stdout, stderr and the exit code must agree. The
oracle is skipped where kubectl is absent; the unit tests below run everywhere.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from typing import Any

import pytest

from k8stui.kubectl.gosprintf import go_sprintf
from k8stui.kubectl.gotemplate import TemplateExecError, TemplateSyntaxError, execute
from tests.console_helpers import session

KUBECTL = shutil.which("kubectl")

TEMPLATES = [
    "{{.metadata.name}}",
    '{{range .spec.template.spec.containers}}{{.name}}={{.image}} {{end}}{{"\\n"}}',
    '{{index .metadata.labels "app"}} {{printf "%d-%s" .spec.replicas "z"}} {{.spec.nothere}}',
    "{{len .spec.template.spec.containers}} {{.status}} {{.metadata.creationTimestamp}}",
    "{{if .spec.replicas}}yes{{else}}no{{end}} {{with .metadata}}{{.name}}{{end}}",
    "{{range $i, $c := .spec.template.spec.containers}}{{$i}}:{{$c.name}}{{end}}",
    "{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}",
    '{{.metadata.labels.app | printf "%q"}}',
    "{{ .kind -}}   {{- .apiVersion }}",
    '{{eq .kind "Deployment"}} {{ne 1 2}} {{lt 1 2}} {{and 1 0}} {{or 0 "x"}} {{not true}}',
    '{{printf "%v %s %d %5s|%-4d|" .spec.template.spec.containers .kind .spec.replicas "ab" 7}}',
    '{{print 1 2 "a" "b" 3}} {{println "x"}}',
    '{{exists . "spec" "replicas"}} {{base64decode "aGVsbG8="}}',
    '{{/* a comment */}}x{{"\\t"}}y{{`raw`}}',
    "{{$x := .kind}}{{$x}} {{$}}",
    "{{if .nope}}a{{else if .kind}}b{{else}}c{{end}} {{with .nope}}y{{else}}n{{end}}",
    "{{range .nope}}x{{else}}empty{{end}} {{range .spec}}{{.}} {{end}}",
    '{{printf "%s" .spec.replicas}} {{printf "%d" .kind}} {{printf "%d %d" 1}}',
    '{{slice .kind 1 3}} {{index .metadata "labels" "app"}} {{index .metadata.labels "zz"}}',
    "{{.metadata.name.foo}}",
    "ab{{.kind}}{{.metadata.name.foo.bar}}",
    '{{index .metadata.labels "app" "x"}}',
    "{{len .spec.replicas}}",
    "{{.spec.replicas | len}}",
    "{{range .spec.replicas}}x{{end}}",
    "{{index .spec.template.spec.containers 5}}",
    '{{eq .kind 1}} {{lt .kind "Z"}}',
    "{{nofunc .x}}",
    "{{if}}",
    "{{.metadata.name",
    "{{end}}",
    "{{range .spec}}x",
    "{{$nope}}",
]


def _real(template: str) -> subprocess.CompletedProcess[str]:
    args = ["create", "deployment", "x", "--image=nginx", "--dry-run=client"]
    return subprocess.run(
        [str(KUBECTL), *args, "-o", f"go-template={template}"],
        capture_output=True,
        text=True,
        timeout=30,
    )


def _split_raw(stdout: str) -> tuple[Any, str]:
    match = re.search(r"\traw data was:\n\t\t(.*)\n", stdout)
    if match is None:
        return None, stdout
    return json.loads(match.group(1)), stdout[: match.start()] + stdout[match.end() :]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not on PATH")
@pytest.mark.parametrize("template", TEMPLATES)
def test_go_template_as_kubectl_prints_it(template: str) -> None:
    real = _real(template)
    argv = ["kubectl", "create", "deployment", "x", "--image=nginx", "--dry-run=client"]
    ours = session().run(shlex.join([*argv, "-o", f"go-template={template}"]))
    assert (ours.stderr, ours.exit_code) == (real.stderr, real.returncode)
    # The debugging report quotes the raw JSON in the order the server's Go structs marshal
    # it; the simulator keeps objects in its own order, so that one line is compared as data.
    ours_raw, ours_rest = _split_raw(ours.stdout)
    real_raw, real_rest = _split_raw(real.stdout)
    assert ours_rest == real_rest
    assert ours_raw == real_raw


def test_sprintf_bad_verbs_and_padding() -> None:
    assert go_sprintf("%s|%d|%q|%5.1f|%x", ["a", 3, "q", 2.25, 255]) == 'a|3|"q"|  2.2|ff'
    assert go_sprintf("%d %s", ["x"]) == "%!d(string=x) %!s(MISSING)"
    assert go_sprintf("%v", [1, 2]) == "1%!(EXTRA int64=2)"


def test_exec_error_keeps_partial_output() -> None:
    with pytest.raises(TemplateExecError) as caught:
        execute("a{{.b}}{{.b.c}}", {"b": "x"})
    assert caught.value.partial == "ax"
    assert str(caught.value).startswith("template: output:1:11: ")


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(TemplateSyntaxError, match=r"^template: output:2: unclosed action$"):
        execute("x\n{{.a", {})


def test_huge_ranges_stop_at_the_output_bound() -> None:
    with pytest.raises(TemplateExecError, match="output is over"):
        execute("{{range .}}{{range .}}xxxxxxxxxxxxxxxx{{end}}{{end}}", [list(range(1000))] * 1000)
