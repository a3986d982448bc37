"""``kubectl edit``: replace a live object with an edited copy.

The TUI opens its editor; in the shell the new object comes from ``--from-file PATH`` (a
k8stui-only flag) or from the lines that follow the command, up to a line ``EOF``.
"""

from __future__ import annotations

from k8stui import manifests
from k8stui.engine.apimachinery.gostrings import go_quote
from k8stui.engine.errors import ApiError
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.printing import OUTPUT_FLAG, resource_name
from k8stui.kubectl.commands.targets import parse_targets

FLAGS = (
    OUTPUT_FLAG,
    Flag("from-file", help="k8stui: read the edited object from this file instead of an editor"),
)


def run(inv: Invocation) -> None:
    """Run ``kubectl edit``."""
    if not inv.args:
        raise KubectlError(
            "error: You must provide one or more resources by argument or filename.\n"
            "Example resource specifications include:\n   '-f rsrc.yaml'\n"
            "   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"
        )
    targets = parse_targets(inv.args)
    if len(targets) != 1 or not targets[0].names or len(targets[0].names) != 1:
        raise KubectlError("error: the shell edits one object at a time: kubectl edit TYPE NAME")
    res = targets[0].res
    live = inv.lookup(res, targets[0].names[0])
    path = inv.flag("from-file")
    if path and not inv.files.exists(path):
        raise KubectlError(f"error: the path {go_quote(path)} does not exist")
    text = inv.files.read(path) if path else inv.stdin
    if not text or not text.strip():
        inv.out.out("Edit cancelled, no changes made.")
        return
    source = path or "STDIN"
    loaded = manifests.load_documents(text, source)
    problems = [str(e) for e in loaded.errors]
    for doc in loaded.documents:
        problems += [str(e) for e in manifests.check_object(doc)]
    if problems or len(loaded.documents) != 1:
        listed = "".join(f"error: {p}\n" for p in problems)
        raise KubectlError(f"{listed}error: Edit cancelled, no valid changes were saved.")
    edited = loaded.documents[0].obj
    meta = edited.get("metadata") or {}
    if edited.get("kind") != live.get("kind") or meta.get("name") != live["metadata"]["name"]:
        raise KubectlError(
            "error: At least one of apiVersion, kind and name was changed\n"
            "error: Edit cancelled, no valid changes were saved."
        )
    meta.setdefault("namespace", live["metadata"].get("namespace"))
    try:
        result = inv.cluster.replace(edited)
    except ApiError as exc:
        raise KubectlError(
            exc.kubectl_text() + "\nerror: Edit cancelled, no valid changes were saved."
        ) from None
    if result.op == "unchanged":
        inv.out.out("Edit cancelled, no changes made.")
        return
    for warning in result.warnings:
        inv.out.err(f"Warning: {warning}")
    inv.out.out(f"{resource_name(result.obj)} edited")


COMMAND = Command(
    name="edit",
    summary="Edit a resource on the server",
    usage="kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
    flags=FLAGS,
    handler=run,
    long_help=(
        "Edit a resource from the default editor.\n\n In the k8stui shell, give the edited "
        "object with --from-file FILE, or on the lines after the command, ending with a line EOF."
    ),
    examples="""  # Edit the service named 'registry' (the new YAML follows, up to EOF)
  kubectl edit svc/registry

  # Edit a deployment from a file
  kubectl edit deployment/web --from-file web-edited.yaml""",
)
