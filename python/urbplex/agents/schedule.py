"""Stages: how one rule is applied to the agents in one step.

``order='parallel'`` (synchronous update): every agent reads the state at
the start of the stage and writes its own row of the columns in ``writes``
(double-buffered, so no agent sees another's new value); agents run in
parallel, compiled. ``order='random'`` (random activation): agents act one
after the other in a fresh random order each step, each seeing the changes
of those before it (moves, for instance). ``order='sequential'``: the same,
in id order. A list of stages is a staged schedule (Mesa's StagedActivation).
"""
from __future__ import annotations

import re
from typing import Callable, Optional, Sequence

from . import _jit
from .errors import AgentRuleError

ORDERS = ("parallel", "random", "sequential")

#: (rule, boundscheck) -> numba dispatcher: a rule compiles once per process
_DISPATCHERS: dict = {}


class Stage:
    """One rule, applied to the agents alive (optionally only those where a
    bool column is true — ``where='moving'`` — or false — ``where='~happy'``).

    The rule is ``rule(i, a, out, space, rng, p)``: ``i`` the agent's id,
    ``a`` the columns (namedtuple: ``a.alive``, ``a.<name>``), ``out`` where
    to write (in a parallel stage the next-state columns in ``writes``; in
    serial stages ``out`` is ``a``), ``space`` the space's arrays (see
    :mod:`urbplex.agents.spaces`), ``rng`` the stage's random stream (see
    :mod:`urbplex.agents.random`), ``p`` the model's parameters
    (namedtuple). A plain Python function is compiled with numba (nopython,
    no GIL, bounds-checked); ``Model(..., jit=False)`` runs it as Python.

    ``births='children'`` names an int column in which the rule writes how
    many offspring the agent has this step: after the stage each parent's
    children are added (copies of the parent's row, ids after the last, in
    parent order) and the column is reset to 0. In a space of capacity 1,
    place offspring from a Python stage instead (they would share the
    parent's cell).
    """

    def __init__(self, rule: Callable, *, order: str = "parallel", writes: Sequence[str] = (),
                 where: Optional[str] = None, births: Optional[str] = None, name: Optional[str] = None):
        if order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
        if not callable(rule):
            raise TypeError(f"rule must be a function, got {type(rule).__name__}")
        self.py_rule = _jit.py_func(rule)
        self.name = name or getattr(self.py_rule, "__name__", "rule")
        self.order = order
        self.writes = tuple(writes)
        if isinstance(writes, str):
            raise TypeError(f"writes must be a sequence of column names, got the string {writes!r}")
        if order == "parallel" and not self.writes:
            raise ValueError(f"stage {self.name!r}: a parallel stage must name the columns it writes "
                             "(writes=[...]); they are double-buffered")
        self.where = where
        self.births = births

    def compiled(self, boundscheck: bool):
        """The numba dispatcher of the rule (compiled on its first call, once
        per process: stages of later models reuse it)."""
        key = (self.py_rule, bool(boundscheck))
        fn = _DISPATCHERS.get(key)
        if fn is None:
            nb = _jit.numba()
            fn = _DISPATCHERS[key] = nb.njit(nogil=True, boundscheck=boundscheck)(self.py_rule)
        return fn

    def __repr__(self) -> str:
        return f"Stage({self.name}, order={self.order!r}, writes={list(self.writes)}, where={self.where!r})"


def compile_error(stage: Stage, exc: Exception) -> AgentRuleError:
    """An AgentRuleError naming the file and line numba could not compile."""
    text = str(exc)
    where = [w for w in re.findall(r'File "([^"]+)", line (\d+)', text) if not w[0].endswith("_kernels.py")]
    loc = f" at {where[0][0]}:{where[0][1]}" if where else ""
    first = text.strip().splitlines()
    head = next((ln for ln in first if ln.strip()), "")
    return AgentRuleError(f"numba could not compile rule {stage.name!r}{loc}: {head.strip()} "
                          f"(run the model with jit=False to debug it in pure Python)\n{text}",
                          rule=stage.name)
