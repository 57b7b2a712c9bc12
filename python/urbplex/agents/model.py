"""Model: agents, a space, a schedule of stages, reporters; ``run`` gives a
RunResult the store keeps."""
from __future__ import annotations

import traceback
from collections import namedtuple
from typing import Any, Callable, Mapping, Optional, Sequence, Union

import numpy as np

from .. import _core, _threads
from ..result import RunResult
from . import _jit
from .columns import Agents
from .errors import AgentRuleError
from .random import shuffle, stream
from .schedule import Stage, compile_error
from .spaces import space_for

#: agents per call of the compiled loop; Ctrl-C is seen between calls
CHUNK = 1 << 16

_PARAM_TYPES: dict = {}


def _params(values: Mapping[str, Any]):
    names = tuple(values)
    for k in names:
        if not str(k).isidentifier():
            raise ValueError(f"parameter name {k!r} must be a Python identifier")
    t = _PARAM_TYPES.get(names)
    if t is None:
        t = _PARAM_TYPES[names] = namedtuple("Params", names)
    out = []
    for k, v in values.items():
        if isinstance(v, (bool, np.bool_)):
            v = bool(v)
        elif isinstance(v, (int, np.integer)):
            v = int(v)
        elif isinstance(v, (float, np.floating)):
            v = float(v)
        elif isinstance(v, np.ndarray):
            if v.dtype.kind not in "fiub":
                raise TypeError(f"parameter {k!r}: arrays must be numeric, got {v.dtype}")
        else:
            raise TypeError(f"parameter {k!r} must be a number, a bool or a numeric array, "
                            f"got {type(v).__name__}")
        out.append(v)
    return t(*out)


def _storable(v: np.ndarray) -> np.ndarray:
    """Widen the dtypes the store does not keep (16-bit numbers)."""
    return v.astype({"i2": np.int32, "u2": np.uint32, "f2": np.float32}.get(v.dtype.str[1:], v.dtype), copy=False)


class Model:
    """An agent-based model: agents (:class:`Agents`), a space, and stages
    applied in order every step.

    Parameters
    ----------
    agents : Agents
    space : Grid, Network, Places, Continuous or None
    stages : sequence of Stage or callables
        A Stage applies a rule to the agents; a plain callable ``f(model)``
        runs in Python between stages (births, global updates).
    params : mapping
        Numbers, bools or numeric arrays, given to rules as ``p.<name>``.
    seed : int
    model_reporters : mapping name -> callable(model) -> number
        Collected before the first step and after every step.
    agent_reporters : mapping name -> column name
        The column's values for every agent alive, collected likewise.
    jit : bool
        Compile rules with numba (default); False runs them as Python, for
        debugging (slow).
    boundscheck : bool
        Check array indices in compiled rules (default; an out-of-range
        index becomes an AgentRuleError naming the agent). False is faster.

    Determinism: every random number comes from a counter-based stream of
    (seed, step, stage, agent, draw), parallel stages only write the acting
    agent's own row, and reductions in reporters run in numpy: a seed gives
    the same run on any number of threads.
    """

    def __init__(self, agents: Agents, space=None, stages: Sequence[Union[Stage, Callable]] = (), *,
                 params: Optional[Mapping[str, Any]] = None, seed: int = 0,
                 model_reporters: Optional[Mapping[str, Callable]] = None,
                 agent_reporters: Optional[Mapping[str, str]] = None,
                 jit: bool = True, boundscheck: bool = True, name: str = "agents"):
        if not isinstance(agents, Agents):
            raise TypeError(f"agents must be an urbplex.agents.Agents table, got {type(agents).__name__}")
        self.agents = agents
        self.space = space_for(space)
        self.stages = list(stages)
        for s in self.stages:
            if not isinstance(s, Stage) and not callable(s):
                raise TypeError(f"stages must be Stage objects or callables, got {type(s).__name__}")
            if isinstance(s, Stage):
                for c in s.writes:
                    if c not in agents:
                        raise ValueError(f"stage {s.name!r} writes column {c!r}, which the agents lack; "
                                         f"they have {agents.names}")
                if s.births is not None and (s.births not in agents or agents.dtypes[s.births].kind not in "iu"):
                    raise ValueError(f"stage {s.name!r}: births={s.births!r} must name an integer column")
                if s.where is not None:
                    col = s.where.lstrip("~")
                    if col not in agents or agents.dtypes[col].kind != "b":
                        raise ValueError(f"stage {s.name!r}: where={s.where!r} must name a bool column")
        self.params = dict(params or {})
        self._p = _params(self.params)
        self.seed = int(seed)
        self.model_reporters = dict(model_reporters or {})
        self.agent_reporters = dict(agent_reporters or {})
        for k, c in self.agent_reporters.items():
            if c not in agents:
                raise ValueError(f"agent reporter {k!r} reads column {c!r}, which the agents lack")
        self.jit = bool(jit)
        if self.jit:
            _jit.numba()  # the clear ImportError now, not at the first step
        self.boundscheck = bool(boundscheck)
        self.name = name
        self.steps_done = 0
        self._records: dict[str, list] = {k: [] for k in self.model_reporters}
        self._agent_records: dict[str, list] = {k: [] for k in self.agent_reporters}
        self._agent_steps: list = []
        self._agent_ids: list = []
        self._collected_at: list = []

    # -- one stage -------------------------------------------------------
    def _active(self, stage: Stage) -> np.ndarray:
        """Ids of the agents the stage applies to, in the order they run: a
        shuffle (random), ids (sequential), or — parallel stages, whose
        result does not depend on the order — the order of their cells in
        the space, so neighbouring agents are visited together (on a large
        grid whose agents have moved this is 2-3x faster than id order)."""
        a = self.agents
        mask = a.alive
        if stage.where is not None:
            col = a[stage.where.lstrip("~")]
            mask = mask & (~col if stage.where.startswith("~") else col)
        if stage.order == "parallel" and self.space is not None and a.size > 4096:
            if stage.where is None:  # everyone alive, in the order of their cells
                by_space = self.space.agents_in_order()
                if by_space is not None:
                    return by_space if self.space.capacity == 1 else by_space[mask[by_space]]
            ids = np.flatnonzero(mask)
            pos = self.space.position
            if isinstance(pos, str) and 8 * ids.size < a.size:  # a few: sort them by cell
                return ids[np.argsort(a[pos][ids], kind="stable")]
            by_space = self.space.agents_in_order()
            if by_space is not None:
                return by_space[mask[by_space]]
            return ids
        return np.flatnonzero(mask)

    def apply(self, stage: Stage) -> None:
        """Apply one stage now, outside the schedule (set-up, e.g. a first
        evaluation before step 0); its random stream is that of a stage
        numbered after the schedule's."""
        if not isinstance(stage, Stage):
            raise TypeError(f"apply takes a Stage, got {type(stage).__name__}")
        index = self.stages.index(stage) if stage in self.stages else len(self.stages) + 1
        self._apply(index, stage)

    def _apply(self, index: int, stage: Stage) -> None:
        a = self.agents
        if self.space is not None:
            self.space.prepare(a)
        ids = self._active(stage)
        rng = stream(self.seed, self.steps_done, index)
        if stage.order == "random":
            shuffle(stream(self.seed, self.steps_done, index | 0x8000), ids)
        cols = a.columns()
        if stage.order == "parallel":
            nxt = {c: a._data[c].copy() for c in stage.writes}
            out = cols._replace(**nxt)
        else:
            out = cols
        space = self.space.arrays() if self.space is not None else None
        if space is None:
            from .spaces import SpaceArrays
            from .spaces import _layers
            z = np.zeros(1, dtype=np.int64)
            space = SpaceArrays(z, z, z, z, z, z, z, z, _layers({}))
        p = self._p
        if self.jit:
            self._run_compiled(stage, ids, cols, out, space, rng, p)
        else:
            self._run_python(stage, ids, cols, out, space, rng, p)
        if stage.order == "parallel":
            for c in stage.writes:
                a._data[c] = getattr(out, c)
        self._check_nan(stage, ids)
        if stage.births is not None:
            self._give_birth(stage)

    def _give_birth(self, stage: Stage) -> None:
        a = self.agents
        wanted = a[stage.births]
        parents = np.flatnonzero((wanted != 0) & a.alive)
        if not parents.size:
            return
        counts = wanted[parents]
        if counts.min() < 0:
            i = int(parents[np.argmax(counts < 0)])
            raise AgentRuleError(f"rule {stage.name!r} asked for {int(wanted[i])} offspring of agent {i} at step "
                                 f"{self.steps_done}", rule=stage.name, agent=i, step=self.steps_done)
        who = np.repeat(parents, counts)
        values = {c: a[c][who] for c in a.names}
        wanted[parents] = 0
        values[stage.births] = 0
        a.add(who.size, **values)

    def _run_compiled(self, stage, ids, cols, out, space, rng, p) -> None:
        from . import _kernels
        from ._jit import numba

        nb = numba()
        rule = stage.compiled(self.boundscheck)
        threads = max(1, min(_threads.get_num_threads(), nb.config.NUMBA_NUM_THREADS))
        # the core's rule (core/parallel.hpp): a fork/join costs more than a
        # small stage, and far more while another process holds the CPUs;
        # on a busy machine one thread fewer than the CPUs leaves the other
        # process its core (2 threads beside a competitor on 2 cores ran
        # 1.06-1.35x slower than 1)
        if ids.size < 8 * _kernels.BLOCK:
            threads = 1
        elif threads > 1 and _core.machine_busy():
            threads = 1 if ids.size < (1 << 17) else threads - 1
        if nb.get_num_threads() != threads:
            nb.set_num_threads(threads)
        failed = np.zeros(ids.size if stage.order == "parallel" else 0, dtype=np.uint8)
        for lo in range(0, ids.size, CHUNK):
            hi = min(lo + CHUNK, ids.size)
            try:
                if stage.order == "parallel":
                    # blocks handed out one at a time: a thread descheduled by
                    # another process does not hold back a fixed share of them
                    with nb.parallel_chunksize(1):
                        _kernels.run_parallel(rule, ids, lo, hi, cols, out, tuple(space[:8]), space.layers, rng,
                                              p, failed)
                    bad = np.flatnonzero(failed[lo:hi])
                    j = lo + int(bad[0]) if bad.size else -1
                else:
                    j = _kernels.run_serial(rule, ids, lo, hi, cols, out, space, rng, p)
            except nb.core.errors.NumbaError as exc:  # typing, lowering, unsupported bytecode
                raise compile_error(stage, exc) from None
            if j >= 0:
                self._raise_for(stage, int(ids[j]), cols, out, space, rng, p)

    def _run_python(self, stage, ids, cols, out, space, rng, p) -> None:
        rule = stage.py_rule
        for i in ids.tolist():
            try:
                with np.errstate(all="ignore"):
                    rule(i, cols, out, space, rng, p)
            except KeyboardInterrupt:
                raise
            except Exception as exc:
                raise AgentRuleError(f"rule {stage.name!r} failed for agent {i} at step {self.steps_done}: "
                                     f"{type(exc).__name__}: {exc}", rule=stage.name, agent=i,
                                     step=self.steps_done) from exc

    def _raise_for(self, stage, i, cols, out, space, rng, p):
        """Re-run the failing agent's rule in Python to say what went wrong."""
        detail = "the rule raised (the error did not repeat in pure Python; run with jit=False to see it)"
        try:
            with np.errstate(all="ignore"):
                stage.py_rule(i, cols, out, space, rng, p)
        except Exception as exc:  # noqa: BLE001 - reported to the user
            tb = traceback.extract_tb(exc.__traceback__)
            line = next((f" ({fr.filename}:{fr.lineno}: {fr.line})" for fr in reversed(tb)
                         if fr.name == stage.py_rule.__name__), "")
            detail = f"{type(exc).__name__}: {exc}{line}"
        raise AgentRuleError(f"rule {stage.name!r} failed for agent {i} at step {self.steps_done}: {detail}",
                             rule=stage.name, agent=i, step=self.steps_done)

    def _check_nan(self, stage: Stage, ids: np.ndarray) -> None:
        a = self.agents
        names = stage.writes or [c for c, dt in a.dtypes.items() if dt.kind == "f"]
        for c in names:
            col = a[c]
            if col.dtype.kind != "f" or not ids.size or not np.isnan(col).any():
                continue  # one sequential pass; the acting agents are looked at only on a NaN
            bad = np.isnan(col[ids])
            if bad.any():
                i = int(ids[np.argmax(bad)])
                raise AgentRuleError(f"rule {stage.name!r} set column {c!r} of agent {i} to NaN at step "
                                     f"{self.steps_done}", rule=stage.name, agent=i, step=self.steps_done)

    # -- steps and runs ---------------------------------------------------
    def step(self) -> None:
        """Apply every stage once."""
        for index, stage in enumerate(self.stages):
            if isinstance(stage, Stage):
                self._apply(index, stage)
            else:
                stage(self)
        self.steps_done += 1

    def collect(self) -> None:
        """Record the reporters now."""
        for k, f in self.model_reporters.items():
            v = f(self) if callable(f) else getattr(self, f)
            self._records[k].append(v)
        if self.agent_reporters:
            ids = self.agents.ids
            self._agent_steps.append(np.full(ids.size, self.steps_done, dtype=np.int64))
            self._agent_ids.append(ids)
            for k, c in self.agent_reporters.items():
                self._agent_records[k].append(self.agents[c][ids].copy())
        self._collected_at.append(self.steps_done)

    def run(self, steps: int, *, progress: bool = False,
            stop: Optional[Callable[["Model"], bool]] = None) -> RunResult:
        """Collect, then ``steps`` times step and collect; ``stop(model)``
        returning True ends the run early. Ctrl-C stops within one chunk of
        agents (KeyboardInterrupt; the model stays usable)."""
        steps = int(steps)
        if steps < 0:
            raise ValueError(f"steps must be >= 0, got {steps}")
        if not self._collected_at:
            self.collect()
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=steps, desc=self.name, unit="step")
        try:
            for _ in range(steps):
                self.step()
                self.collect()
                if bar is not None:
                    bar.update(1)
                if stop is not None and stop(self):
                    break
        finally:
            if bar is not None:
                bar.close()
        return self.result()

    def result(self) -> RunResult:
        """What was collected, as a RunResult (``data['step']`` and one
        series per model reporter; agent reporters as long arrays
        ``agent_step``, ``agent_id``, ``agent_<name>``)."""
        data: dict[str, np.ndarray] = {"step": np.asarray(self._collected_at, dtype=np.int64)}
        for k, v in self._records.items():
            data[k] = np.asarray(v)
        if self.agent_reporters:
            data["agent_step"] = np.concatenate(self._agent_steps) if self._agent_steps else np.zeros(0, np.int64)
            data["agent_id"] = np.concatenate(self._agent_ids) if self._agent_ids else np.zeros(0, np.int64)
            for k, v in self._agent_records.items():
                data[f"agent_{k}"] = np.concatenate(v) if v else np.zeros(0)
        params = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in self.params.items()}
        data = {k: _storable(v) for k, v in data.items()}
        return RunResult(data, model=self.name, parameters={**params, "steps": self.steps_done}, seed=self.seed)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_p")  # a namedtuple of a class made at run time: rebuilt on load
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._p = _params(self.params)

    def __repr__(self) -> str:
        return (f"Model({self.name!r}, agents={self.agents.n_alive}, space={self.space!r}, "
                f"stages={[getattr(s, 'name', s) for s in self.stages]}, step={self.steps_done})")
