"""Every public object pickles and deep-copies as its arrays (issue 18): the
test builds one of each class the API reference lists and checks the copy."""
import copy
import importlib.util
import inspect
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import urbplex as ux

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _public_classes():
    spec = importlib.util.spec_from_file_location("gen_api", DOCS / "gen_api.py")
    gen_api = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_api)
    found = {}  # exceptions and warnings excepted: they are raised, not kept
    for _, obj in gen_api.SECTIONS:
        if inspect.isclass(obj):
            found[obj.__name__] = obj
        elif inspect.ismodule(obj):
            for _, member in gen_api.members(obj):
                if inspect.isclass(member) and not issubclass(member, BaseException):
                    found[member.__name__] = member
    return found


@pytest.fixture(scope="module")
def instances(tmp_path_factory):
    rng = np.random.default_rng(1)
    g = ux.generators.random_geometric(400, mean_degree=6, seed=1).with_node_attr("population", rng.integers(1, 9, 400))
    g = g.with_edge_attr("highway", rng.choice(["primary", "residential"], g.m)).with_crs("EPSG:3857")
    h = ux.Hierarchy.from_grid(g, cell=0.2, levels=2)
    loc = ux.mobility.locations_of(h, level=1)
    sf, demand, _, _ = ux.datasets.sioux_falls()
    links = pd.DataFrame({"from": ["A", "B"], "to": ["B", "C"], "length": [1000.0, 1000.0]}, index=["up", "down"])
    net = ux.traffic.network(links)
    store = tmp_path_factory.mktemp("ens") / "e.h5"
    pings = pd.DataFrame({"uid": [1, 1, 1], "lat": [40.0, 40.001, 40.002], "lng": [116.0, 116.0, 116.0],
                          "datetime": pd.date_range("2008-01-01", periods=3, freq="10min")})
    N = np.round(10_000 * (1 - rng.random(60)) ** (-1 / 1.1))
    objects = {
        "Graph": g, "Components": g.components(), "Hierarchy": h,
        "RunResult": ux.RunResult({"a": np.arange(3)}, model="x", parameters={"k": 1}, seed=2),
        "Ensemble": ux.ensemble.run(lambda seed: ux.RunResult({"s": np.array([seed])}), [{"seed": 1}],
                                    store=store, prefix="e"),
        "PercolationResult": ux.percolation.site(g, realizations=2, seed=1),
        "AttackResult": ux.percolation.attack(g, "degree"),
        "ThresholdResult": ux.percolation.threshold(g.with_edge_attr("r", rng.random(g.m)), "r"),
        "DistanceResult": ux.percolation.distance(g),
        "MutualResult": ux.percolation.mutual_giant_component(g, g),
        "CascadeResult": ux.percolation.cascade(g, alpha=[0.2]),
        "KCoreResult": ux.percolation.k_core(g, 2, realizations=2, seed=1),
        "ExplosiveResult": ux.percolation.explosive(g, realizations=2, seed=1),
        "Crossing": ux.percolation.Crossing(0.59, 0.001, 0.69),
        "ContinuumResult": ux.percolation.continuum(100, realizations=2, seed=1),
        "Locations": loc,
        "FlowResult": ux.mobility.radiation(loc),
        "GravityFit": ux.mobility.fit_gravity(loc, rng.poisson(ux.mobility.gravity(loc).matrix * 20),
                                              constraint="origin"),
        "AgentsResult": ux.mobility.epr(loc, agents=5, steps=5, seed=1),
        "Trajectories": ux.mobility.trajectories(pings),
        "Multilayer": ux.multiscale.Multilayer({"a": g, "b": g}),
        "EntropyResult": ux.multiscale.entropy(ux.generators.square_lattice(6)),
        "CommunityResult": ux.multiscale.communities(g, seed=1),
        "AssignmentResult": ux.routing.assign(sf, demand, gap=1e-2),
        "TrafficNetwork": net,
        "TrafficRun": ux.traffic.simulate(net, ux.traffic.demand("A", "C", 0, 300, 0.5), horizon=900),
        "ScalingFit": ux.scaling.fit(N, 2 * N**1.1 * rng.lognormal(0, 0.2, N.size), model="lognormal"),
        "PowerLawResult": ux.scaling.power_law(ux.scaling.sample(2.5, 1.0, 300, seed=1)),
        "TieFormationResult": ux.scaling.tie_formation((100, 200), seed=1),
        "TripDistributionResult": ux.mobility.trip_distribution(law="Rad", model="UM", mass_origin=loc.mass,
                                                                distance=loc, out_trips=np.round(loc.mass), seed=1),
        "Model": ux.compare.Model(), "Measure": ux.compare.flows.MEASURES["CPC"],
        "FitValue": ux.compare.FitValue("attr", "bic"),
        "TripLawModel": ux.compare.TripLawModel("NGravExp"), "GravityModel": ux.compare.GravityModel(),
        "RadiationModel": ux.compare.RadiationModel(), "ScalingModel": ux.compare.ScalingModel("lognormal"),
        "AttackModel": ux.compare.AttackModel("degree"), "PowerLawModel": ux.compare.PowerLawModel(),
        "AlternativeModel": ux.compare.AlternativeModel("lognormal"), "AssignmentModel": ux.compare.AssignmentModel("bfw"),
        "ScalingData": ux.compare.ScalingData(N, 2 * N**1.1), "NetworkData": ux.compare.NetworkData(g),
        "PowerLawData": ux.compare.PowerLawData(ux.scaling.sample(2.5, 1.0, 300, seed=1)),
        "AssignmentData": ux.compare.AssignmentData(sf, demand),
    }
    flows = ux.compare.FlowData(np.rint(ux.mobility.radiation(loc).matrix), mass_origin=loc.mass, locations=loc)
    board = ux.compare.run(flows, [ux.compare.RadiationModel(), ux.compare.TripLawModel("Rad")])
    objects.update({"FlowData": flows, "Leaderboard": board, "Fitted": board.fitted["radiation"][0]})
    import urbplex.agents as ua
    people = ua.Agents({"cell": "int", "kind": ("category", ["a", "b"])}, n=3)
    grid = ua.Grid(4, 3)
    grid.place(people, [0, 1, 2], [0, 5, 7])
    grid.add_layer("heat")
    objects.update({"Agents": people, "Grid": grid, "Network": ua.Network(h, level=1),
                    "Places": ua.Places(np.column_stack([loc.x, loc.y]), k=2),
                    "Continuous": ua.Continuous(1.0, 1.0, radius=0.1),
                    "Stage": ua.Stage(_stay, order="random"),
                    "Model": ua.Model(people, grid, [ua.Stage(_stay, order="random")], params={"b": 0.5},
                                      model_reporters={"n": _count}, jit=False)})
    return {k: v for k, v in objects.items() if v is not None}


def _stay(i, a, out, space, rng, p):
    """A rule that changes nothing (agents of the pickling fixture)."""


def _count(model):
    return model.agents.n_alive


def _same(a, b):
    assert type(a) is type(b)
    if isinstance(a, ux.Graph):
        assert a == b and a.labels == b.labels and a.crs == b.crs
    elif isinstance(a, ux.Hierarchy):
        assert a.num_levels == b.num_levels and all(a.level(k) == b.level(k) for k in range(a.num_levels))
    elif isinstance(a, ux.RunResult):
        assert a.keys() == b.keys() and a.parameters == b.parameters and a.seed == b.seed
        for k in a.keys():
            np.testing.assert_array_equal(a[k], b[k])
        assert a.lineage == b.lineage
    elif hasattr(a, "__dataclass_fields__"):
        for f in a.__dataclass_fields__:
            x, y = getattr(a, f), getattr(b, f)
            if isinstance(x, np.ndarray):
                np.testing.assert_array_equal(x, y)
            elif isinstance(x, (ux.Graph, dict, str, int, float, type(None))):
                assert x == y, f
    elif isinstance(a, ux.multiscale.Multilayer):
        assert list(a.layers) == list(b.layers) and a.n == b.n
    elif isinstance(a, ux.mobility.Trajectories):
        pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    elif isinstance(a, ux.ensemble.Ensemble):
        assert len(a) == len(b) and np.array_equal(a[0]["s"], b[0]["s"])
    elif type(a).__module__.startswith("urbplex.agents"):
        import urbplex.agents as ua
        if isinstance(a, ua.Agents):
            pd.testing.assert_frame_equal(a.to_frame(dead=True), b.to_frame(dead=True))
        elif isinstance(a, ua.Model):
            _same(a.agents, b.agents)
            assert a.params == b.params and a.steps_done == b.steps_done and a._p == b._p
            b.step()  # the copy runs
        elif isinstance(a, ua.Stage):
            assert (a.name, a.order, a.writes, a.where) == (b.name, b.order, b.writes, b.where)
        elif hasattr(a, "indptr"):
            np.testing.assert_array_equal(a.indptr, b.indptr)
            np.testing.assert_array_equal(a.indices, b.indices)
            assert list(getattr(a, "layers", {})) == list(getattr(b, "layers", {}))
    elif isinstance(a, ux.compare.Leaderboard):
        pd.testing.assert_frame_equal(a.table, b.table)
        assert list(a.fitted) == list(b.fitted) and [m.name for m in a.measures] == [m.name for m in b.measures]


def test_the_fixture_covers_every_public_class(instances):
    missing = set(_public_classes()) - set(instances)
    assert not missing, f"add an instance of {sorted(missing)}"


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_every_public_object_round_trips(instances, how):
    for name, obj in instances.items():
        back = pickle.loads(pickle.dumps(obj)) if how == "pickle" else copy.deepcopy(obj)
        _same(obj, back)


def test_misaligned_arrays_reach_the_core_aligned():
    """Arrays unpickled from a byte stream (Dask) can be misaligned; UBSan caught
    the core reading them as uint32 at an odd address."""
    raw = np.zeros(4 * 6 + 1, dtype=np.uint8)
    src = np.frombuffer(raw.data, dtype=np.uint32, count=6, offset=1)
    assert not src.flags.aligned
    from urbplex._validate import float_array, index_array

    assert index_array("source", src).flags.aligned
    assert float_array("x", np.frombuffer(np.zeros(8 * 6 + 3, dtype=np.uint8).data, dtype=np.float64, count=6,
                                          offset=3)).flags.aligned
    g = ux.Graph.from_arrays(src, src, n=1)
    assert g.m == 6
