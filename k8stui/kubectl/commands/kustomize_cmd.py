"""``kubectl kustomize DIR`` and the objects of ``kubectl apply -k DIR``."""

from __future__ import annotations

from k8stui import manifests
from k8stui.engine.apiserver.resources import BY_KIND
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.filenames import Sourced, problem_text
from k8stui.kubectl.kustomize import KustomizeError, build
from k8stui.kubectl.output import to_yaml
from k8stui.manifests.loader import Document


def _built(inv: Invocation, folder: str) -> list[Sourced]:
    try:
        result = build(inv.files, folder)
    except KustomizeError as exc:
        raise KubectlError(f"error: {exc}") from None
    for warning in result.warnings:
        inv.out.err(warning)
    return [Sourced(obj, folder) for obj in result.objects]


def objects(inv: Invocation, folder: str, verb: str = "creating") -> list[Sourced]:
    """The objects ``-k folder`` applies, checked like ``-f`` files and in ``-n``'s
    namespace when the kustomization gives them none."""
    items = _built(inv, folder)
    if not items:
        raise KubectlError("error: no objects passed to apply")
    for item in items:
        errors = manifests.check_object(Document(item.obj, 0, folder))
        if errors:
            item.problem = problem_text(item, errors, verb)
        meta = item.obj.get("metadata") or {}
        res = BY_KIND.get(str(item.obj.get("kind") or ""))
        if res is not None and res.namespaced and not meta.get("namespace"):
            meta["namespace"] = inv.namespace
    return items


def run(inv: Invocation) -> None:
    """Run ``kubectl kustomize``."""
    if len(inv.args) > 1:
        raise KubectlError("error: specify one path to kustomization.yaml")
    folder = inv.args[0] if inv.args else "."
    items = _built(inv, folder)
    inv.out.out("---\n".join(to_yaml(item.obj) for item in items), newline=False)


COMMAND = Command(
    name="kustomize",
    summary="Build a kustomization target from a directory or URL",
    usage="kubectl kustomize DIR [flags] [options]",
    flags=(),
    handler=run,
    long_help="Build a set of KRM resources using a 'kustomization.yaml' file. The DIR argument "
    "must be a path to a directory containing 'kustomization.yaml', or a git repository URL "
    "with a path suffix specifying same with respect to the repository root. If DIR is "
    "omitted, '.' is assumed.",
    examples="""  # Build the current working directory
  kubectl kustomize

  # Build some shared configuration directory
  kubectl kustomize /home/config/production""",
)
