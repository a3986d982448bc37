"""Resource type names as kubectl accepts them: plurals, singulars, short names, ``kind.group``."""

from __future__ import annotations

from k8stui.engine.apiserver.resources import RESOURCES, Resource, discovery_order
from k8stui.kubectl.commands.unsimulated import not_simulated_text


class UnknownResource(Exception):
    """``error: the server doesn't have a resource type "x"``."""

    def __init__(self, name: str) -> None:
        # A real kind we do not simulate is named as such, never as a type that does not exist.
        text = not_simulated_text(name)
        super().__init__(text or f'the server doesn\'t have a resource type "{name}"')
        self.name = name


def _aliases(res: Resource) -> set[str]:
    singular = res.kind.lower()
    names = {res.plural, singular, *res.short_names}
    if res.group:
        names |= {f"{res.plural}.{res.group}", f"{singular}.{res.group}"}
        names |= {
            f"{res.plural}.{res.version}.{res.group}",
            f"{singular}.{res.version}.{res.group}",
        }
    return names


ALIASES: dict[str, Resource] = {alias: res for res in RESOURCES for alias in _aliases(res)}

# ``kubectl get all`` (the "all" category): its kinds in the order discovery lists them.
ALL_CATEGORY: tuple[str, ...] = tuple(
    res.kind for res in discovery_order() if "all" in res.categories
)

# Completion offers these names (plural and short) rather than every alias.
TYPE_NAMES: tuple[str, ...] = tuple(
    sorted({res.plural for res in RESOURCES} | {s for res in RESOURCES for s in res.short_names})
)


def resolve(name: str) -> Resource:
    """The resource a type word names (case-insensitive); raises :class:`UnknownResource`."""
    res = ALIASES.get(name.lower())
    if res is None:
        raise UnknownResource(name)
    return res


def resolve_list(text: str) -> list[Resource]:
    """``pods,svc`` or ``all`` to resources (duplicates dropped, order kept)."""
    found: list[Resource] = []
    for word in text.split(","):
        if not word:
            continue
        if word.lower() == "all":
            picked = [resolve(kind) for kind in ALL_CATEGORY]
        else:
            picked = [resolve(word)]
        for res in picked:
            if res not in found:
                found.append(res)
    return found
