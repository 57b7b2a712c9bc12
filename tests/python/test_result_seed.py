"""Issue 35 item 20: bad input named at once, not by pybind11 at save time."""
import numpy as np
import pytest

import urbplex as ux


@pytest.mark.parametrize("seed", [-1, 2**64, 1.5, "3", True])
def test_run_result_seed_is_checked_when_made(seed):
    with pytest.raises(ValueError, match="argument 'seed': must be an integer in \\[0, 2\\*\\*64\\)"):
        ux.RunResult({"x": np.zeros(2)}, seed=seed)


def test_the_largest_seed_is_kept(tmp_path):
    r = ux.RunResult({"x": np.zeros(2)}, seed=2**64 - 1)
    r.save(tmp_path / "r.h5", "r")
    assert ux.io.load_run(tmp_path / "r.h5", "r").seed == 2**64 - 1


def test_from_networkx_names_what_it_got():
    with pytest.raises(TypeError, match="expected a networkx Graph.*got list"):
        ux.Graph.from_networkx([(0, 1)])


def test_import_urbplex_does_not_import_scipy_or_numba(run_python):
    """Issue 35.18: scipy.stats and friends load on first use (they were ~1 s of every import here)."""
    out = run_python("import sys, urbplex\n"
                     "print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'numba', 'matplotlib', 'networkx'}))"
                     ).stdout
    assert out.strip().splitlines()[-1] == "[]"
    out = run_python("import urbplex\nurbplex.scaling.fit(__import__('numpy').array([1e4, 2e4, 5e4, 1e5, 3e5]), "
                     "__import__('numpy').array([10., 22, 60, 130, 420]), model='ols')\nprint('fitted')")
    assert "fitted" in out.stdout, out.stderr
