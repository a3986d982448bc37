"""``kubectl events``: oldest first, repeated events as ``(xN over T)``, filters."""

from __future__ import annotations

import re

from tests.console_helpers import ok, session


def test_for_and_types_pick_one_objects_warnings() -> None:
    s = session()
    ok(s, "kubectl run bad --image=nope:1")
    ok(s, "kubectl run web --image=nginx")
    s.cluster.advance(60)
    lines = ok(s, "kubectl events --for pod/bad --types=Warning").stdout.splitlines()
    assert lines[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    row = re.compile(r"^\d+s \(x3 over \d+s\)   Warning   Failed   Pod/bad   \S")
    assert len(lines) == 4 and all(row.match(line) for line in lines[1:]), lines
    assert lines[-1].endswith("Pod/bad   Error: ImagePullBackOff")


def test_oldest_first_and_namespaced() -> None:
    s = session()
    ok(s, "kubectl run web --image=nginx")
    s.cluster.advance(30)
    lines = ok(s, "kubectl events --for pod/web").stdout.splitlines()
    reasons = [line.split()[2] for line in lines[1:]]
    assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    empty = s.run("kubectl events -n nowhere")
    assert (empty.stdout, empty.stderr) == ("", "No events found in nowhere namespace.\n")


def test_unknown_types_are_refused() -> None:
    result = session().run("kubectl events --types=Error")
    assert (result.exit_code, result.stderr) == (1, "error: valid --types are Normal or Warning\n")
