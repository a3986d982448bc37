"""When the play screen judges a run's goals, and the verdicts waiting for the goals pane."""

from __future__ import annotations

from typing import Any

# Goals are re-evaluated at least this often in sim seconds (some depend on elapsed time).
GOAL_PERIOD = 1.0


class GoalJudge:
    """Evaluates the goals when what they see may have changed; keeps the verdicts until the
    goals pane has shown them (at a fast clock that is a later frame than the judging)."""

    def __init__(self, run: Any) -> None:
        self.run = run
        # The cluster changed since the goals were last judged.
        self.due = False
        # Verdicts judged and not shown yet.
        self.pending: list[Any] | None = None
        self._at = -GOAL_PERIOD
        self._revision = -1

    def judge(self, *, force: bool) -> None:
        """Evaluate the goals into :attr:`pending` if ``force``, or if :attr:`due` and the
        store changed or :data:`GOAL_PERIOD` passed."""
        if not (force or self.due):
            return
        self.due = False
        cluster = self.run.cluster
        if force or cluster.revision != self._revision or cluster.now - self._at >= GOAL_PERIOD:
            self._at, self._revision = cluster.now, cluster.revision
            self.pending = self.run.goals()
