"""Goal explanations on the result screen read as written: field paths such as
``spec.volumes[*].emptyDir`` are not taken for Markdown emphasis or links."""

from __future__ import annotations

from types import SimpleNamespace

from markdown_it import MarkdownIt

from k8stui.game.models import Par
from k8stui.tui.screens.result import result_markdown

EXPLANATION = (
    "Pod fortune exists (spec.volumes[*].emptyDir is {…}; "
    "spec.containers[*].volumeMounts[*].mountPath is '/var/htdocs'; a_b <x> #1 `q` ~s~ |)"
)


def _shown_text(markdown: str) -> str:
    """The text a Markdown viewer shows (the parser the Textual Markdown widget uses)."""
    tokens = MarkdownIt("gfm-like").parse(markdown)
    return "".join(
        child.content
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type in ("text", "code_inline")
    )


def test_explanations_and_titles_are_shown_verbatim() -> None:
    goal = SimpleNamespace(
        passed=True, title="spec.volumes[*].name exists", explanation=EXPLANATION
    )
    result = SimpleNamespace(
        won=False, score=None, time=3.0, commands=0, hints=0, availability=None, goals=[goal]
    )
    level = SimpleNamespace(
        title="T", par=Par(time=60, commands=1), solution=SimpleNamespace(steps=[])
    )
    shown = _shown_text(result_markdown(level, result, {}))
    assert "spec.volumes[*].name exists" in shown
    assert EXPLANATION in shown
