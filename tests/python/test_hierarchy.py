import numpy as np
import pytest

import urbplex as ux


def populated_lattice(L=8):
    g = ux.generators.square_lattice(L)
    return g.with_node_attr("population", np.arange(1, g.n + 1)).with_edge_attr("capacity", np.full(g.m, 100.0))


def test_grid_pyramid_levels_and_conservation():
    h = ux.Hierarchy.from_grid(populated_lattice(8), cell=2.0, levels=2)
    assert [h.level(k).n for k in range(3)] == [64, 16, 4]
    assert [h.level(k).m for k in range(3)] == [112, 24, 4]
    assert h.info(2) == {"method": "grid", "scale": 4.0}
    h.check()
    totals = [h.level(k).node("population").sum() for k in range(3)]
    assert totals == [64 * 65 / 2] * 3
    np.testing.assert_array_equal(h.level(2).edge("multiplicity"), [4, 4, 4, 4])
    np.testing.assert_array_equal(h.level(2).edge("capacity"), [400, 400, 400, 400])
    np.testing.assert_array_equal(h.level(2).node("members"), [16, 16, 16, 16])
    summary = h.summary()
    assert summary["nodes"].tolist() == [64, 16, 4]


def test_membership_lift_project():
    g = populated_lattice(4)
    labels = (np.arange(16) % 4 >= 2).astype(np.int64)  # left half 0, right half 1
    h = ux.Hierarchy.from_labels(g, labels)
    np.testing.assert_array_equal(h.membership(0, 1), labels)
    pop = np.asarray(g.node("population"))
    np.testing.assert_array_equal(h.lift(pop), [pop[labels == 0].sum(), pop[labels == 1].sum()])
    np.testing.assert_array_equal(h.lift(np.ones(16), how="mean"), [1.0, 1.0])
    np.testing.assert_array_equal(h.project([7.0, 9.0], from_level=1), np.where(labels == 0, 7.0, 9.0))
    with pytest.raises(ValueError, match="argument 'labels'"):
        h.add_level([0, 1, 2])
    with pytest.raises(ValueError, match="argument 'how'"):
        h.lift(pop, how="max")
    with pytest.raises(ValueError, match="argument 'k'"):
        h.level(7)


def test_grid_needs_coordinates():
    g = ux.Graph.from_arrays([0], [1])
    with pytest.raises(ValueError, match="attribute 'x' does not exist"):
        ux.Hierarchy.from_grid(g, cell=1.0)
    with pytest.raises(ValueError, match="argument 'cell'"):
        ux.Hierarchy.from_grid(populated_lattice(), cell=0.0)


def test_models_run_on_any_level():
    city = ux.generators.random_geometric(20000, mean_degree=7, seed=3, side=10.0)
    h = ux.Hierarchy.from_grid(city, cell=0.5, levels=3)
    for g in h.levels:
        comps = g.components()
        assert comps.sizes.sum() == g.n
        dist, _ = g.shortest_paths(0)
        assert dist[0] == 0.0
