"""Goal explanations show the volumes and mounts the player wrote, not the service-account
token volume (``kube-api-access-*``) that ServiceAccount admission adds to every pod."""

from __future__ import annotations

from k8stui.game.fieldpath import FieldCondition
from k8stui.game.pack import builtin_pack
from k8stui.game.runner import LevelRun

TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def _won_shared_volume() -> LevelRun:
    pack = builtin_pack()
    run = LevelRun(pack.level("shared-volume"), pack)
    for path, text in run.solution_files().items():
        run.write_file(path, text)
        assert run.run_command(f"kubectl apply -f {path}").exit_code == 0
    run.advance(60)
    return run


def test_level_six_explanation_lists_only_the_players_mounts() -> None:
    run = _won_shared_volume()
    pod = run.cluster.get("Pod", "fortune")
    mounts = [m["mountPath"] for c in pod["spec"]["containers"] for m in c["volumeMounts"]]
    assert TOKEN_PATH in mounts  # admission did add it
    goal = run.goals()[1]
    assert goal.passed  # the verdict is unchanged
    assert TOKEN_PATH not in goal.explanation and "kube-api-access" not in goal.explanation
    assert "'/var/htdocs', '/usr/share/nginx/html'" in goal.explanation


def test_a_failing_explanation_leaves_the_token_mount_out_too() -> None:
    pod = _won_shared_volume().cluster.get("Pod", "fortune")
    wanted = FieldCondition(
        path="spec.containers[*].volumeMounts[*].mountPath", op="eq", value="/data"
    )
    assert not wanted.holds(pod)
    assert wanted.actual_text(pod) == (
        "spec.containers[*].volumeMounts[*].mountPath is '/var/htdocs', '/usr/share/nginx/html'"
    )
    token = FieldCondition(path="spec.containers[*].volumeMounts[*].mountPath", value=TOKEN_PATH)
    assert token.holds(pod)  # conditions still see the whole pod


def test_a_volume_the_player_wrote_under_that_name_is_kept() -> None:
    pod = {
        "kind": "Pod",
        "spec": {
            "volumes": [{"name": "kube-api-access-mine", "emptyDir": {}}],
            "containers": [
                {"name": "c", "volumeMounts": [{"name": "kube-api-access-mine", "mountPath": "/x"}]}
            ],
        },
    }
    names = FieldCondition(path="spec.volumes[*].name", op="exists")
    assert names.actual_text(pod) == "spec.volumes[*].name is 'kube-api-access-mine'"


def test_a_condition_about_the_token_mount_still_shows_it() -> None:
    pod = _won_shared_volume().cluster.get("Pod", "fortune")
    token = FieldCondition(path="spec.containers[*].volumeMounts[*].mountPath", value=TOKEN_PATH)
    assert TOKEN_PATH in token.actual_text(pod)
