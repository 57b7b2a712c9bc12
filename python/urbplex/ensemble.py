"""Ensembles: many model runs (parameter sweeps, realizations) across processes
or a cluster, each saved to the HDF5 store as soon as it finishes.

A task is a dict of keyword arguments; ``fn(**task)`` must return a
:class:`~urbplex.result.RunResult`. Task i is stored as the run
``<prefix>-<i>`` (six digits) with the task itself recorded in its
parameters (``ensemble_task``). Finished runs are written in atomic batches
(at most every ``batch_seconds``), so a crash or Ctrl-C loses at most the
runs of the last unwritten batch and never a file that was already there.
Calling :func:`run` again with the same tasks computes only the missing ones.

Any ``concurrent.futures.Executor`` works: :func:`process_pool` on one
machine, a ``distributed.Client`` (or its ``get_executor()``) on a Dask cluster;
without one, tasks run one after another in this process (each using every
core through OpenMP). ``fn`` may be defined in a notebook: both pickle it
with cloudpickle. Graphs, hierarchies and results pickle as their arrays, so
a city loaded once can be passed in the tasks (or, on Dask, scattered once
with ``client.scatter``). Results do not depend on the executor:
every model draws from streams keyed by its own seed.

Example::

    def site(L, seed):
        return ux.percolation.site(ux.generators.square_lattice(L, L), realizations=20, seed=seed)

    ens = ux.ensemble.run(site, ux.ensemble.grid(L=[64, 128], seed=range(10)),
                          store="sweep.h5", prefix="site", executor=ux.ensemble.process_pool())
    ens.to_frame(lambda r: {"peak": r.peak_second()})  # p where the second cluster peaks
"""
from __future__ import annotations

import concurrent.futures as cf
import itertools
import json
import os
import time
from typing import Any, Callable, Iterable, Mapping, Optional

from . import _core
from .io import _name, _path
from .result import RunResult, _jsonable

__all__ = ["grid", "process_pool", "run", "Ensemble"]


def grid(**axes: Iterable) -> list[dict]:
    """Every combination of the given values, the last axis varying fastest.

    ``grid(L=[64, 128], seed=range(3))`` gives six tasks
    ``{'L': 64, 'seed': 0}, {'L': 64, 'seed': 1}, ...``.
    """
    if not axes:
        raise ValueError("grid() needs at least one axis, e.g. grid(seed=range(10))")
    names = list(axes)
    values = []
    for name in names:
        v = axes[name]
        if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
            raise TypeError(f"argument '{name}': expected an iterable of values, got {type(v).__name__}")
        values.append(list(v))
    return [dict(zip(names, combo)) for combo in itertools.product(*values)]


def _limit_threads(n: int) -> None:
    os.environ["OMP_NUM_THREADS"] = str(n)
    _core.set_num_threads(n)


def process_pool(workers: Optional[int] = None, *, threads_per_worker: int = 1) -> cf.Executor:
    """A process pool for :func:`run`: ``workers`` processes (default: one per
    core) of ``threads_per_worker`` OpenMP threads each, so that processes do
    not oversubscribe the cores.

    It is loky's executor: functions are sent with cloudpickle, so ``fn`` may
    be defined in a notebook or in a script without an
    ``if __name__ == "__main__"`` guard, and workers start fresh (no OpenMP
    state of this process is inherited, as with spawn)."""
    if workers is None:
        workers = max(1, (os.cpu_count() or 1) // max(1, threads_per_worker))
    if not isinstance(workers, int) or workers < 1:
        raise ValueError(f"argument 'workers': must be a positive integer, got {workers!r}")
    if not isinstance(threads_per_worker, int) or threads_per_worker < 1:
        raise ValueError(f"argument 'threads_per_worker': must be a positive integer, got {threads_per_worker!r}")
    import loky

    return loky.ProcessPoolExecutor(max_workers=workers, initializer=_limit_threads, initargs=(threads_per_worker,))


def _as_completed(futures):
    """Futures in completion order: concurrent.futures', or Dask's for a Dask client."""
    first = next(iter(futures), None)
    if first is None or isinstance(first, cf.Future):
        return cf.as_completed(futures)
    from distributed import as_completed

    return as_completed(list(futures))


def _fingerprint(task: Mapping[str, Any]) -> str:
    """The task as canonical JSON; values JSON cannot hold are recorded by type."""
    return json.dumps(_jsonable(dict(task)), sort_keys=True, default=lambda o: f"<{type(o).__name__}>")


class Ensemble:
    """The runs of one ensemble in a store: ``ens[i]`` loads task i's result."""

    def __init__(self, store: str, prefix: str, tasks: list[dict], computed: int):
        self.store, self.prefix, self.tasks = store, prefix, tasks
        self.names = [f"{prefix}-{i:06d}" for i in range(len(tasks))]
        self.computed = computed  # how many tasks this call ran (the rest were in the store)

    def __len__(self) -> int:
        return len(self.tasks)

    def __getitem__(self, i: int) -> RunResult:
        return RunResult.load(self.store, self.names[i])

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def to_frame(self, summary: Optional[Callable[[RunResult], Mapping[str, Any]]] = None):
        """One row per task: its scalar arguments, plus ``summary(result)`` (a dict) when given."""
        import pandas as pd

        rows = []
        for i, task in enumerate(self.tasks):
            row = {"run": self.names[i]}
            row.update({k: v for k, v in task.items() if isinstance(v, (int, float, str, bool))})
            if summary is not None:
                row.update(summary(self[i]))
            rows.append(row)
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return f"Ensemble({len(self)} tasks in {self.store!r} as {self.prefix}-*, {self.computed} computed now)"


def _stored_fingerprints(store: str, names: list[str]) -> dict:
    if not os.path.exists(store):
        return {}
    present = set(_core.list(store, "runs")) & set(names)
    out = {}
    for name in present:
        meta, _ = _core.load_run(store, name, with_data=False)
        try:
            out[name] = json.loads(meta["parameters"]).get("ensemble_task")
        except json.JSONDecodeError:
            out[name] = None
    return out


def run(fn: Callable[..., RunResult], tasks: Iterable[Mapping[str, Any]], *, store, prefix: str,
        executor: Optional[cf.Executor] = None, batch_seconds: float = 5.0, progress: bool = False) -> Ensemble:
    """Run ``fn(**task)`` for every task, saving each result to ``store`` as it finishes.

    Tasks already in the store under this ``prefix`` (same index, same
    arguments) are skipped, so an interrupted ensemble resumes where it
    stopped. A stored run whose recorded task differs raises ValueError
    rather than mixing two ensembles. If a task raises, the runs finished so
    far are written, the pending tasks are cancelled and the exception
    propagates (so does Ctrl-C). Returns an :class:`Ensemble`.
    """
    if not callable(fn):
        raise TypeError(f"argument 'fn': expected a callable returning a RunResult, got {type(fn).__name__}")
    path = _path(store)
    prefix = _name(prefix)
    if not prefix or "/" in prefix:
        raise ValueError(f"argument 'prefix': must be a non-empty name without '/', got {prefix!r}")
    tasks = [dict(t) for t in tasks]
    for i, t in enumerate(tasks):
        if not all(isinstance(k, str) for k in t):
            raise TypeError(f"argument 'tasks': task {i} has a non-string key; tasks are keyword arguments")
    if batch_seconds < 0:
        raise ValueError(f"argument 'batch_seconds': must be >= 0, got {batch_seconds}")
    names = [f"{prefix}-{i:06d}" for i in range(len(tasks))]
    prints = [_fingerprint(t) for t in tasks]
    stored = _stored_fingerprints(path, names)
    for i, name in enumerate(names):
        if name in stored and stored[name] != prints[i]:
            raise ValueError(f"store '{path}' already holds run '{name}' for another task "
                             f"({stored[name]} instead of {prints[i]}); use another prefix or store")
    todo = [i for i, name in enumerate(names) if name not in stored]

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc=f"ensemble {prefix}", unit="run")
    pending: list = []
    last_flush = time.monotonic()

    def accept(i: int, result) -> None:
        nonlocal last_flush
        if not isinstance(result, RunResult):
            raise TypeError(f"task {i} ({prints[i]}): fn returned {type(result).__name__}, expected a RunResult")
        params = dict(_jsonable(result.parameters), ensemble_task=prints[i])
        arrays, compress = result._stored_arrays()
        pending.append((names[i], result.model, json.dumps(params, sort_keys=True), result.seed, arrays, compress,
                        result._meta_json()))
        if bar is not None:
            bar.update(1)
        if time.monotonic() - last_flush >= batch_seconds:
            flush()

    def flush(final: bool = False) -> None:
        nonlocal last_flush
        if pending:
            batch = list(pending)
            if final:  # after an interruption: runs of a batch that was written just before it are there already
                done = _stored_fingerprints(path, [b[0] for b in batch])
                batch = [b for b in batch if b[0] not in done]
            pending.clear()
            if batch:
                try:
                    _core.save_runs(path, batch, False)
                except BaseException:
                    # Kept for the final flush, which skips what is stored: a Ctrl-C that
                    # lands just after the save returned must not write the runs twice.
                    pending[:0] = batch
                    raise
        last_flush = time.monotonic()

    completed = False
    try:
        if executor is None:
            for i in todo:
                accept(i, fn(**tasks[i]))
        else:
            if type(executor).__name__ == "Client" and hasattr(executor, "get_executor"):
                executor = executor.get_executor()  # a dask.distributed Client
            futures = {executor.submit(fn, **tasks[i]): i for i in todo}
            try:
                for fut in _as_completed(futures):
                    accept(futures[fut], fut.result())
            finally:
                for fut in futures:
                    fut.cancel()
        completed = True
    finally:
        try:
            flush(final=not completed)
        except Exception as exc:
            if completed:
                raise
            import warnings  # the interruption or the task's error is on its way: keep it

            warnings.warn(f"ensemble: runs finished before the interruption were not written: {exc}", RuntimeWarning,
                          stacklevel=2)
        finally:
            if bar is not None:
                bar.close()
    return Ensemble(path, prefix, tasks, computed=len(todo))
