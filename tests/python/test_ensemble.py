"""Ensembles: saved as they finish, resumable, the same under any executor."""
import os

import numpy as np
import pytest

import urbplex as ux


def site_run(L, seed):
    """A small percolation run (module level, so a spawned worker can unpickle it)."""
    return ux.percolation.site(ux.generators.square_lattice(L, L), realizations=4, seed=seed)


def failing_run(L, seed):
    if (L, seed) == (8, 3):
        raise RuntimeError("task 3 fails")
    return site_run(L, seed)


def interrupted_run(L, seed):
    if (L, seed) == (16, 1):  # task 5, as if Ctrl-C were pressed there
        raise KeyboardInterrupt
    return site_run(L, seed)


TASKS = ux.ensemble.grid(L=[8, 16], seed=range(4))


def peak(r):
    return {"peak": float(r.peak_second())}


def test_grid_order_and_errors():
    assert ux.ensemble.grid(a=[1, 2], b=["x", "y"]) == [
        {"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}, {"a": 2, "b": "y"}]
    with pytest.raises(ValueError, match="at least one axis"):
        ux.ensemble.grid()
    with pytest.raises(TypeError, match="argument 'seed'"):
        ux.ensemble.grid(seed=3)


def test_serial_ensemble_saves_every_run_with_its_task(tmp_path):
    store = tmp_path / "sweep.h5"
    ens = ux.ensemble.run(site_run, TASKS, store=store, prefix="site", batch_seconds=0)
    assert len(ens) == 8 and ens.computed == 8
    assert sorted(ux.io.contents(store)["runs"]) == ens.names
    for task, r in zip(TASKS, ens):
        direct = site_run(**task)  # stored runs are the runs fn returns
        np.testing.assert_array_equal(r["largest"], direct["largest"])
        assert r.parameters["ensemble_task"] == f'{{"L": {task["L"]}, "seed": {task["seed"]}}}'
    frame = ens.to_frame(peak)
    assert list(frame.columns) == ["run", "L", "seed", "peak"] and len(frame) == 8


def test_a_failed_ensemble_keeps_its_finished_runs_and_resumes(tmp_path):
    store = tmp_path / "sweep.h5"
    with pytest.raises(RuntimeError, match="task 3 fails"):
        ux.ensemble.run(failing_run, TASKS, store=store, prefix="site", batch_seconds=3600)
    # runs 0-2 finished before the failure: written in the final batch although the interval had not passed
    assert sorted(ux.io.contents(store)["runs"]) == [f"site-{i:06d}" for i in range(3)]
    with pytest.raises(KeyboardInterrupt):
        ux.ensemble.run(interrupted_run, TASKS, store=store, prefix="site", batch_seconds=3600)
    assert len(ux.io.contents(store)["runs"]) == 5  # tasks 3 and 4 ran this time, then the interrupt
    ens = ux.ensemble.run(site_run, TASKS, store=store, prefix="site")
    assert ens.computed == 3  # only the missing tasks
    fresh = ux.ensemble.run(site_run, TASKS, store=tmp_path / "fresh.h5", prefix="site")
    for a, b in zip(ens, fresh):
        np.testing.assert_array_equal(a["largest"], b["largest"])
    assert ux.ensemble.run(site_run, TASKS, store=store, prefix="site").computed == 0


def test_resuming_with_other_tasks_is_refused(tmp_path):
    store = tmp_path / "sweep.h5"
    ux.ensemble.run(site_run, TASKS[:2], store=store, prefix="site")
    with pytest.raises(ValueError, match="another task"):
        ux.ensemble.run(site_run, TASKS[2:4], store=store, prefix="site")
    ux.ensemble.run(site_run, TASKS[2:4], store=store, prefix="other")  # a new prefix is fine


def test_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="RunResult"):
        ux.ensemble.run(lambda L, seed: 42, TASKS[:1], store=tmp_path / "x.h5", prefix="p")
    assert not os.path.exists(tmp_path / "x.h5")
    with pytest.raises(ValueError, match="prefix"):
        ux.ensemble.run(site_run, TASKS, store=tmp_path / "x.h5", prefix="a/b")
    with pytest.raises(TypeError, match="fn"):
        ux.ensemble.run(3, TASKS, store=tmp_path / "x.h5", prefix="p")
    with pytest.raises(ValueError, match="workers"):
        ux.ensemble.process_pool(0)


def test_process_pool_gives_the_serial_results(tmp_path):
    serial = ux.ensemble.run(site_run, TASKS, store=tmp_path / "serial.h5", prefix="site")
    with ux.ensemble.process_pool(2) as pool:
        pooled = ux.ensemble.run(site_run, TASKS, store=tmp_path / "pool.h5", prefix="site", executor=pool)
    assert pooled.computed == 8
    for a, b in zip(serial, pooled):
        np.testing.assert_array_equal(a["largest"], b["largest"])
        np.testing.assert_array_equal(a["second"], b["second"])


NOTEBOOK_STYLE = """
import numpy as np
import urbplex as ux

city = ux.generators.square_lattice(24, 24)          # loaded once, captured by the function

def site(seed):                                     # defined in __main__, as in a notebook cell
    return ux.percolation.site(city, realizations=4, seed=seed)

ens = ux.ensemble.run(site, [dict(seed=s) for s in range(4)], store=STORE, prefix="nb",
                      executor=ux.ensemble.process_pool(2))
serial = [site(s) for s in range(4)]
assert all(np.array_equal(a["largest"], b["largest"]) for a, b in zip(ens, serial))
print("ok", len(ens))
"""


def test_process_pool_runs_functions_defined_in_main_without_a_guard(tmp_path):
    """The notebook failure of issue 18: `Can't get attribute 'site' on <module '__main__'>`."""
    import subprocess
    import sys

    script = tmp_path / "notebook_like.py"  # no `if __name__ == "__main__"` guard
    script.write_text(f"STORE = {str(tmp_path / 'nb.h5')!r}\n" + NOTEBOOK_STYLE)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok 4"


def test_dask_local_cluster_with_two_workers_gives_the_serial_results(tmp_path):
    distributed = pytest.importorskip("distributed")
    city = ux.generators.square_lattice(24, 24)

    def site(seed):  # a closure over a Graph: pickled by value to the workers
        return ux.percolation.site(city, realizations=4, seed=seed)

    tasks = [{"seed": s} for s in range(6)]
    serial = ux.ensemble.run(site, tasks, store=tmp_path / "serial.h5", prefix="d")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = ux.ensemble.run(site, tasks, store=tmp_path / "dask.h5", prefix="d", executor=client)
        # The city scattered once and reused by every task.
        [remote_city] = client.scatter([city], broadcast=True)
        sizes = client.gather(client.map(lambda g: g.components().giant_fraction, [remote_city] * 3))
    assert on_dask.computed == 6
    for a, b in zip(serial, on_dask):
        np.testing.assert_array_equal(a["largest"], b["largest"])
    assert sizes == [1.0, 1.0, 1.0]
