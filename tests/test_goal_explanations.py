"""Goal explanations in plain language, built from live state (issue 15, items 5 and 6).

test_game_goals.py covers every goal type's pass and fail verdicts; these tests pin the
wordings that used to leak internals (a raw regex, a UID, "ready on -", "found X: X") and the
"you saw" goals that must need the player's own command.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from k8stui.engine.cluster import Cluster
from k8stui.game.goal_base import GoalView, Verdict
from k8stui.game.goals import Check
from k8stui.game.pack import builtin_pack
from k8stui.game.runner import LevelRun
from tests.helpers import container, pod

CHECK = TypeAdapter(Check)
UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def judge(cluster: Cluster, data: dict[str, Any], history: list[str] | None = None) -> Verdict:
    return CHECK.validate_python(data).evaluate(GoalView(cluster, history or []), "g")


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=1)


def test_object_pass_says_what_exists_and_what_it_holds(cluster: Cluster) -> None:
    cluster.create(pod("web", container(image="nginx:1.27"), labels={"app": "web"}))
    cluster.create(pod("api", labels={"app": "web"}))
    named = {"type": "object", "kind": "Pod", "name": "web"}
    assert judge(cluster, named) == Verdict(True, "Pod web exists")
    by_label = {"type": "object", "kind": "Pod", "labels": {"app": "web"}, "count": 2}
    assert judge(cluster, by_label) == Verdict(True, "2 Pods found: web, api")


def test_pods_count_of_zero_and_unscheduled_pods_are_said_in_words(cluster: Cluster) -> None:
    goal = {"type": "pods", "selector": {"labels": {"app": "web"}}, "count": 2}
    assert judge(cluster, goal).explanation == "no pod matches app=web yet; wanted 2"
    cluster.create(pod("a", labels={"app": "web"}, nodeName="worker-1"))
    cluster.create(pod("b", labels={"app": "web"}, nodeSelector={"disk": "none"}))
    cluster.advance(5)
    verdict = judge(cluster, {"type": "pods", "selector": {"labels": {"app": "web"}}, "count": 2})
    assert verdict.passed
    assert verdict.explanation == "0/2 ready on worker-1 (1 pod not scheduled yet)"
    assert " -" not in verdict.explanation


def test_share_pod_names_the_missing_image_when_one_pod_has_the_wrong_one(
    cluster: Cluster,
) -> None:
    cluster.create(pod("web", container("kubia", "luksa/kubia"), container("m", "k8stui/metrix")))
    goal = {"type": "share_pod", "images": ["luksa/kubia", "k8stui/metrics"]}
    assert judge(cluster, goal).explanation == (
        "pod web runs luksa/kubia but not k8stui/metrics "
        "(its containers run luksa/kubia, k8stui/metrix)"
    )


def test_command_goal_never_shows_its_regex() -> None:
    cluster = Cluster(seed=1)
    plain = {"type": "command", "regex": r"^kubectl get (po|pod|pods)\b"}
    assert judge(cluster, plain).explanation == "not yet: no command you ran fits this goal"
    shown = dict(plain, example="kubectl get pods")
    assert judge(cluster, shown).explanation == "not yet: run `kubectl get pods`"
    assert CHECK.validate_python(shown).describe() == "you ran `kubectl get pods`"
    assert judge(cluster, shown, ["kubectl get po"]) == Verdict(True, "you ran: kubectl get po")


def test_command_goal_example_must_match() -> None:
    with pytest.raises(ValidationError, match="does not match"):
        CHECK.validate_python({"type": "command", "regex": "^kubectl get", "example": "ls"})


def test_event_ignores_other_namespaces(cluster: Cluster) -> None:
    cluster.advance(5)  # system pods in kube-system are scheduled
    goal = {"type": "event", "reason": "Scheduled", "kind": "Pod"}
    assert judge(cluster, goal) == Verdict(False, "no Scheduled seen yet")


def test_you_saw_needs_a_command_after_the_event(cluster: Cluster) -> None:
    goal = CHECK.validate_python(
        {"type": "event", "reason": "Scheduled", "kind": "Pod", "seen_with": "^kubectl describe"}
    )
    history: list[str] = ["kubectl describe pod web"]  # before anything happened
    view = GoalView(cluster, history)
    cluster.create(pod("web"))
    cluster.advance(2)
    goal.observe(view, "g")
    verdict = goal.evaluate(view, "g")
    assert not verdict.passed
    assert verdict.explanation.startswith("it happened, but you have not looked at it yet (")
    history.append("kubectl get pods")
    assert not goal.evaluate(view, "g").passed
    history.append("kubectl describe pod web")
    verdict = goal.evaluate(view, "g")
    assert verdict.passed
    assert verdict.explanation.startswith("you looked with `kubectl describe pod web`: Scheduled")


def test_level_5_oom_goal_waits_for_the_player() -> None:
    pack = builtin_pack()
    run = LevelRun(pack.level("isolation"), pack)
    run.advance(5)
    seen = run.goals()[0]
    assert not seen.passed and "you have not looked at it yet" in seen.explanation
    run.run_command("kubectl describe pod cache")
    assert run.goals()[0].passed


def test_no_builtin_explanation_leaks_internals() -> None:
    pack = builtin_pack()
    leaks = []
    for level in pack.levels:
        run = LevelRun(level, pack)
        run.advance(30)
        texts = [g.explanation for g in run.goals()]
        for path, text in run.solution_files().items():
            run.write_file(path, text)
        for step in level.solution.steps:
            run.apply_step(step)
        texts += [g.explanation for g in run.goals()]
        for text in texts:
            if UID.search(text) or "/^" in text or " on -" in text or text.startswith("found "):
                leaks.append(f"{level.id}: {text}")
    assert leaks == []
