"""Routing: TNTP readers, user-equilibrium assignment on Sioux Falls, the congestion pipeline."""
import numpy as np
import pytest

import urbplex as ux
from urbplex.routing import tntp


@pytest.fixture(scope="module")
def sioux():
    return ux.datasets.sioux_falls()


def test_sioux_falls_files(sioux):
    g, demand, meta, best = sioux
    assert (g.n, g.m, meta["zones"], meta["first_thru_node"]) == (24, 76, 24, 0)
    assert demand.sum() == 360600 and demand[0, 1] == 100
    assert len(best) == 76 and g.directed


@pytest.mark.parametrize("method", ["bfw", "cfw", "fw"])
def test_sioux_falls_equilibrium_matches_the_best_known(sioux, method):
    g, demand, meta, best = sioux
    res = ux.routing.assign(g, demand, method=method, gap=1e-4, max_iterations=5000)
    assert res.converged and res.gaps[-1] <= 1e-4
    best_tstt = (best["flow"] * best["cost"]).sum()
    assert abs(res.tstt - best_tstt) / best_tstt < 1e-3
    f = res.to_frame().merge(best, on=["source", "target"], suffixes=("", "_best"))
    assert np.max(np.abs(f["flow"] - f["flow_best"]) / f["flow_best"]) < 0.01
    # demand is conserved: flow out of each origin zone minus flow in equals its net production
    out = np.bincount(res.data["source"], weights=res.data["flow"], minlength=24)
    inn = np.bincount(res.data["target"], weights=res.data["flow"], minlength=24)
    np.testing.assert_allclose(out - inn, demand.sum(axis=1) - demand.sum(axis=0), atol=1e-6)


def test_msa_gap_falls_and_bfw_beats_fw(sioux):
    g, demand, _, _ = sioux
    msa = ux.routing.assign(g, demand, method="msa", gap=0, max_iterations=200)
    assert msa.gaps[-1] < 0.01 and msa.gaps[-1] < msa.gaps[5]
    fw = ux.routing.assign(g, demand, method="fw", gap=1e-4, max_iterations=5000)
    bfw = ux.routing.assign(g, demand, method="bfw", gap=1e-4)
    assert bfw.gaps.size < fw.gaps.size / 3


def test_two_route_equilibrium_is_exact():
    # t_A = 10 (1 + x/100), t_B = 20 (1 + x/200): 300 trips split 200 / 100, both at 30.
    g = ux.Graph.from_arrays([0, 0], [1, 1], n=2, directed=True,
                             edge_attrs={"capacity": [100.0, 200.0], "free_flow_time": [10.0, 20.0]})
    res = ux.routing.assign(g, np.array([[0, 300.0], [0, 0]]), method="fw", gap=1e-12, max_iterations=100,
                            alpha=1.0, beta=1.0)
    np.testing.assert_allclose(res.data["flow"], [200, 100], rtol=1e-8)
    np.testing.assert_allclose(res.data["congested_time"], [30, 30], rtol=1e-8)


def test_assignment_bad_input(tmp_path, sioux):
    g, demand, _, _ = sioux
    cut = ux.Graph.from_arrays(g.edge_sources, g.edge_targets, n=g.n, directed=True,
                               edge_attrs={k: g.edge(k) for k in g.edge_attr_names})
    bad = cut.with_edge_attr("capacity", np.where(np.arange(76) == 5, 0.0, g.edge("capacity")))
    with pytest.raises(ValueError, match="capacity"):
        ux.routing.assign(bad, demand)
    island = ux.Graph.from_arrays([0, 1], [1, 0], n=3, directed=True,
                                  edge_attrs={"capacity": [1.0, 1.0], "free_flow_time": [1.0, 1.0]})
    with pytest.raises(ValueError, match="cannot be routed: no path"):
        ux.routing.assign(island, np.array([[0, 1, 5.0], [0, 0, 0], [0, 0, 0]]))
    with pytest.raises(ValueError, match="a 4 x 4 matrix for a graph of 3 nodes"):
        ux.routing.assign(island, np.ones((4, 4)))
    with pytest.raises(ValueError, match="directed"):
        ux.routing.assign(ux.generators.square_lattice(3), np.ones((9, 9)))
    with pytest.raises(ValueError, match="method"):
        ux.routing.assign(g, demand, method="newton")
    net = tmp_path / "bad_net.tntp"
    net.write_text("<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 2\n<FIRST THRU NODE> 1\n<NUMBER OF LINKS> 2\n"
                   "<END OF METADATA>\n~ a b\n1 2 10 1 1 0.15 4 0 0 1 ;\n2 1 -5 1 1 0.15 4 0 0 1 ;\n")
    with pytest.raises(ValueError, match=r"line 8: capacity must be > 0"):
        tntp.read_net(net)
    net.write_text("<NUMBER OF NODES> 2\n<NUMBER OF ZONES> 2\n<END OF METADATA>\n1 2 10 x 1 0.15 4 0 0 1 ;\n")
    with pytest.raises(ValueError, match="line 4: non-numeric"):
        tntp.read_net(net)
    trips = tmp_path / "t.tntp"
    trips.write_text("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 : 5.0; 3 : 1.0;\n")
    with pytest.raises(ValueError, match="line 4: destination 3 is not a zone"):
        tntp.read_trips(trips)
    trips.write_text("<NUMBER OF ZONES> 2\n<END OF METADATA>\nOrigin 1\n 2 = 5.0;\n")
    with pytest.raises(ValueError, match="line 4: malformed entry"):
        tntp.read_trips(trips)
    with pytest.raises(OSError, match="does not exist"):
        tntp.read_net(tmp_path / "missing.tntp")


def test_agents_to_congestion_to_traffic_percolation(run_python):
    L = 12
    streets = ux.generators.square_lattice(L, L)
    streets = (streets.with_node_attr("population", np.ones(L * L))
               .with_edge_attr("capacity", np.full(streets.m, 40.0))
               .with_edge_attr("free_flow_time", np.ones(streets.m)))
    agents = ux.mobility.epr(streets, agents=400, steps=20, seed=3)
    demand = ux.routing.trips_from_agents(agents)
    assert demand.sum() > 0
    res, perc, congested = ux.routing.congestion_percolation(streets, demand, gap=1e-4)
    assert res.converged and congested.m == 2 * streets.m
    ratio = congested.edge("speed_ratio")
    assert ratio.min() < 0.9 and ratio.max() <= 1.0  # some streets are congested
    assert 0 < perc.q_c <= ratio.max() and perc.bottlenecks.size >= 1
    code = ("import urbplex as ux; g, d, m, b = ux.datasets.sioux_falls(); "
            "r = ux.routing.assign(g, d, gap=1e-6); print(r.data['flow'].sum().hex(), r.gaps.size)")
    outs = {t: run_python(code, {"OMP_NUM_THREADS": t}).stdout for t in ("1", "2")}
    assert outs["1"] and outs["1"] == outs["2"]
