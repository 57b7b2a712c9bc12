"""Commuting days with rush hours (issue 36 item 1): trips from OD flows with
a daily profile, and the peaks they make in traffic percolation."""
import numpy as np
import pandas as pd
import pytest

import urbplex as ux


def _city(side=16, block=400.0, seed=7):
    """A seeded monocentric city: a two-way grid of streets (50 km/h),
    residents spread wide, jobs in the centre, commuters by a doubly
    exponential gravity choice of workplace."""
    g = ux.generators.square_lattice(side)
    x, y = np.asarray(g.node("x")) * block, np.asarray(g.node("y")) * block
    s, t = np.asarray(g.edge_sources), np.asarray(g.edge_targets)
    links = pd.DataFrame({"from": np.concatenate([s, t]), "to": np.concatenate([t, s]), "length": block,
                          "free_speed": 13.9})
    rng = np.random.default_rng(seed)
    r = np.hypot(x - x.mean(), y - y.mean())
    residents = 2000 * np.exp(-r / 3000) * rng.uniform(0.5, 1.5, g.n)
    jobs = 8000 * np.exp(-r / 1200) * rng.uniform(0.5, 1.5, g.n)
    dist = np.hypot(x[:, None] - x[None], y[:, None] - y[None])
    w = jobs[None, :] * np.exp(-dist / 2500)
    np.fill_diagonal(w, 0)
    return ux.traffic.network(links), residents[:, None] * w / w.sum(axis=1, keepdims=True)


def test_the_default_profile_has_a_morning_and_an_evening_peak():
    p = ux.traffic.departure_profile(samples=200_000)
    assert p["to_work"].sum() == pytest.approx(1.0) and p["to_home"].sum() == pytest.approx(1.0)
    assert p["to_work"].idxmax() == 7 and p["to_home"].idxmax() == 16
    # no trip to work before 5 h or after 11 h; none home before 11 h
    assert p["to_work"][:5].sum() == 0 and p["to_work"][11:].sum() == 0 and p["to_home"][:11].sum() == 0


def test_commuters_go_to_work_and_come_back():
    flows = np.array([[0, 120, 30], [40, 0, 10], [0, 200, 0]], dtype=float)
    trips = ux.traffic.commuting_demand(flows, zones=["a", "b", "c"], platoon=5, seed=3)
    work = trips[trips["purpose"] == "work"].set_index("agent")
    home = trips[trips["purpose"] == "home"].set_index("agent").loc[work.index]
    assert (home["origin"] == work["destination"]).all() and (home["destination"] == work["origin"]).all()
    stay = (home["departure"] - work["departure"]) / 3600
    assert stay.between(6, 11).all()
    # 400 commuters in platoons of 5: 80 platoons (each pair's count here a multiple of 5)
    counts = work.groupby(["origin", "destination"]).size()
    assert counts.to_dict() == {("a", "b"): 24, ("a", "c"): 6, ("b", "a"): 8, ("b", "c"): 2, ("c", "b"): 40}
    # unbiased rounding: 7 commuters a -> b in platoons of 5 is 1.4 platoons on average
    many = [len(ux.traffic.commuting_demand(np.array([[0, 7.0], [0, 0]]), seed=k)) / 2 for k in range(2000)]
    assert np.mean(many) == pytest.approx(1.4, abs=0.04)


def test_inputs_a_flow_model_an_od_table_and_an_own_profile():
    loc = ux.mobility.Locations(np.array([0.0, 1000, 2000, 3000]), np.zeros(4), np.array([500.0, 800, 300, 900]))
    grav = ux.mobility.gravity(loc, constraint="origin")
    trips = ux.traffic.commuting_demand(grav, zones=[10, 11, 12, 13], platoon=1, seed=0)
    assert len(trips) / 2 == pytest.approx(grav.matrix.sum() - np.trace(grav.matrix), abs=5)
    table = pd.DataFrame({"origin": ["x", "y"], "destination": ["y", "x"], "commuters": [100, 50]})
    morning = np.zeros(24)
    morning[6] = 1.0  # everyone leaves between 6 and 7 h
    t = ux.traffic.commuting_demand(table, zones={"x": "n1", "y": "n2"}, to_work=morning, stay=(9.0, 0.0),
                                    platoon=1)
    out = t[t["purpose"] == "work"]["departure"] / 3600
    back = t[t["purpose"] == "home"]["departure"] / 3600
    assert out.between(6, 7).all() and back.between(15, 16).all() and len(t) == 300
    with pytest.raises(ValueError, match=r"row 1: commuters = -5"):
        ux.traffic.commuting_demand(table.assign(commuters=[100, -5]))
    with pytest.raises(ValueError, match=r"zone 'y' has no node"):
        ux.traffic.commuting_demand(table, zones={"x": "n1"})
    with pytest.raises(ValueError, match="24 hourly weights"):
        ux.traffic.commuting_demand(table, to_work=[1, 2, 3])


def test_activity_chains_stop_on_the_way_home():
    flows = np.full((6, 6), 50.0)
    np.fill_diagonal(flows, 0)
    trips = ux.traffic.commuting_demand(flows, platoon=1, other_share=0.3, seed=2)
    per_agent = trips.groupby("agent")["purpose"].agg(tuple)
    chains = per_agent.value_counts()
    assert set(chains.index) == {("work", "home"), ("work", "other", "home")}
    share = chains[("work", "other", "home")] / chains.sum()
    assert share == pytest.approx(0.3 * 4 / 5, abs=0.03)  # the other zone must differ from home and work
    chained = trips[trips["agent"].isin(per_agent.index[per_agent.map(len) == 3])].sort_values(["agent", "departure"])
    legs = chained["origin"].to_numpy().reshape(-1, 3), chained["destination"].to_numpy().reshape(-1, 3)
    assert (legs[1][:, 0] == legs[0][:, 1]).all() and (legs[1][:, 1] == legs[0][:, 2]).all()  # a chain
    assert (legs[1][:, 2] == legs[0][:, 0]).all()  # ends at home


def test_a_commuting_day_has_rush_hours_in_traffic_percolation():
    # Li et al. (PNAS 112, 669, 2015): the critical relative speed q_c drops
    # at the peaks. With the default profile, q_c and the links' mean
    # relative speed have their minima in the morning (6-10 h) and evening
    # (15-20 h) peaks, and the night and midday run freely.
    net, flows = _city()
    trips = ux.traffic.commuting_demand(flows, scale=0.5, seed=1)
    run = ux.traffic.simulate(net, trips, horizon=26 * 3600, record_interval=1800, seed=1)
    assert run.completed == 1.0
    tab = run.percolation()
    h = (tab["start"] + 900) / 3600
    for col in ("q_c", "mean_r"):
        v = tab[col].to_numpy()
        morning, evening = (h >= 6) & (h < 10), (h >= 15) & (h < 20)
        day = (h >= 4) & (h < 22)
        lowest_am, lowest_pm = v[morning].min(), v[evening].min()
        assert v[day].min() == min(lowest_am, lowest_pm)
        free = v[(h >= 11.5) & (h < 12.5)].max(), v[h < 4].min()
        assert min(free) > max(lowest_am, lowest_pm) + 0.05, (col, free, lowest_am, lowest_pm)


def test_od_demand_by_time_of_day():
    daily = np.array([[0, 3600.0], [1800.0, 0]])
    trips = ux.traffic.od_demand(daily, profile="to_work", platoon=1)
    hours = trips["departure"] // 3600
    shares = hours.value_counts(normalize=True).sort_index()
    expected = ux.traffic.departure_profile()["to_work"]
    assert len(trips) == pytest.approx(5400, abs=2)
    assert np.allclose(shares.reindex(range(24), fill_value=0), expected, atol=0.002)
    with pytest.raises(ValueError, match="give one of them"):
        ux.traffic.od_demand(daily, [0, 3600], profile="to_home")
    with pytest.raises(ValueError, match="slice bounds"):
        ux.traffic.od_demand(daily)


def test_duo_searches_follow_the_traffic_not_the_destinations():
    # 60 destinations on a 12 x 12 grid, each used by one platoon in its own
    # 20-minute slot of a 20 h day: with route updates every 10 min, a search
    # per destination and update would be 60 x 120 = 7200; only the
    # destinations with a platoon on the road (or about to leave) are searched,
    # a few per update, and each only as far as its platoons.
    g = ux.generators.square_lattice(12)
    s, t = np.asarray(g.edge_sources), np.asarray(g.edge_targets)
    links = pd.DataFrame({"from": np.concatenate([s, t]), "to": np.concatenate([t, s]), "length": 300.0})
    net = ux.traffic.network(links)
    rng = np.random.default_rng(0)
    dest = rng.choice(g.n, 60, replace=False)
    origin = (dest + 1 + rng.integers(0, g.n - 1, 60)) % g.n
    trips = pd.DataFrame({"origin": origin, "destination": dest, "departure": np.arange(60) * 1200.0})
    run = ux.traffic.simulate(net, trips, horizon=20 * 3600, route_interval=600, platoon=1)
    assert run.completed == 1.0
    searches, settled = run.route_searches
    assert 60 <= searches <= 3 * 60  # each destination in the one or two updates around its trip
    assert settled < searches * g.n  # and stopped before the whole city
    # the routes are the fixed free-flow ones' length: nobody else is on the road
    fixed = ux.traffic.simulate(net, trips, horizon=20 * 3600, route_choice="fixed", platoon=1)
    assert np.allclose(run.trips["travel_time"], fixed.trips["travel_time"])
