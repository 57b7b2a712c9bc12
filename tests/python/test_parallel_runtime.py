"""The parallel runtime: thread limits from the process's CPUs, the user's
environment and threadpoolctl; serial cut-offs; identical results whatever
the thread count (include/urbplex/core/parallel.hpp)."""
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import urbplex as ux


def run_python(code: str, env=None, prefix=()):
    full = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT"):
        full.pop(k, None)
    full.update(env or {})
    out = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_set_get_and_context_manager():
    before = ux.get_num_threads()
    with ux.threads(1):
        assert ux.get_num_threads() == 1
    assert ux.get_num_threads() == before
    with pytest.raises(ValueError, match="argument 'n'"):
        ux.set_num_threads(-1)
    with pytest.raises(TypeError, match="argument 'n'"):
        ux.set_num_threads(1.5)


def test_threadpoolctl_limits_urbplex():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    if ux.get_num_threads() < 2:
        pytest.skip("one CPU: nothing to limit")
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        assert ux.get_num_threads() == 1
    assert ux.get_num_threads() >= 2


@pytest.mark.skipif(shutil.which("taskset") is None or (os.cpu_count() or 1) < 2, reason="needs taskset and 2 CPUs")
def test_thread_count_follows_the_affinity_mask():
    assert run_python("import urbplex as ux; print(ux.get_num_threads())", prefix=("taskset", "-c", "0")) == "1"


def test_user_environment_wins():
    assert run_python("import urbplex as ux; print(ux.get_num_threads())", env={"OMP_NUM_THREADS": "1"}) == "1"
    # The package bounds the spin of idle threads, unless the user chose a wait policy.
    assert run_python("import os, urbplex; print(os.environ['GOMP_SPINCOUNT'])") == ux._threads.SPIN_COUNT
    assert run_python("import os, urbplex; print(os.environ.get('GOMP_SPINCOUNT'))",
                      env={"OMP_WAIT_POLICY": "active"}) == "None"


def test_small_and_large_calls_give_the_same_result_on_1_and_2_threads():
    # A small fit takes the serial path, a large one the parallel path: both thread-invariant.
    small = ux.scaling.sample(2.5, 5, 3000, discrete=True, seed=1)
    large = ux.scaling.sample(2.2, 1, 20_000, seed=2)
    g = ux.generators.random_geometric(50_000, mean_degree=6, seed=3)
    out = {}
    for t in (1, 2):
        with ux.threads(t):
            out[t] = (ux.scaling.power_law(small).alpha, ux.scaling.power_law(large).alpha,
                      ux.multiscale.communities(g, method="louvain", seed=1).final.copy())
    assert out[1][0] == out[2][0] and out[1][1] == out[2][1]
    np.testing.assert_array_equal(out[1][2], out[2][2])


def test_cut_offs_are_exposed():
    quiet, busy = ux._core.min_parallel_work()
    assert 0 < quiet < busy
    assert isinstance(ux._core.machine_busy(), bool)
    assert ux._core.available_cpus() >= 1


def test_thread_requests_above_the_cpus_are_capped_with_a_warning():
    cpus = ux._core.available_cpus()
    code = ("import warnings, urbplex as ux\n"
            "print(ux.get_num_threads())\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    ux.set_num_threads(10**6)\n"
            "print(ux.get_num_threads(), len(w))\n"
            "g = ux.generators.square_lattice(64, 64)\n"
            "print(round(ux.percolation.bond(g, realizations=4).data['largest'][-1], 3))")
    full = dict(os.environ, OMP_NUM_THREADS="1000000", PYTHONWARNINGS="always")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(cpus), str(cpus), "1", "1.0"]
    assert f"OMP_NUM_THREADS=1000000: this process may use {cpus} CPUs" in out.stderr


def test_a_child_forked_after_a_parallel_call_runs():
    # libgomp's workers do not survive fork: before, the child waited for them forever.
    import multiprocessing as mp

    x = ux.scaling.sample(2.5, 1.0, 20000, seed=1)
    parent = ux.scaling.power_law(x).alpha  # a parallel region in this process
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_fit_in_child, args=(x, queue))
    child.start()
    child.join(60)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive, "the forked child hung"
    assert child.exitcode == 0 and queue.get(timeout=5) == parent  # serial in the child, the same result


def _fit_in_child(x, queue):
    queue.put(ux.scaling.power_law(x).alpha)


def test_a_new_process_under_load_does_not_start_optimistic():
    # Three CPU-bound competitors on this machine's CPUs: the first call of a fresh
    # process already sees the machine busy (mid-sized regions then run serially),
    # instead of after two samples 200 ms apart.
    cpus = os.cpu_count() or 1
    spin = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cpus + 1)]
    try:
        import time

        time.sleep(0.5)
        out = run_python("import urbplex as ux; print(ux._core.machine_busy())")
    finally:
        for p in spin:
            p.kill()
            p.wait()
    assert out == "True"
