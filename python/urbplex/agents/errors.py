"""The error a failing rule raises."""
from __future__ import annotations


class AgentRuleError(ValueError):
    """A rule failed: it raised, indexed out of range, wrote NaN, or numba
    could not compile it. The message names the rule, the agent (its id) and
    the step; ``agent``, ``step`` and ``rule`` hold them (None where they do
    not apply, e.g. a compile error)."""

    def __init__(self, message: str, *, rule: str, agent=None, step=None):
        super().__init__(message)
        self.rule, self.agent, self.step = rule, agent, step
