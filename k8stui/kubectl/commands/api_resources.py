"""``kubectl api-resources`` and ``kubectl api-versions``: what discovery lists, from the table.

Both read the resources the API serves (``engine.apiserver.resources.served``), so they list
exactly what the real kubectl finds in our discovery documents, in its order: resources
grouped by API group (the core group first, then by name), each group in discovery order.
"""

from __future__ import annotations

from k8stui.engine.apiserver.resources import Resource, served, verbs_of
from k8stui.kubectl.commands.args import Flag
from k8stui.kubectl.commands.base import Command, Invocation, KubectlError
from k8stui.kubectl.table import TABLE_MIN_WIDTH, TABLE_PADDING
from k8stui.kubectl.tabwriter import align

_HEADERS = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]


def _words(values: list[str]) -> list[str]:
    """A string-slice flag's values (``--verbs=get,list --verbs=watch``), empty ones left out."""
    return [word for word in values if word]


def _selected(inv: Invocation) -> list[Resource]:
    group = inv.flag("api-group") or ""
    verbs = _words(inv.flag("verbs"))
    categories = _words(inv.flag("categories"))
    found = []
    for res in served():
        if inv.given("namespaced") and res.namespaced != inv.flag("namespaced"):
            continue
        if group and res.group != group:
            continue
        if any(verb not in verbs_of(res) for verb in verbs):
            continue
        if any(category not in res.categories for category in categories):
            continue
        found.append(res)
    # kubectl orders by group (a stable sort) unless told to order by name or kind.
    key = {"name": lambda r: r.plural, "kind": lambda r: r.kind}.get(
        inv.flag("sort-by"), lambda r: r.group
    )
    return sorted(found, key=key)


def _run_resources(inv: Invocation) -> None:
    if inv.args:
        raise inv.usage_error(f"unexpected arguments: [{' '.join(inv.args)}]")
    output = inv.flag("output") or ""
    if output not in ("", "wide", "name"):
        raise KubectlError(f"error: --output {output} is not available")
    if (inv.flag("sort-by") or "") not in ("", "name", "kind"):
        raise KubectlError("error: --sort-by accepts only name or kind")
    resources = _selected(inv)
    if output == "name":
        inv.out.out("".join(f"{res.qualified}\n" for res in resources), newline=False)
        return
    wide = output == "wide"
    rows = [] if inv.flag("no-headers") else [[*_HEADERS, *(["VERBS", "CATEGORIES"] * wide)]]
    for res in resources:
        row = [
            res.plural,
            ",".join(res.short_names),
            res.api_version,
            str(res.namespaced).lower(),
            res.kind,
        ]
        if wide:
            row += [",".join(verbs_of(res)), ",".join(res.categories)]
        rows.append(row)
    text = align(rows, minwidth=TABLE_MIN_WIDTH, padding=TABLE_PADDING)
    inv.out.out(text, newline=False)


def _run_versions(inv: Invocation) -> None:
    if inv.args:
        raise inv.usage_error(f"unexpected arguments: [{' '.join(inv.args)}]")
    versions = sorted({res.api_version for res in served()})
    inv.out.out("".join(f"{version}\n" for version in versions), newline=False)


API_RESOURCES = Command(
    name="api-resources",
    summary="Print the supported API resources on the server",
    usage="kubectl api-resources [flags] [options]",
    flags=(
        Flag("api-group", help="Only resources of this API group."),
        Flag(
            "cached",
            kind="bool",
            default=False,
            help="Use the cached list of resources (the simulator's list is always current).",
        ),
        Flag(
            "categories", kind="list", split=True, help="Only resources in all of these categories."
        ),
        Flag(
            "namespaced",
            kind="bool",
            default=True,
            help="When given, only namespaced (true) or only cluster-wide (false) resources.",
        ),
        Flag("no-headers", kind="bool", default=False, help="Leave out the header line."),
        Flag("output", "o", help="Output format. One of: (wide, name)."),
        Flag("sort-by", help="Order by 'name' or 'kind' rather than by API group."),
        Flag(
            "verbs", kind="list", split=True, help="Only resources that support all of these verbs."
        ),
    ),
    handler=_run_resources,
    long_help="List the API resources the server offers, with their short names and kinds.",
    examples="""  # Every resource type
  kubectl api-resources

  # With the verbs and categories
  kubectl api-resources -o wide

  # Only the cluster-wide ones, by name
  kubectl api-resources --namespaced=false --sort-by=name

  # Only one API group
  kubectl api-resources --api-group=apps""",
)

API_VERSIONS = Command(
    name="api-versions",
    summary='Print the supported API versions on the server, in the form of "group/version"',
    usage="kubectl api-versions [options]",
    flags=(),
    handler=_run_versions,
    long_help='List the API versions the server offers, as "group/version".',
    examples="""  # Every API version
  kubectl api-versions""",
)
