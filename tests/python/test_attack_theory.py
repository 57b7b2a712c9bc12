"""Initial-degree attack theory (Cohen et al. 2001, degree-dependent occupation
of Callaway et al. 2000) against simulated attacks on 10^6-node configuration
models (issue 17): f_c and Schneider's R within 1%."""
import numpy as np
import pytest

import urbplex as ux
from urbplex.percolation import theory


def _degrees(kind, rng):
    if kind == "poisson":
        deg = rng.poisson(4.0, 10**6)
    else:  # p_k ~ k^-2.5 from k = 2, cut at 1000
        deg = np.minimum(np.round((1 - rng.random(10**6)) ** (-1 / 1.5) * 2).astype(int), 1000)
    deg[0] += deg.sum() % 2
    return deg


@pytest.mark.parametrize("kind", ["poisson", pytest.param("power law", marks=pytest.mark.slow)])
def test_attack_theory_matches_simulated_fc_and_robustness(kind):
    rng = np.random.default_rng(1)
    g = ux.generators.configuration_model(_degrees(kind, rng), seed=2)
    sim = ux.percolation.attack(g, "degree", seed=3)
    pk = theory.degree_distribution(g.degree())
    f, s = sim["removed_fraction"], sim["largest"]
    fc = theory.attack_threshold(pk)
    # The simulated f_c: S(f) is linear near the transition (mean field, beta = 1);
    # extrapolate its last stretch above the finite-size tail (S ~ N^-1/3 at f_c).
    near = (s > 0.03) & (s < 0.15) & (f < 1.2 * fc)
    slope, intercept = np.polyfit(f[near], s[near], 1)
    assert abs(-intercept / slope / fc - 1) < 0.01
    assert abs(sim.robustness / theory.robustness_attack(pk) - 1) < 0.01
    # Pointwise: S(f) within 0.005 before the transition.
    for x in (0.2 * fc, 0.5 * fc, 0.8 * fc):
        assert abs(s[int(round(x * g.n))] - theory.attack(pk, x)[0]) < 0.005
    # A wrong model, random removal, misses R by far more than the tolerance.
    assert theory.robustness_random(pk) / sim.robustness > 1.4


def test_attack_occupation_removes_the_top_of_the_degree_distribution():
    pk = np.array([0.0, 0.5, 0.3, 0.2])
    np.testing.assert_allclose(theory.attack_occupation(pk, 0.1), [1, 1, 1, 0.5])
    np.testing.assert_allclose(theory.attack_occupation(pk, 0.35), [1, 1, 0.5, 0])
    np.testing.assert_allclose(theory.attack_occupation(pk, 0.0), [1, 1, 1, 1])
    # Uniform occupation reduces to the site formula.
    p4 = theory.poisson(4.0)
    assert theory.giant_component_occupied(p4, np.full(p4.size, 0.6)) == pytest.approx(
        theory.giant_component(p4, 0.6)[0], abs=1e-12)
