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
