"""Dynamic traffic (issue 16): kinematic-wave theory on a bottleneck, merge
shares, free flow, determinism, and bad input."""
import numpy as np
import pandas as pd
import pytest

import urbplex as ux


def _bottleneck():
    # Two 1 km links; the second has half the jam density, so its capacity is
    # u w kappa / (u + w) = 2/3 veh/s against 0.8 upstream (tau = 1 s).
    links = pd.DataFrame({"from": ["A", "B"], "to": ["B", "C"], "length": [1000.0, 1000.0],
                          "jam_density": [0.2, 0.1]}, index=["up", "down"])
    return ux.traffic.network(links), ux.traffic.demand("A", "C", 0, 1200, 0.75)


def test_bottleneck_follows_kinematic_wave_theory():
    net, trips = _bottleneck()
    mu = net.capacity()[1]
    assert mu == pytest.approx(2 / 3)
    run = ux.traffic.simulate(net, trips, horizon=3000, route_choice="fixed", record_cumulative=True)
    dt = run.dt
    t = np.arange(int(run.data["steps"][0])) * dt
    # Vehicles reach the bottleneck (node B) 50 s after entering (the step after
    # their departure); it passes at most mu: Newell's exit curve
    # D(t) = min over s <= t of A(s) + mu (t - s), then 50 s more to C.
    at_b = np.sort(trips["departure"].to_numpy()) + dt + 50.0
    arrivals = 5.0 * np.searchsorted(at_b, t, side="right")
    exit_b = np.minimum.accumulate(arrivals - mu * t) + mu * t
    theory = np.interp(t - 50.0, t, exit_b, left=0.0)
    out = run.cumulative("down")[1]
    assert np.max(np.abs(out - theory)) <= 5.0 + 1e-9  # exact to one platoon
    # A queue formed (the exit ran at capacity), and it discharged by the horizon.
    assert (out[int(1000 / dt)] - out[int(400 / dt)]) / 600 == pytest.approx(mu, abs=5 / 600)
    assert run.completed == 1.0
    # UXsim 1.15.1 on the same scenario (benchmarks/python/bench_traffic.py): 159 750 vehicle-seconds.
    assert run.total_travel_time == pytest.approx(159750.0, rel=1e-9)


def test_merge_shares_follow_priorities():
    # Two approaches of 0.6 veh/s each into one link of capacity 0.8: in the
    # queue the outflow splits 2:1 as the merge priorities (incremental node model).
    links = pd.DataFrame({"from": ["A", "B", "M"], "to": ["M", "M", "C"], "length": 1000.0,
                          "merge_priority": [2.0, 1.0, 1.0]}, index=["a", "b", "out"])
    net = ux.traffic.network(links)
    trips = pd.concat([ux.traffic.demand("A", "C", 0, 10800, 0.6), ux.traffic.demand("B", "C", 0, 10800, 0.6)],
                      ignore_index=True)
    run = ux.traffic.simulate(net, trips, horizon=14400, seed=3, record_cumulative=True)
    i, j = int(600 / run.dt), int(10200 / run.dt)
    qa = run.cumulative("a")[1][j] - run.cumulative("a")[1][i]
    qb = run.cumulative("b")[1][j] - run.cumulative("b")[1][i]
    assert (qa + qb) / 9600 == pytest.approx(net.capacity()[2], abs=0.01)
    assert qa / (qa + qb) == pytest.approx(2 / 3, abs=0.04)  # 1536 platoons: sd 0.012


def _grid(size, flow, horizon=3600.0):
    rows = []
    for i in range(size):
        for j in range(size):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < size and j + dj < size:
                    a, b = f"{i},{j}", f"{i + di},{j + dj}"
                    rows += [(f"{a}>{b}", a, b), (f"{b}>{a}", b, a)]
    links = pd.DataFrame(rows, columns=["id", "from", "to"]).set_index("id")
    links["length"] = 1000.0
    net = ux.traffic.network(links)
    ends = [f"0,{j}" for j in range(size)], [f"{size - 1},{j}" for j in range(size)]
    trips = pd.concat([ux.traffic.demand(o, d, 0, horizon / 2, flow) for o in ends[0] for d in ends[1]] +
                      [ux.traffic.demand(d, o, 0, horizon / 2, flow) for o in ends[0] for d in ends[1]],
                      ignore_index=True)
    return net, trips


def test_free_flow_trips_take_the_free_flow_time():
    # One platoon at a time (every 400 s, longer than any trip): nothing queues.
    net, trips = _grid(5, 0.01)
    trips = trips.drop_duplicates(["origin", "destination"]).reset_index(drop=True)
    trips["departure"] = 400.0 * np.arange(len(trips))
    run = ux.traffic.simulate(net, trips, horizon=400.0 * len(trips) + 1000)
    t = run.trips
    assert run.completed == 1.0
    np.testing.assert_allclose(t["travel_time"], t["free_flow_time"])  # 1 km links, 50 s = 10 steps each
    assert run.mean_delay == 0.0


def test_same_seed_same_result_whatever_the_thread_count():
    net, trips = _grid(6, 0.06)
    with ux.threads(1):
        one = ux.traffic.simulate(net, trips, horizon=3600, seed=5)
    with ux.threads(2):
        two = ux.traffic.simulate(net, trips, horizon=3600, seed=5)
    other = ux.traffic.simulate(net, trips, horizon=3600, seed=6)
    assert np.array_equal(one.data["arrived"], two.data["arrived"])
    assert np.array_equal(one.data["route_links"], two.data["route_links"])
    assert one.total_travel_time > 1.05 * run_free(one)  # congested enough for route choice to matter
    assert not np.array_equal(one.data["route_links"], other.data["route_links"])


def run_free(run):
    t = run.trips
    return float((t["free_flow_time"] * t["vehicles"]).sum())


def test_a_capacity_column_caps_the_link():
    # The bottleneck made by a 2/3 veh/s capacity on a normal link instead of half the jam density.
    net, trips = _bottleneck()
    links = pd.DataFrame({"from": ["A", "B"], "to": ["B", "C"], "length": [1000.0, 1000.0],
                          "capacity": [np.nan, 2 / 3]}, index=["up", "down"])
    capped = ux.traffic.network(links)
    assert capped.capacity_in[1] == capped.capacity_out[1] == pytest.approx(2 / 3) and np.isinf(capped.capacity_in[0])
    run = ux.traffic.simulate(capped, trips, horizon=3000, route_choice="fixed", record_cumulative=True)
    out = run.cumulative("down")[1]
    i, j = int(400 / run.dt), int(1000 / run.dt)
    assert (out[j] - out[i]) / 600 == pytest.approx(2 / 3, abs=5 / 600)


def test_link_series_and_mfd_conserve_vehicles():
    net, trips = _bottleneck()
    run = ux.traffic.simulate(net, trips, horizon=3000, record_interval=60)
    s = run.link_series()
    assert set(s["link"]) == {"up", "down"}
    inflow = s.groupby("link")["inflow"].sum() * 60 / 3600
    outflow = s.groupby("link")["outflow"].sum() * 60 / 3600
    assert inflow["up"] == outflow["up"] == inflow["down"] == outflow["down"] == 5 * len(trips)
    # Vehicle-seconds on links equal the total travel time minus the time queued at the
    # origin: a platoon ready at the end of step d that enters in step e waited e - d - 1 steps.
    mfd = run.mfd()
    on_links = float((mfd["accumulation"] * 60).sum())
    queued = float(((run.data["entered"] - np.floor(run.data["departure"] / run.dt) - 1) * run.dt * 5).sum())
    assert on_links + queued == pytest.approx(run.total_travel_time, rel=1e-9)


@pytest.mark.parametrize("column, value, message", [
    ("jam_density", 0.0, r"link 'down': jam_density = 0.0 must be finite and > 0"),
    ("free_speed", -5.0, r"link 'down': free_speed = -5.0 must be finite and > 0"),
    ("length", np.nan, r"link 'down': length = nan must be finite and > 0"),
    ("capacity_out", 0.0, r"link 'down': capacity_out = 0.0 must be finite and > 0"),
    ("capacity", 4.0, r"link 'down': capacity 4 veh/s is above what 1 lane\(s\) can pass \(0.8 veh/s.*lanes = 5"),
    ("lanes", 1.5, r"link 'down': lanes = 1.5 must be a whole number"),
    ("capacity", -1.0, r"link 'down': capacity = -1.0 must be finite and > 0"),
])
def test_bad_links_are_named(column, value, message):
    links = pd.DataFrame({"from": ["A", "B"], "to": ["B", "C"], "length": [1000.0, 1000.0]}, index=["up", "down"])
    links.loc["down", column] = value
    with pytest.raises(ValueError, match=message):
        ux.traffic.network(links)


def test_bad_trips_are_named():
    net, _ = _bottleneck()
    ok = pd.DataFrame({"origin": ["A"], "destination": ["C"], "departure": [0.0]}, index=["t1"])
    with pytest.raises(ValueError, match=r"trip 0: node 'Z' is not in the network"):
        ux.traffic.simulate(net, ok.assign(destination="Z"), horizon=100)
    with pytest.raises(ValueError, match=r"trip 't1' departs at 500.0 s, outside \[0, horizon = 100.0\)"):
        ux.traffic.simulate(net, ok.assign(departure=500.0), horizon=100)
    with pytest.raises(ValueError, match=r"trip 't1': destination 'A' cannot be reached from origin 'C'"):
        ux.traffic.simulate(net, ok.assign(origin="C", destination="A"), horizon=100)
    with pytest.raises(ValueError, match=r"trip 't1' has its origin as destination"):
        ux.traffic.simulate(net, ok.assign(destination="A"), horizon=100)
    with pytest.raises(ValueError, match="route_choice"):
        ux.traffic.simulate(net, ok, horizon=100, route_choice="logit")
    with pytest.raises(TypeError, match="TrafficNetwork"):
        ux.traffic.simulate(pd.DataFrame(), ok, horizon=100)


def test_a_run_survives_the_store(tmp_path):
    net, trips = _bottleneck()
    run = ux.traffic.simulate(net, trips, horizon=3000, record_interval=60)
    run.save(tmp_path / "day.h5", "day")
    back = ux.io.load_run(tmp_path / "day.h5", "day")
    assert isinstance(back, ux.traffic.TrafficRun)
    assert back.total_travel_time == run.total_travel_time
    pd.testing.assert_frame_equal(back.link_series(), run.link_series())
    assert list(back.trips["origin"].unique()) == ["A"]


def test_traffic_percolation_by_time_bin():
    # Li et al. 2015 hour by hour: while the grid is loaded, q_c falls below its
    # value in the empty network, and each bin's bottleneck is slower than q_c.
    net, trips = _grid(6, 0.15, horizon=3600)
    run = ux.traffic.simulate(net, trips, horizon=5400, record_interval=600, seed=2)
    perc = run.percolation().set_index("start")
    series = run.link_series().set_index(["start", "link"])
    free = dict(zip(net.link_ids, net.free_speed * 3.6))
    loaded, empty = perc.loc[1800.0], perc.loc[4800.0]
    assert empty["q_c"] == 1.0 and pd.isna(empty["bottleneck"]) and empty["mean_r"] == 1.0
    assert loaded["q_c"] < 0.9 and loaded["mean_r"] < 0.9
    r_bottleneck = series.loc[(1800.0, loaded["bottleneck"]), "speed"] / free[loaded["bottleneck"]]
    assert r_bottleneck < loaded["q_c"]


def test_a_day_of_epr_agents_on_the_streets():
    # EPR agents (Song et al. 2010) on the nodes of an 8 x 8 street grid: their
    # jumps in the first 24 h become trips, the day is loaded on the streets and
    # traffic percolation is read hour by hour.
    g = ux.generators.square_lattice(8)
    streets = ux.Graph.from_arrays(g.edge_sources, g.edge_targets, n=g.n, edge_attrs={"length": np.full(g.m, 400.0)})
    locations = ux.mobility.Locations(g.node("x") * 400.0, g.node("y") * 400.0, np.ones(g.n))
    agents = ux.mobility.epr(locations, agents=300, steps=200, seed=1, record=True)
    trips = ux.traffic.trips_from_agents(agents, start_hour=0, end_hour=24)
    loc, t = agents.data["location"], agents.data["time"]
    moves = (loc[:, 1:] != loc[:, :-1]) & (t[:, 1:] < 24)
    assert len(trips) == int(moves.sum()) > 1000
    assert trips["departure"].is_monotonic_increasing and trips["departure"].between(0, 24 * 3600).all()
    net = ux.traffic.network_from_graph(streets)
    assert net.links == 2 * g.m
    run = ux.traffic.simulate(net, trips, horizon=25 * 3600, platoon=1, record_interval=3600, seed=1)
    assert run.completed == 1.0
    hourly = run.percolation()
    assert len(hourly) == 25 and hourly["q_c"].between(0, 1).all()
    with pytest.raises(ValueError, match="record=True"):
        ux.traffic.trips_from_agents(ux.mobility.epr(locations, agents=10, steps=10, record=False))
    with pytest.raises(ValueError, match="no edge attribute 'speed'"):
        ux.traffic.network_from_graph(streets, length="speed")


def _two_routes():
    # Route 1 (300 s free) has a 0.4 veh/s bottleneck, route 2 (420 s free) none;
    # 0.8 veh/s want to go for an hour.
    links = pd.DataFrame({"from": ["O", "M1", "O", "M2"], "to": ["M1", "D", "M2", "D"],
                          "length": [3000.0, 3000.0, 4200.0, 4200.0],
                          "capacity_out": [0.4, np.inf, np.inf, np.inf]}, index=["r1a", "r1b", "r2a", "r2b"])
    return ux.traffic.network(links), ux.traffic.demand("O", "D", 0, 3600, flow=0.8, platoon=1)


def test_day_to_day_reaches_the_dynamic_user_equilibrium():
    # Dynamic user equilibrium (Wardrop in time): route 1 alone until its queue
    # delay reaches the 120 s difference (48 vehicles at 0.4 veh/s growth: 120 s),
    # then route 1 carries its capacity 0.4 and route 2 the rest, 0.4 veh/s, with
    # equal travel times. Share on route 2: 0.4 * 3480 / 2880 = 0.483.
    net, trips = _two_routes()
    run = ux.traffic.day_to_day(net, trips, horizon=7200, days=40, platoon=1, route_interval=60, seed=1)
    days = run.days
    assert len(days) == 40 and days["completed"].iloc[-1] == 1.0
    assert days["relative_gap"].iloc[0] > 1.0             # day 1: everyone on route 1, an hour-long queue
    assert days["relative_gap"].iloc[-10:].mean() < 0.06  # vehicle-level noise around the equilibrium
    assert days["switched"].iloc[:5].mean() > 3 * days["switched"].iloc[-10:].mean()
    on2 = np.array([r[0] == "r2a" for r in run.routes])
    assert on2.mean() == pytest.approx(0.483, abs=0.03)
    t = run.trips.assign(on2=on2)
    settled = t[t["departure"] >= 600].groupby("on2")["travel_time"].mean()
    assert settled[True] == pytest.approx(420.0, abs=5.0)
    assert abs(settled[False] - settled[True]) < 10.0    # equal times on both used routes
    with ux.threads(1):
        one = ux.traffic.day_to_day(net, trips, horizon=7200, days=8, platoon=1, route_interval=60, seed=1)
    with ux.threads(2):
        two = ux.traffic.day_to_day(net, trips, horizon=7200, days=8, platoon=1, route_interval=60, seed=1)
    assert np.array_equal(one.data["route_links"], two.data["route_links"])
    assert np.array_equal(one.data["day_relative_gap"], two.data["day_relative_gap"])
    # Without a choice there is nothing to gain: the gap of a single route is 0 every day.
    net, trips = _bottleneck()
    single = ux.traffic.day_to_day(net, trips, horizon=3000, days=3)
    assert (single.days["relative_gap"] == 0).all() and (single.days["switched"] == 0).all()


def test_fixed_routes_from_given_costs_and_given_routes():
    net, trips = _two_routes()
    # Route costs as a static assignment would give them (route 2 cheaper): everyone on route 2.
    cost = pd.Series({"r1a": 500.0, "r1b": 150.0, "r2a": 210.0, "r2b": 210.0})
    run = ux.traffic.simulate(net, trips, horizon=7200, platoon=1, route_choice="fixed", route_cost=cost)
    assert all(r == ["r2a", "r2b"] for r in run.routes)
    # The routes of a day-to-day run, given back, load the same day.
    d2d = ux.traffic.day_to_day(net, trips, horizon=7200, days=6, platoon=1, route_interval=60, seed=2)
    again = ux.traffic.simulate(net, trips.assign(route=d2d.routes), horizon=7200, platoon=1, route_choice="given")
    assert np.array_equal(again.data["arrived"], d2d.data["arrived"])
    with pytest.raises(ValueError, match="route_cost': no cost for link 'r2b'"):
        ux.traffic.simulate(net, trips, horizon=7200, route_choice="fixed", route_cost=cost.drop("r2b"))
    with pytest.raises(ValueError, match=r"link 'r1a': cost -1.0 must be finite and > 0"):
        ux.traffic.simulate(net, trips, horizon=7200, route_choice="fixed", route_cost=cost.replace(500.0, -1.0))
    bad = trips.head(2).assign(route=[["r1a", "r2b"], ["r1a", "r1b"]])
    with pytest.raises(ValueError, match=r"trip 0: link 'r2b' of its route does not start where the route is"):
        ux.traffic.simulate(net, bad, horizon=7200, route_choice="given")
    with pytest.raises(ValueError, match=r"trip 1: its route does not end at its destination"):
        ux.traffic.simulate(net, bad.assign(route=[["r1a", "r1b"], ["r1a"]]), horizon=7200, route_choice="given")
    with pytest.raises(ValueError, match="needs a 'route' column"):
        ux.traffic.simulate(net, trips, horizon=7200, route_choice="given")


def test_link_series_are_stored_compressed(tmp_path):
    h5py = pytest.importorskip("h5py")
    net, trips = _grid(6, 0.06)
    run = ux.traffic.simulate(net, trips, horizon=4 * 3600, record_interval=60, seed=1)
    run.save(tmp_path / "day.h5", "day")
    with h5py.File(tmp_path / "day.h5", "r") as f:
        d = f["runs/day/vehicle_seconds"]
        assert d.shape == (net.links, 240) and d.compression == "gzip" and d.shuffle and d.fletcher32
        assert d.id.get_storage_size() < d.size * 8 / 3   # mostly empty hours: well compressed
        assert f["runs/day/arrived"].compression is None
    back = ux.io.load_run(tmp_path / "day.h5", "day")
    assert np.array_equal(back.data["vehicle_seconds"], run.data["vehicle_seconds"])


def test_agents_on_neighbourhoods_get_street_doors():
    # 12 x 12 streets (200 m blocks) in 3 x 3 neighbourhoods (Hierarchy level 1),
    # plus one street node off the network; populations zero on the west edge.
    g = ux.generators.square_lattice(12)
    x, y = g.node("x") * 200.0, g.node("y") * 200.0
    pop = np.where(g.node("x") == 0, 0.0, 100.0)
    streets = ux.Graph.from_arrays(g.edge_sources, g.edge_targets, n=g.n + 1,
                                   node_attrs={"x": np.append(x, 100.0), "y": np.append(y, 100.0),
                                               "population": np.append(pop, 1e6)},
                                   edge_attrs={"length": np.full(g.m, 200.0)})
    h = ux.Hierarchy.from_grid(streets, cell=800.0, levels=2)
    hoods = ux.mobility.locations_of(h, level=1)
    agents = ux.mobility.epr(hoods, agents=200, steps=40, seed=4, record=True)
    trips = ux.traffic.trips_from_agents(agents, hierarchy=h, level=1, seed=1)
    owner = h.membership(0, 1)
    loc, t = agents.data["location"], agents.data["time"]
    moves = (loc[:, 1:] != loc[:, :-1]) & (t[:, 1:] < 24)
    assert len(trips) == int(moves.sum()) > 500
    # Each trip runs between street nodes of the agent's two neighbourhoods ...
    o, d = trips["origin"].to_numpy(), trips["destination"].to_numpy()
    assert (owner[o] != owner[d]).all()
    # ... never at an unpopulated node nor off the network (node 144) ...
    assert (pop[np.concatenate([o, d])] > 0).all()
    # ... and an agent comes back to the same door of a neighbourhood.
    ends = pd.DataFrame({"agent": np.concatenate([trips["agent"], trips["agent"]]), "node": np.concatenate([o, d])})
    ends["hood"] = owner[ends["node"]]
    assert (ends.groupby(["agent", "hood"])["node"].nunique() == 1).all()
    assert ends["node"].nunique() > 3 * 9  # different agents, different doors
    # Centroid doors: one street node per neighbourhood, the trips loadable as they are.
    central = ux.traffic.trips_from_agents(agents, hierarchy=h, level=1, door="centroid")
    assert pd.concat([central["origin"], central["destination"]]).nunique() <= 9
    net = ux.traffic.network_from_graph(streets)
    run = ux.traffic.simulate(net, central, horizon=25 * 3600, platoon=1, route_choice="fixed", record_interval=3600)
    assert run.completed == 1.0
    with pytest.raises(ValueError, match="argument 'level'"):
        ux.traffic.trips_from_agents(agents, hierarchy=h)
    with pytest.raises(ValueError, match="door"):
        ux.traffic.trips_from_agents(agents, hierarchy=h, level=1, door="random")
    # A neighbourhood whose streets are cut off: its trips are named, or left out on request.
    h2 = ux.Hierarchy.from_labels(streets, np.where(np.arange(streets.n) == 144, 9, owner))
    cut = ux.mobility.epr(ux.mobility.Locations(np.append(hoods.x, 100.0), np.append(hoods.y, 100.0),
                                                np.append(hoods.mass, 1e6)), agents=50, steps=40, seed=4, record=True)
    with pytest.raises(ValueError, match=r"location 9 of level 1 has no street node on the streets. largest strongly connected"):
        ux.traffic.trips_from_agents(cut, hierarchy=h2, level=1)
    with pytest.warns(UserWarning, match="left out"):
        kept = ux.traffic.trips_from_agents(cut, hierarchy=h2, level=1, unreachable="drop")
    assert len(kept) > 0 and not (kept[["origin", "destination"]] == 144).any().any()


def test_od_matrices_become_platoons():
    from scipy import sparse

    # Two hourly slices; zone 0 -> 2 carries 900 then 450 vehicles, 1 -> 0 carries 300 in the first hour.
    am = np.array([[0, 0, 900.0], [300.0, 0, 0], [0, 0, 7.0]])
    pm = sparse.csr_matrix(([450.0], ([0], [2])), shape=(3, 3))
    trips = ux.traffic.od_demand([am, pm], [0, 3600, 7200], zones=["A", "B", "C"])
    counts = trips.groupby(["origin", "destination", trips["departure"] >= 3600]).size() * 5
    assert counts[("A", "C", False)] == 900 and counts[("A", "C", True)] == 450 and counts[("B", "A", False)] == 300
    assert not ((trips["origin"] == "C") & (trips["destination"] == "C")).any()   # the diagonal stays home
    assert trips["departure"].is_monotonic_increasing
    # A single slice equals demand()'s constant flow (UXsim's rule).
    one = ux.traffic.od_demand(np.array([[0, 0.75 * 1200], [0, 0]]), [0, 1200], zones=["A", "C"])
    pd.testing.assert_frame_equal(one, ux.traffic.demand("A", "C", 0, 1200, 0.75))
    with pytest.raises(ValueError, match=r"2 matrices need 3 slice bounds"):
        ux.traffic.od_demand([am, pm], [0, 3600])
    with pytest.raises(ValueError, match=r"matrix 0, entry \(0, 2\) = -1.0"):
        ux.traffic.od_demand([np.where(am == 900, -1.0, am)], [0, 3600])
