"""``kubectl explain TYPE[.FIELD...]``: the documentation of a kind or field, from its schema.

The type word is resolved as kubectl resolves it (``deployments.apps.spec`` drops the group
before the field path unless ``--api-version`` is given, which instead picks the version).
"""

from __future__ import annotations

from k8stui.engine.apiserver.resources import DERIVED, Resource, served
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.commands.resources import UnknownResource, resolve
from k8stui.kubectl.explain_view import FieldNotFound, Target, explain, header
from k8stui.kubectl.upstream import not_simulated
from k8stui.manifests.openapi_components import schema_name

_NO_TYPE = (
    "error: You must specify the type of resource to explain. "
    'Use "kubectl api-resources" for a complete list of supported resources.'
)


def _resource(word: str) -> Resource:
    for res in DERIVED:  # served but not in the engine's table (EndpointSlice)
        if word.lower() in (res.plural, res.kind.lower()):
            return res
    try:
        return resolve(word)
    except UnknownResource as exc:
        raise KubectlError(str(exc)) from None


def _split(text: str, api_version: str) -> tuple[Resource, str, str, tuple[str, ...]]:
    """The resource, the group and version to explain, and the field path."""
    text = text.removesuffix(".")
    word, _, rest = text.partition(".")
    res = _resource(word)
    if not api_version:
        if res.group and (rest == res.group or rest.startswith(res.group + ".")):
            rest = rest[len(res.group) + 1 :]
        return res, res.group, res.version, tuple(rest.split(".")) if rest else ()
    parts = api_version.split("/")
    if len(parts) > 2:
        raise KubectlError(f"error: unexpected GroupVersion string: {api_version}")
    group, version = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
    served_here = [r for r in served() if (r.group, r.version) == (group, version)]
    gvr = f"{group}/{version}, Resource={res.plural}"
    if not served_here:
        raise KubectlError(f'error: couldn\'t find resource for "{gvr}"')
    if res not in served_here:
        raise KubectlError(f"error: GVR ({gvr}) not found in OpenAPI schema")
    return res, group, version, tuple(rest.split(".")) if rest else ()


def _run(inv: Invocation) -> None:
    output = inv.flag("output")
    if output == "plaintext-openapiv2":
        raise KubectlError(not_simulated("explain --output=plaintext-openapiv2"))
    if output != "plaintext":
        raise KubectlError(f"error: unrecognized format: {output}")
    if not inv.args:
        raise KubectlError(_NO_TYPE)
    if len(inv.args) > 1:
        raise KubectlError("error: We accept only this format: explain RESOURCE")
    res, group, version, path = _split(inv.args[0], inv.flag("api-version") or "")
    name = schema_name(group, version, res.kind)
    if name is None:
        raise KubectlError(f"error: GVR ({group}/{version}, Resource={res.plural}) not found")
    target = Target(group, version, res.kind, name, path)
    inv.out.out(header(target), newline=False)
    try:
        inv.out.out(explain(target, recursive=bool(inv.flag("recursive"))), newline=False)
    except FieldNotFound as exc:
        raise KubectlError(f"error: {exc}") from None


COMMAND = Command(
    name="explain",
    summary="Get documentation for a resource",
    usage=(
        "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] "
        "[-o|--output=plaintext|plaintext-openapiv2] [options]"
    ),
    flags=(
        Flag(
            "api-version",
            help="The group/version of the resource to explain (the preferred one if empty).",
        ),
        Flag(
            "output",
            "o",
            default="plaintext",
            help="How to print the schema: plaintext (plaintext-openapiv2 is not simulated).",
        ),
        Flag(
            "recursive",
            kind="bool",
            default=False,
            help="If true, list every field name, nested, without descriptions.",
        ),
    ),
    handler=_run,
    long_help=(
        "Show the fields of a resource type, or of one field given as TYPE.FIELD.FIELD, "
        "with their types and descriptions, read from the API's OpenAPI schemas.\n\n"
        'Use "kubectl api-resources" for a complete list of supported resources.'
    ),
    examples="""  # The fields of a pod
  kubectl explain pods

  # Every field of a pod, nested
  kubectl explain pods --recursive

  # One field and the fields inside it
  kubectl explain pods.spec.containers

  # A kind in a given API version
  kubectl explain deployments --api-version=apps/v1""",
)
