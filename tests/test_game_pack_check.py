"""``pack check`` on fixture packs that each carry one defect, and on a valid one."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from k8stui.game.pack import load_pack
from k8stui.game.pack_source import MAX_FILE_BYTES, PackError
from k8stui.game.proving import check_pack

PACKS = Path(__file__).parent / "fixtures" / "packs"


def messages(path: Path) -> list[str]:
    report = check_pack(path)
    assert not report.ok
    return [str(i) for i in report.issues] + [str(i) for p in report.proofs for i in p.problems]


def test_valid_pack_is_proved() -> None:
    report = check_pack(PACKS / "valid")
    assert report.ok, report.render()
    assert report.proofs[0].won_at == 15
    assert "all levels proved" in report.render()


def test_schema_errors_have_positions() -> None:
    assert messages(PACKS / "schema-error") == [
        "tiny.yaml:19:5: goals[0].ready: Input should be a valid integer, unable to parse string "
        "as an integer",
        "tiny.yaml:20:5: goals[0].colour: unknown field 'colour'",
    ]


def test_unsolvable_level() -> None:
    found = messages(PACKS / "unsolvable")
    assert found[0] == "tiny.yaml: the reference solution does not win"
    assert "1/2 ready; only 1 pod exists" in found[1]


def test_level_won_at_start() -> None:
    assert messages(PACKS / "won-at-start") == ["tiny.yaml: the level is already won at the start"]


def test_missing_file() -> None:
    assert messages(PACKS / "missing-file") == [
        "tiny.yaml:8:14: file 'assets/pod.yaml' is not in the pack"
    ]


def test_path_escaping_the_pack() -> None:
    (found,) = messages(PACKS / "escaping-path")
    assert found.startswith("tiny.yaml:8:14: files.pod.yaml.from: '../../secret.txt' must be")


def test_alias_bomb_stops_early() -> None:
    (found,) = messages(PACKS / "alias-bomb")
    assert "document expands to more than" in found


def test_oversized_file(tmp_path: Path) -> None:
    pack = tmp_path / "big"
    shutil.copytree(PACKS / "valid", pack)
    (pack / "blob.txt").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    (found,) = messages(pack)
    assert found == f"blob.txt: file is {MAX_FILE_BYTES + 1} bytes; the limit is {MAX_FILE_BYTES}"


def test_symlink_in_folder(tmp_path: Path) -> None:
    pack = tmp_path / "linked"
    shutil.copytree(PACKS / "valid", pack)
    (pack / "passwd").symlink_to("/etc/passwd")
    assert messages(pack) == ["passwd: symlinks are not allowed in a pack"]


def zip_of(folder: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def test_zip_pack_with_top_folder_loads(tmp_path: Path) -> None:
    archive = zip_of(PACKS / "valid", tmp_path / "valid.zip")
    assert load_pack(archive).levels[0].id == "tiny"
    assert check_pack(archive).ok


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil.yaml", "path leaves the pack ('..')"),
        ("/etc/evil.yaml", "absolute path"),
        ("valid/../../evil.yaml", "path leaves the pack ('..')"),
        ("C:/evil.yaml", "absolute path"),
    ],
)
def test_zip_slip_is_refused(tmp_path: Path, name: str, why: str) -> None:
    archive = zip_of(PACKS / "valid", tmp_path / "slip.zip", {name: b"x"})
    with pytest.raises(PackError) as caught:
        load_pack(archive)
    assert [str(i) for i in caught.value.issues] == [f"slip.zip!{name}: {why}"]


def test_zip_symlink_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "link.zip"
    zip_of(PACKS / "valid", target)
    with zipfile.ZipFile(target, "a") as archive:
        info = zipfile.ZipInfo("valid/evil")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(PackError, match="symlinks not allowed"):
        load_pack(target)


def test_zip_that_inflates_too_much(tmp_path: Path) -> None:
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("pack.yaml", b"\n" * (MAX_FILE_BYTES * 4))
    with pytest.raises(PackError, match="the limit is"):
        load_pack(target)


def test_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_text("hello")
    with pytest.raises(PackError, match="not a readable zip file"):
        load_pack(fake)


@pytest.mark.parametrize(
    ("written", "where", "why"),
    [
        (
            "metadata: {name: cfg, labels: {version: 2}}",
            "tiny.yaml:11:38: setup.objects[0].metadata.labels.version",
            'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal '
            "number into Go struct field ObjectMeta.metadata.labels of type string",
        ),
        (
            "metadata: {name: cfg}\n      data: {port: 8080}",
            "tiny.yaml:12:14: setup.objects[0].data.port",
            'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal '
            "number into Go struct field ConfigMap.data of type string",
        ),
    ],
)
def test_setup_objects_the_api_server_could_not_decode_are_defects(
    tmp_path: Path, written: str, where: str, why: str
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(PACKS / "valid", pack)
    level = pack / "tiny.yaml"
    text = level.read_text(encoding="utf-8")
    setup = f"setup:\n  objects:\n    - apiVersion: v1\n      kind: ConfigMap\n      {written}\n"
    level.write_text(text.replace("files:\n", setup + "files:\n", 1), encoding="utf-8")
    with pytest.raises(PackError) as refused:
        load_pack(pack)
    assert [str(i) for i in refused.value.issues] == [f"{where}: {why}"]
