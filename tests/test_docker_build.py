"""Dockerfile parsing and the local Docker daemon: build cache, history, tag, push, rmi."""

from __future__ import annotations

import json

import pytest

from k8stui.engine.images.catalog import KUBIA_APP, builtin_registry
from k8stui.engine.images.docker_host import DockerError, DockerHost
from k8stui.engine.images.docker_output import human_duration, human_size
from k8stui.engine.images.dockerfile import DockerfileError, parse
from k8stui.engine.images.model import Behavior
from k8stui.engine.images.registry import Registry
from k8stui.engine.runtime.process import resolve

BOOK_DOCKERFILE = 'FROM node:7\nADD app.js /app.js\nENTRYPOINT ["node", "app.js"]\n'


@pytest.fixture()
def registry() -> Registry:
    return builtin_registry()


def book_context(app: str = KUBIA_APP) -> dict[str, str]:
    return {"Dockerfile": BOOK_DOCKERFILE, "app.js": app}


# --- parser ---------------------------------------------------------------------------------


def test_parse_forms_continuations_and_comments() -> None:
    steps = parse(
        "# syntax comment\n"
        "FROM node:7 AS base\n"
        "RUN apt-get update && \\\n"
        "    # comment inside a continuation\n"
        "    apt-get install -y curl\n"
        'ENV A=1 B="two words"\n'
        "ENV LEGACY some value\n"
        'CMD ["node", "app.js"]\n'
        "ENTRYPOINT node app.js\n"
        "COPY --chown=1000 . /app/\n"
        "expose 8080 53/udp\n"
    )
    assert [s.keyword for s in steps] == [
        "FROM",
        "RUN",
        "ENV",
        "ENV",
        "CMD",
        "ENTRYPOINT",
        "COPY",
        "EXPOSE",
    ]
    assert steps[1].line == 3 and steps[1].rest == "apt-get update &&     apt-get install -y curl"
    assert steps[2].pairs == (("A", "1"), ("B", "two words"))
    assert steps[3].pairs == (("LEGACY", "some value"),)
    assert steps[4].json_form and steps[4].command() == ["node", "app.js"]
    assert steps[5].command() == ["/bin/sh", "-c", "node app.js"]
    assert steps[6].flags == {"chown": "1000"} and steps[6].words == (".", "/app/")
    assert steps[7].line == 11


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FROM x\n\nFORM y\n", "dockerfile parse error on line 3: unknown instruction: FORM"),
        (
            "FROM a b\n",
            "dockerfile parse error on line 1: FROM requires either one or three arguments",
        ),
        ("FROM x\nCOPY app.js\n", "line 2: COPY requires at least two arguments"),
        ("FROM x\nEXPOSE http\n", "line 2: invalid containerPort: http"),
        ("FROM x\nENV ONLYKEY\n", "line 2: ENV must have two arguments"),
        ("FROM x\nWORKDIR\n", "line 2: WORKDIR requires exactly one argument"),
    ],
)
def test_parse_errors_have_line_numbers(text: str, message: str) -> None:
    with pytest.raises(DockerfileError) as caught:
        parse(text)
    assert message in str(caught.value)


# --- build ----------------------------------------------------------------------------------


def test_book_build_output_and_layers(registry: Registry) -> None:
    host = DockerHost(registry)
    result = host.build("kubia", book_context(), now_ms=60_000)
    assert result.error is None and result.image is not None
    lines = result.lines
    assert lines[0] == "Sending build context to Docker daemon  2.048kB"
    assert lines[1] == "Step 1/3 : FROM node:7"
    assert lines[2] == "7: Pulling from library/node"
    assert "Status: Downloaded newer image for node:7" in lines
    assert "Step 2/3 : ADD app.js /app.js" in lines
    assert 'Step 3/3 : ENTRYPOINT ["node", "app.js"]' in lines
    assert any(line.startswith(" ---> Running in ") for line in lines)
    assert any(line.startswith("Removing intermediate container ") for line in lines)
    assert lines[-2] == f"Successfully built {result.image.short_id}"
    assert lines[-1] == "Successfully tagged kubia:latest"
    node = registry.resolve("node:7")
    assert node is not None
    assert len(result.image.layers) == len(node.layers) + 2
    assert result.image.layers[-2].size == len(KUBIA_APP) and result.image.layers[-1].size == 0
    # The book's app.js on node:7 gives exactly the published luksa/kubia image.
    assert result.image.id == registry.resolve("luksa/kubia").id  # type: ignore[union-attr]


def test_build_ids_are_stable_across_hosts(registry: Registry) -> None:
    one = DockerHost(registry).build("kubia", book_context()).lines
    two = DockerHost(builtin_registry()).build("kubia", book_context()).lines
    assert one == two


def test_second_build_uses_cache_and_edit_busts_from_add(registry: Registry) -> None:
    host = DockerHost(registry)
    first = host.build("kubia", book_context())
    second = host.build("kubia", book_context())
    assert second.lines.count(" ---> Using cache") == 2
    assert not any("Pulling" in line for line in second.lines)
    assert second.image is not None and first.image is not None
    assert second.image.id == first.image.id
    edited = host.build("kubia", book_context(KUBIA_APP.replace("You've hit", "Hello from")))
    assert edited.lines.count(" ---> Using cache") == 0
    add_index = edited.lines.index("Step 2/3 : ADD app.js /app.js")
    assert edited.lines[add_index + 1] != " ---> Using cache"
    assert edited.image is not None and edited.image.id != first.image.id
    assert edited.image.layers[:-2] == first.image.layers[:-2]
    # The edited script changes what the image answers.
    spec = resolve(edited.image, None, None, {"HOSTNAME": "kubia-abc"})
    assert spec.ports == (8080,) and spec.http is not None
    assert spec.http.response == "Hello from {hostname}\n"


def test_build_errors(registry: Registry) -> None:
    host = DockerHost(registry)
    missing = host.build("x", {"Dockerfile": "FROM nodee:7\n"})
    assert missing.error is not None and missing.error.startswith("pull access denied for nodee")
    tag = host.build("x", {"Dockerfile": "FROM node:99\n"})
    assert tag.error == "manifest for node:99 not found: manifest unknown: manifest unknown"
    no_file = host.build("x", {"Dockerfile": "FROM busybox\nCOPY app.js /\n"})
    assert no_file.error is not None and "stat app.js: file does not exist" in no_file.error
    failing = host.build("x", {"Dockerfile": "FROM busybox\nRUN echo hi && exit 3\n"})
    assert "hi" in failing.lines
    assert failing.error == "The command '/bin/sh -c echo hi && exit 3' returned a non-zero code: 3"
    bad = host.build("x", {"Dockerfile": "FROM busybox\nFORM x\n"})
    assert bad.error == "dockerfile parse error on line 2: unknown instruction: FORM"
    assert host.build("Bad", book_context()).error is not None


def test_attached_behaviour_and_expose(registry: Registry) -> None:
    host = DockerHost(registry)
    host.attach_behavior("kubia", Behavior(ports=[8080], response="v9 {hostname}\n"))
    built = host.build("kubia:v9", {"Dockerfile": "FROM busybox\nEXPOSE 9000\n"}).image
    assert built is not None and built.behavior.response == "v9 {hostname}\n"
    plain = host.build("other", {"Dockerfile": "FROM nginx\nEXPOSE 8443\n"}).image
    assert plain is not None and plain.behavior.ports == [80, 8443]
    assert plain.behavior.serve_file == "/usr/share/nginx/html/index.html"


def test_images_history_tag_push_rmi(registry: Registry) -> None:
    host = DockerHost(registry)
    built = host.build("kubia", book_context(KUBIA_APP + "// mine\n"), now_ms=0).image
    assert built is not None
    table = host.format_images(now_ms=120_000).splitlines()
    assert table[0] == "REPOSITORY   TAG       IMAGE ID       CREATED         SIZE"
    assert table[1].split()[:3] == ["kubia", "latest", built.short_id]
    assert "2 minutes ago" in table[1] and table[1].endswith("661MB")
    history = host.history("kubia", now_ms=120_000).splitlines()
    assert history[0].split() == ["IMAGE", "CREATED", "CREATED", "BY", "SIZE", "COMMENT"]
    assert history[1].startswith(built.short_id)
    assert '/bin/sh -c #(nop)  ENTRYPOINT ["node" "app.j…' in history[1]
    assert history[-1].startswith("<missing>")

    denied = host.push("kubia")
    assert denied[0] == "The push refers to repository [docker.io/library/kubia]"
    assert denied[-1] == "denied: requested access to the resource is denied"

    host.tag("kubia", "luksa/kubia:v9")
    pushed = host.push("luksa/kubia:v9")
    assert pushed[0] == "The push refers to repository [docker.io/luksa/kubia]"
    assert f"{built.layers[-2].id[7:19]}: Pushed" in pushed
    assert any(line.endswith(": Layer already exists") for line in pushed)
    assert pushed[-1].startswith("v9: digest: sha256:") and " size: " in pushed[-1]
    assert registry.resolve("luksa/kubia:v9") is not None
    again = host.push("luksa/kubia:v9")
    assert not any(line.endswith(": Pushed") for line in again)
    assert host.push("nothere/x") == ["An image does not exist locally with the tag: nothere/x"]

    assert host.rmi("luksa/kubia:v9") == ["Untagged: luksa/kubia:v9"]
    removed = host.rmi("kubia")
    assert removed[0] == "Untagged: kubia:latest"
    assert f"Deleted: {built.id}" in removed and len(removed) == 3  # image + ADD step
    assert host.get("node:7") is not None
    with pytest.raises(DockerError, match="No such image: kubia"):
        host.rmi("kubia")
    with pytest.raises(DockerError, match="No such image"):
        host.history("kubia")


def test_rebuild_leaves_a_dangling_image(registry: Registry) -> None:
    host = DockerHost(registry)
    host.build("kubia", book_context())
    host.build("kubia", book_context(KUBIA_APP + "\n"))
    rows = host.images()
    assert [(r.repository, r.tag) for r in rows].count(("<none>", "<none>")) == 1


def test_docker_host_json_round_trip(registry: Registry) -> None:
    host = DockerHost(registry)
    host.attach_behavior("kubia", Behavior(ports=[1]))
    host.build("kubia", book_context())
    data = json.loads(json.dumps(host.to_json()))
    restored = DockerHost.from_json(data, registry)
    assert restored.to_json() == host.to_json()
    again = restored.build("kubia", book_context())
    assert again.lines.count(" ---> Using cache") == 2


@pytest.mark.parametrize(
    ("size", "precision", "text"),
    [(2048, 4, "2.048kB"), (0, 3, "0B"), (367, 3, "367B"), (72_099_410, 3, "72.1MB")],
)
def test_human_size(size: int, precision: int, text: str) -> None:
    assert human_size(size, precision) == text


def test_human_duration() -> None:
    assert human_duration(30_000) == "30 seconds"
    assert human_duration(90_000) == "About a minute"
    assert human_duration(3 * 86_400_000) == "3 days"
    assert human_duration(2_750 * 86_400_000) == "7 years"
