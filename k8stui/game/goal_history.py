"""Goals about what happened: an event was seen, a command was used."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from k8stui.game import patterns
from k8stui.game.goal_base import CheckBase, GoalView, Verdict

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

    @field_validator("message")
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
        if "termination" in seen:
            return
        found = self._termination(view)
        if found:
            seen["termination"] = found

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

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        for event in view.cluster.events():
            if event.get("reason") != self.reason:
                continue
            involved = event.get("involvedObject") or {}
            if not self._about(str(involved.get("kind", "")), str(involved.get("name", ""))):
                continue
            if self.message and not patterns.search(self.message, str(event.get("message", ""))):
                continue
            return Verdict(
                True,
                f"{self.reason} on {involved.get('kind', '').lower()}/{involved.get('name')}: "
                f"{event.get('message', '')}",
            )
        if self.message is None:
            found = view.notes(key).get("termination") or self._termination(view)
            if found:
                return Verdict(True, found)
        return Verdict(False, f"no {self.reason} seen yet")


class CommandCheck(CheckBase):
    """The player ran a command starting with ``prefix`` (or matching ``regex``)."""

    type: Literal["command"]
    prefix: str | None = None
    regex: str | None = None
    count: int = Field(1, ge=1)

    @field_validator("regex")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        return patterns.checked(value)

    @model_validator(mode="after")
    def _one_matcher(self) -> CommandCheck:
        if (self.prefix is None) == (self.regex is None):
            raise ValueError("give exactly one of prefix or regex")
        return self

    def default_title(self) -> str:
        return f"you used `{self.prefix or self.regex}`"

    def _matches(self, line: str) -> bool:
        text = " ".join(line.split())
        if self.prefix is not None:
            return text.startswith(" ".join(self.prefix.split()))
        return patterns.search(str(self.regex), text)

    def evaluate(self, view: GoalView, key: str) -> Verdict:
        used = [line for line in view.history if self._matches(line)]
        shown = self.prefix or f"/{self.regex}/"
        if len(used) >= self.count:
            return Verdict(True, f"you ran: {used[-1].strip()}")
        if used:
            return Verdict(False, f"ran `{shown}` {len(used)}/{self.count} times")
        return Verdict(False, f"you have not run `{shown}` yet")
