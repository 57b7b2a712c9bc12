import hashlib

import numpy as np
import pytest

import urbplex as ux


def test_same_seed_same_graph_other_seed_other_graph():
    a = ux.generators.erdos_renyi(10000, mean_degree=4, seed=1)
    b = ux.generators.erdos_renyi(10000, mean_degree=4, seed=1)
    c = ux.generators.erdos_renyi(10000, mean_degree=4, seed=2)
    assert a == b and a != c


HASH_CODE = """
import hashlib, numpy as np, urbplex as ux
g = ux.generators.erdos_renyi(300000, mean_degree=5, seed=123)
r = ux.generators.random_geometric(100000, mean_degree=6, seed=123)
h = hashlib.sha256()
for arr in (g.edge_sources, g.edge_targets, r.edge_sources, r.edge_targets, r.edge("length")):
    h.update(np.ascontiguousarray(arr).tobytes())
print(h.hexdigest())
"""


def test_bit_identical_for_any_thread_count(run_python):
    out = {}
    for threads in ("1", "2"):
        res = run_python(HASH_CODE, {"OMP_NUM_THREADS": threads})
        assert res.returncode == 0, res.stderr
        out[threads] = res.stdout.strip()
    assert out["1"] == out["2"]


def test_lattices():
    sq = ux.generators.square_lattice(4, 3)
    assert (sq.n, sq.m) == (12, 4 * 2 + 3 * 3)
    np.testing.assert_array_equal(sq.node("x")[:5], [0, 1, 2, 3, 0])
    tri = ux.generators.triangular_lattice(5, periodic=True)
    assert set(tri.degree().tolist()) == {6}


def test_random_geometric_mean_degree():
    g = ux.generators.random_geometric(200000, mean_degree=6.0, seed=4)
    # Interior points have Poisson(6) neighbours; the boundary loses ~ 8r/3 of them.
    r = np.sqrt(6.0 / (np.pi * g.n))
    expected = 6.0 * (1 - 8 * r / (3 * np.pi) + r * r / (2 * np.pi))
    assert 2 * g.m / g.n == pytest.approx(expected, abs=0.03)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: ux.generators.erdos_renyi(10, p=1.5), ValueError, "argument 'p'"),
    (lambda: ux.generators.erdos_renyi(10, p=float("nan")), ValueError, "argument 'p'"),
    (lambda: ux.generators.erdos_renyi(10), ValueError, "exactly one"),
    (lambda: ux.generators.erdos_renyi(-1, p=0.1), ValueError, "argument 'n'"),
    (lambda: ux.generators.erdos_renyi(10, m=50), ValueError, "argument 'm'"),
    (lambda: ux.generators.erdos_renyi(10, p=0.1, seed=-3), ValueError, "argument 'seed'"),
    (lambda: ux.generators.configuration_model([1, 2]), ValueError, "even"),
    (lambda: ux.generators.configuration_model([1.5, 2]), TypeError, "argument 'degrees'"),
    (lambda: ux.generators.square_lattice(2, periodic=True), ValueError, "argument 'width'"),
    (lambda: ux.generators.random_geometric(10, radius=-1.0), ValueError, "argument 'radius'"),
    (lambda: ux.generators.barabasi_albert(5, 5), ValueError, "argument 'm'"),
])
def test_bad_parameters(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
