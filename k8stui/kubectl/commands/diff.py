"""``kubectl diff -f``: the live objects against what applying the files would store.

The real kubectl writes both versions as YAML into two temporary folders (``LIVE-<random>``
and ``MERGED-<random>``, one file per object named ``<group>.<version>.<Kind>.<ns>.<name>``)
and runs ``diff -u -N`` on them. This prints the same unified diff with ``difflib``. What
differs from a real run, on purpose: the random folder numbers are the cluster's revision (so
a replay prints the same text), and the file times are the simulated clock, not the disk's.
Exit codes follow kubectl: 0 no differences, 1 differences, greater than 1 an error.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from datetime import timedelta
from typing import Any

from k8stui.engine.clock import SIM_EPOCH
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import (
    FILENAME_FLAG,
    RECURSIVE_FLAG,
    read_objects,
    resource_of,
)
from k8stui.kubectl.output import to_yaml

Obj = dict[str, Any]
ERROR_CODE = 2  # kubectl's "greater than 1": the diff could not be made
_EMPTY_FILE_TIME = "1970-01-01 00:00:00.000000000 +0000"  # how diff -N dates an absent file


def file_name(obj: Obj) -> str:
    """``apps.v1.Deployment.default.web``: the name kubectl gives the object's temporary file."""
    meta = obj.get("metadata") or {}
    version = str(obj.get("apiVersion") or "").replace("/", ".")
    parts = [version, str(obj.get("kind") or "")]
    if meta.get("namespace"):
        parts.append(str(meta["namespace"]))
    parts.append(str(meta.get("name") or ""))
    return ".".join(parts)


def _shown(obj: Obj) -> str:
    """The YAML kubectl writes for one side (managedFields left out, as it does by default)."""
    meta = {k: v for k, v in (obj.get("metadata") or {}).items() if k != "managedFields"}
    return to_yaml({**obj, "metadata": meta})


def _with_generation(merged: Obj, live: Obj | None) -> Obj:
    """The engine's dry run leaves ``generation`` alone; the API server bumps it with the spec."""
    if live is None or merged.get("spec") == live.get("spec"):
        return merged
    generation = (live.get("metadata") or {}).get("generation")
    if not isinstance(generation, int):
        return merged
    return {**merged, "metadata": {**merged["metadata"], "generation": generation + 1}}


def unified(live: str, merged: str, name: str, live_dir: str, merged_dir: str, when: str) -> str:
    """``diff -u -N`` of two folders holding one file ``name`` each ("" when they are equal)."""
    if live == merged:
        return ""
    left, right = f"{live_dir}/{name}", f"{merged_dir}/{name}"
    lines = difflib.unified_diff(
        live.splitlines(keepends=True),
        merged.splitlines(keepends=True),
        left,
        right,
        when if live else _EMPTY_FILE_TIME,
        when,
    )
    return f"diff -u -N {left} {right}\n" + "".join(lines)


def run(inv: Invocation) -> None:
    """Run ``kubectl diff``."""
    if inv.args:
        raise KubectlError(
            "error: Unexpected args: " + str(inv.args).replace("'", ""), code=ERROR_CODE
        )
    try:
        items = read_objects(inv, "diff")
    except KubectlError as exc:
        raise KubectlError(exc.text, code=ERROR_CODE) from None
    number = 1_000_000_000 + inv.cluster.revision
    live_dir, merged_dir = f"/tmp/LIVE-{number}", f"/tmp/MERGED-{number + 1}"
    stamp = SIM_EPOCH + timedelta(milliseconds=inv.cluster.now_ms)
    when = stamp.strftime("%Y-%m-%d %H:%M:%S.") + f"{stamp.microsecond * 1000:09d} +0000"
    changed = False
    for item in items:
        try:
            res = resource_of(item)
            namespace = str((item.obj.get("metadata") or {}).get("namespace") or "")
            live = inv.cluster.get(res.kind, item.name, namespace if res.namespaced else "")
            merged = _with_generation(inv.cluster.apply(item.obj, dry_run=True).obj, live)
        except KubectlError as exc:
            raise KubectlError(exc.text, code=ERROR_CODE) from None
        except ApiError as exc:
            raise KubectlError(exc.kubectl_text(item.source, "diffing"), code=ERROR_CODE) from None
        text = unified(
            _shown(live) if live else "",
            _shown(merged),
            file_name(merged),
            live_dir,
            merged_dir,
            when,
        )
        if text:
            changed = True
            inv.out.out(text, newline=False)
    if changed:
        inv.out.code = 1


COMMAND = Command(
    name="diff",
    summary="Diff the live version against a would-be applied version",
    usage="kubectl diff -f FILENAME [options]",
    flags=(
        replace(
            FILENAME_FLAG,
            help="Filename, directory, or URL to files contains the configuration to diff",
        ),
        RECURSIVE_FLAG,
    ),
    handler=run,
    long_help=(
        "Diff configurations specified by file name or stdin between the current online "
        "configuration, and the configuration as it would be if applied.\n\n The output is "
        "always YAML.\n\n KUBECTL_EXTERNAL_DIFF environment variable can be used to select your "
        "own diff command. Users can use external commands with params too, example: "
        'KUBECTL_EXTERNAL_DIFF="colordiff -N -u"\n\n By default, the "diff" command available '
        'in your path will be run with the "-u" (unified diff) and "-N" (treat absent files as '
        "empty) options.\n\n Exit status: 0 No differences were found. 1 Differences were found. "
        ">1 Kubectl or diff failed with an error.\n\n Note: KUBECTL_EXTERNAL_DIFF, if used, is "
        "expected to follow that convention."
    ),
    examples="""  # Diff resources included in pod.json
  kubectl diff -f pod.json

  # Diff file read from stdin
  cat service.yaml | kubectl diff -f -""".replace(
        "\n\n", "\n  \n"
    ),  # kubectl indents the blank lines too
)
