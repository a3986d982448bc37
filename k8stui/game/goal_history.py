"""Goals about what happened: an event was seen, a command was used."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from k8stui.game import patterns
from k8stui.game.goal_base import CheckBase, GoalView, Verdict, plain_message

Obj = dict[str, Any]


class EventCheck(CheckBase):
    """An event with this reason happened (optionally about a given object).

    Besides Event objects (``FailedScheduling``, ``BackOff``, ``Killing`` ...) this also
    matches the reason a container terminated with (``OOMKilled``, ``Error``, ``Completed``),
    which the kubelet records in the pod's status rather than as an event; terminations are
    noted every sampled second so a pod deleted later still counts.
    """

    type: Literal["event"]
    reason: str
    kind: str | None = None
    name_prefix: str | None = None
    message: str | None = Field(None, description="regular expression the message must match")
    namespace: str = "default"
    seen_with: str | None = Field(
        None,
        description="regular expression of a command the player must run after the event "
        "happened (for 'you saw ...' goals), e.g. '^kubectl (describe|get)'",
    )

    @field_validator("message", "seen_with")
    @classmethod
    def _valid_message(cls, value: str | None) -> str | None:
        return patterns.checked(value)

    def default_title(self) -> str:
        about = f" for {self.kind or 'an object'} {self.name_prefix or ''}".rstrip()
        return f"a {self.reason} event was seen{about}"

    def _about(self, kind: str, name: str) -> bool:
        if self.kind is not None and kind != self.kind:
            return False
        return self.name_prefix is None or name.startswith(self.name_prefix)

    def observe(self, view: GoalView, key: str) -> None:
        seen = view.notes(key)
        if "termination" not in seen:
            found = self._termination(view)
            if found:
                seen["termination"] = found
        if "after_command" not in seen and self._happened(view, key) is not None:
            # Commands from here on may count as the player looking at it.
            seen["after_command"] = len(view.history)

    def _termination(self, view: GoalView) -> str | None:
        if self.kind not in (None, "Pod"):
            return None
        for pod in view.cluster.list("Pod", self.namespace):
            name = str(pod["metadata"]["name"])
            if not self._about("Pod", name):
                continue
            for cs in (pod.get("status") or {}).get("containerStatuses") or []:
                for slot in ("state", "lastState"):
                    term = (cs.get(slot) or {}).get("terminated") or {}
                    if term.get("reason") == self.reason:
                        return f"container {cs.get('name')} of pod {name} was {self.reason}"
        return None

    def _happened(self, view: GoalView, key: str) -> str | None:
        """What happened, in words, or None when no matching event was seen."""
        for event in view.cluster.events():
            if event.get("reason") != self.reason:
                continue
            involved = event.get("involvedObject") or {}
            if involved.get("namespace") not in (None, "", self.namespace):
                continue  # another namespace's object (kube-system's, say)
            if not self._about(str(involved.get("kind", "")), str(involved.get("name", ""))):
                continue
            if self.message and not patterns.search(self.message, str(event.get("message", ""))):
                continue
            what = f"{str(involved.get('kind', '')).lower()} {involved.get('name')}"
            return f"{self.reason} for {what}: {plain_message(str(event.get('message', '')))}"
        if self.message is None:
            found = view.notes(key).get("termination") or self._termination(view)
            if found:
                return str(found)
        return None

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        happened = self._happened(view, key)
        if happened is None:
            return Verdict(False, f"no {self.reason} seen yet")
        if self.seen_with is None:
            return Verdict(True, happened)
        since = int(view.notes(key).get("after_command", len(view.history)))
        looked = [line for line in view.history[since:] if patterns.search(self.seen_with, line)]
        if looked:
            return Verdict(True, f"you looked with `{looked[0].strip()}`: {happened}")
        return Verdict(False, f"it happened, but you have not looked at it yet ({happened})")


class CommandCheck(CheckBase):
    """The player ran a command starting with ``prefix`` (or matching ``regex``)."""

    type: Literal["command"]
    prefix: str | None = None
    regex: str | None = None
    count: int = Field(1, ge=1)
    example: str | None = Field(
        None, description="a command that matches, shown to the player instead of the regex"
    )

    @field_validator("regex")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        return patterns.checked(value)

    @model_validator(mode="after")
    def _one_matcher(self) -> CommandCheck:
        if (self.prefix is None) == (self.regex is None):
            raise ValueError("give exactly one of prefix or regex")
        if self.example is not None and not self._matches(self.example):
            raise ValueError(f"example {self.example!r} does not match the command check")
        return self

    def default_title(self) -> str:
        return f"you ran `{self._shown()}`"

    def _shown(self) -> str:
        """The command as the player should read it (never a raw regular expression)."""
        if self.prefix is not None:
            return self.prefix
        return self.example or "the command this goal asks for"

    def _matches(self, line: str) -> bool:
        text = " ".join(line.split())
        if self.prefix is not None:
            return text.startswith(" ".join(self.prefix.split()))
        return patterns.search(str(self.regex), text)

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        used = [line for line in view.history if self._matches(line)]
        if len(used) >= self.count:
            return Verdict(True, f"you ran: {used[-1].strip()}")
        times = f" ({len(used)} of {self.count} times so far)" if self.count > 1 else ""
        if self.prefix is None and self.example is None:
            return Verdict(False, f"not yet: no command you ran fits this goal{times}")
        return Verdict(False, f"not yet: run `{self._shown()}`{times}")
