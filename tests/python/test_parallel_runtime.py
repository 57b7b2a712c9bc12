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
