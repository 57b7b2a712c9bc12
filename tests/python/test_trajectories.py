"""Raw trajectories in: reading uid/lat/lng/datetime frames, the speed filter,
stop detection (Hariharan & Toyama 2004, scikit-mobility's stay_locations
semantics), compression, measures by user id, and the silent cases of the
mobility measures."""
import numpy as np
import pandas as pd
import pytest

import urbplex as ux
from urbplex.mobility import measures

R = 6371.0088


def _km(lat1, lng1, lat2, lng2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lng2 - lng1) / 2) ** 2
    return 2 * R * np.arctan2(np.sqrt(a), np.sqrt(1 - a))


def reference_stops(lat, lng, t, minutes, radius):
    """The Lachesis rule written out plainly, one user: (median lat, median lng, start, leave)."""
    out, anchor, buf = [], 0, [0]
    for i in range(1, lat.size):
        last = i == lat.size - 1
        dt = (t[i] - t[anchor]) / 60
        if _km(lat[anchor], lng[anchor], lat[i], lng[i]) > radius or last:
            if buf and dt > minutes:
                out.append((np.median(lat[buf]), np.median(lng[buf]), t[anchor], t[i]))
            anchor, buf = i, []
        buf.append(i)
    return out


@pytest.fixture
def geolife(shared_data):
    return pd.read_csv(shared_data("mobility", "geolife_sample", "geolife_sample.txt.gz"))


def test_geolife_stops_equal_the_reference_rule(geolife):
    tr = ux.mobility.trajectories(geolife)
    assert tr.n == 217_653 and list(tr.uids) == [1, 5]
    stops = tr.stops(minutes=20, radius_km=0.2)
    got = stops.to_frame()
    for u in tr.uids:
        a, b = (int(v) for v in tr.user_start[list(tr.uids).index(u):][:2])
        ref = reference_stops(tr.lat[a:b], tr.lng[a:b], tr.time[a:b], 20, 0.2)
        mine = got[got["uid"] == u]
        assert len(mine) == len(ref) > 10
        ref = np.array(ref)
        np.testing.assert_allclose(mine["lat"], ref[:, 0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(mine["lng"], ref[:, 1], rtol=0, atol=1e-12)
        np.testing.assert_allclose(mine["datetime"].astype("int64") / 1e9, ref[:, 2], atol=1e-6)
        np.testing.assert_allclose(mine["leaving_datetime"].astype("int64") / 1e9, ref[:, 3], atol=1e-6)
    # scikit-mobility 1.3.1 on this file with these parameters: 413 stops (benchmarks/python/bench_trajectories.py
    # matches all of them within 1 m and 1 s), 217 599 points after its 500 km/h filter, 6 283 after compression.
    assert stops.n == 413
    assert tr.filter(500).n == 217_599 and tr.compress(0.2).n == 6_283


def test_measures_by_user_id(geolife):
    st = ux.mobility.trajectories(geolife).filter(500).stops()
    rg = st.radius_of_gyration()
    assert list(rg.index) == [1, 5] and rg.index.name == "uid"
    locs, traj = st._agent_time_location()
    np.testing.assert_allclose(rg.to_numpy(), measures.radius_of_gyration(traj, locs), rtol=1e-12)
    assert (st.k_radius_of_gyration() <= rg + 1e-9).all()
    assert (st.number_of_locations() == st.to_frame().groupby("uid").apply(
        lambda f: len(set(zip(f.lat, f.lng))), include_groups=False)).all()
    assert np.allclose(st.random_entropy(), np.log2(st.number_of_locations()))
    waits = st.waiting_times()
    assert all((w > 0).all() for w in waits)  # seconds between stop starts
    home = st.home_location()
    assert home.notna().all().all() and (st.max_distance_from_home() > 0).all()


def test_times_keep_their_zone():
    t = pd.date_range("2024-03-30 22:00", periods=6, freq="30min", tz="Europe/Rome")
    df = pd.DataFrame({"uid": ["a"] * 6, "lat": [45.0] * 6, "lng": np.linspace(9, 9.01, 6), "datetime": t})
    tr = ux.mobility.trajectories(df)
    assert (tr.to_frame()["datetime"] == t).all()
    np.testing.assert_allclose(tr.waiting_times()["a"], 1800.0)
    naive = ux.mobility.trajectories(df.assign(datetime=t.tz_localize(None)))
    assert naive.tz is None and (naive.to_frame()["datetime"] == t.tz_localize(None)).all()


def test_records_are_sorted_and_bad_rows_named():
    df = pd.DataFrame({"uid": [2, 1, 2, 1], "lat": [1.0, 2.0, 3.0, 4.0], "lng": [0.0] * 4,
                       "datetime": ["2024-01-01 10:00", "2024-01-01 09:00", "2024-01-01 08:00", "2024-01-01 11:00"],
                       "mode": ["a", "b", "c", "d"]})
    tr = ux.mobility.trajectories(df)
    fr = tr.to_frame()
    assert list(fr["uid"]) == [1, 1, 2, 2] and list(fr["lat"]) == [2.0, 4.0, 3.0, 1.0]
    assert list(fr["mode"]) == ["b", "d", "c", "a"]
    with pytest.raises(ValueError, match="column 'lat', row 7: 95.0"):
        ux.mobility.trajectories(df.set_axis([4, 5, 6, 7]).assign(lat=[1.0, 2.0, 3.0, 95.0]))
    with pytest.raises(ValueError, match="column 'datetime', row 2: 'yesterday'"):
        ux.mobility.trajectories(df.assign(datetime=["2024-01-01 10:00", "2024-01-01 09:00", "yesterday",
                                                     "2024-01-01 11:00"]))
    with pytest.raises(ValueError, match="no user id column 'user'"):
        ux.mobility.trajectories(df, uid="user")
    with pytest.raises(ValueError, match="ux.mobility.trajectories"):
        measures.waiting_times(df)  # raw records given to a measure: the error says what to do


def _walkers(seed, users=200, steps=300):
    rng = np.random.default_rng(seed)
    n_loc = 50
    locs = ux.mobility.Locations(rng.uniform(0, 10, n_loc), rng.uniform(0, 10, n_loc), np.ones(n_loc))
    agent = np.repeat(np.arange(users), steps)
    time = np.tile(np.arange(steps, dtype=float), users)
    location = rng.integers(0, 6, agent.size) + rng.integers(0, n_loc - 6, users).repeat(steps)
    return locs, (agent, time, location)


def test_k_radius_does_not_depend_on_location_numbering():
    locs, (agent, time, location) = _walkers(3, steps=4)  # few records: many ties in visit counts
    kr = measures.radius_of_gyration((agent, time, location), locs, k=2)
    split = measures.returners_explorers((agent, time, location), locs)
    for seed in range(5):
        perm = np.random.default_rng(seed).permutation(locs.n)  # new label of old location i: perm[i]
        inv = np.argsort(perm)
        relabeled = ux.mobility.Locations(locs.x[inv], locs.y[inv], locs.mass[inv])
        traj = (agent, time, perm[location])
        np.testing.assert_allclose(measures.radius_of_gyration(traj, relabeled, k=2), kr, rtol=1e-12)
        assert (measures.returners_explorers(traj, relabeled) == split).all()


def test_k_radius_ties_go_to_the_first_visit():
    locs = ux.mobility.Locations(np.array([0.0, 10.0, 0.0]), np.array([0.0, 0.0, 1.0]), np.ones(3))
    # place 1 then 0 then 2, each once: the two most visited are 1 and 0 (visited first), not 0 and 2.
    traj = (np.zeros(3, int), np.arange(3.0), np.array([1, 0, 2]))
    assert measures.radius_of_gyration(traj, locs, k=2)[0] == pytest.approx(5.0)


def test_silent_cases_now_raise():
    locs, (agent, time, location) = _walkers(1, users=3, steps=5)
    bad = location.copy()
    bad[4] = -1
    with pytest.raises(ValueError, match="record 4 has location -1"):
        measures.radius_of_gyration((agent, time, bad), locs)
    bad[4] = locs.n
    with pytest.raises(ValueError, match=f"record 4 visits location {locs.n}, but there are {locs.n}"):
        measures.jump_lengths((agent, time, bad), locs)
    t = time.copy()
    t[2] = np.nan
    with pytest.raises(ValueError, match="record 2 has time nan"):
        measures.waiting_times((agent, t, location))
    dt = np.datetime64("2024-01-01T00:00") + (time * 60).astype("timedelta64[s]")
    np.testing.assert_allclose(measures.waiting_times((agent, dt, location)), 60.0)  # seconds, not microseconds
    obs = np.ones((3, 3))
    obs[0, 1] = -2
    with pytest.raises(ValueError, match="flow 0 -> 1 is -2"):
        ux.mobility.cpc(obs, np.ones((3, 3)))


def test_unfitted_gravity_parameters_are_nan():
    rng = np.random.default_rng(2)
    locs = ux.mobility.Locations(rng.uniform(0, 10, 12), rng.uniform(0, 10, 12), rng.uniform(1, 100, 12))
    obs = ux.mobility.gravity(locs, constraint="unconstrained", gamma=1.5).matrix
    table = ux.mobility.compare(locs, obs, models=("gravity-origin", "gravity-doubly"))
    origin = table.set_index("model").loc["gravity-origin"]
    assert np.isnan(origin["alpha"]) and np.isnan(origin["log_k"]) and np.isfinite(origin["gamma"])
    doubly = table.set_index("model").loc["gravity-doubly"]
    assert np.isnan(doubly["beta"]) and doubly["gamma"] == pytest.approx(1.5, rel=0.05)


def test_preprocessing_is_thread_count_invariant():
    rng = np.random.default_rng(7)
    users, per = 40, 2000
    phase = (np.arange(per) // 50) % 2
    lat = 39.9 + np.cumsum(rng.standard_normal((users, per)) * 1e-3 * phase, axis=1)
    lng = 116.4 + np.cumsum(rng.standard_normal((users, per)) * 1e-3 * phase, axis=1)
    t = np.cumsum(rng.exponential(30.0, (users, per)), axis=1)
    df = pd.DataFrame({"uid": np.repeat(np.arange(users), per), "lat": lat.ravel(), "lng": lng.ravel(),
                       "datetime": pd.to_datetime(1.2e9 + t.ravel(), unit="s")})
    tr = ux.mobility.trajectories(df)
    results = []
    for threads in (1, 2):
        with ux.threads(threads):
            s = tr.filter(100).stops(minutes=10, radius_km=0.1)
            results.append((s.lat, s.time, s.leave, tr.compress(0.1).lat))
    assert results[0][0].size > 100
    for a, b in zip(*results):
        assert np.array_equal(a, b)


def _naive_lz(seq):
    """Song et al.'s estimator written out with plain substring search (cubic)."""
    n, total = len(seq), 3.0
    text = tuple(seq)

    def occurs(prefix, part):
        return any(prefix[k:k + len(part)] == part for k in range(len(prefix) - len(part) + 1))

    for i in range(1, n - 1):
        j = i + 1
        while j < n and occurs(text[:i], text[i:j]):
            j += 1
        total += (j + 1 if j == n else j) - i
    return n * np.log2(n) / total


def test_real_entropy_is_the_lempel_ziv_estimate():
    from urbplex.mobility.trajectories import _lz_entropy

    rng = np.random.default_rng(0)
    for _ in range(150):
        seq = list(rng.integers(0, rng.integers(1, 6), rng.integers(2, 50)))
        assert _lz_entropy(seq) == pytest.approx(_naive_lz(seq), rel=1e-12)
    # A periodic sequence is predictable: its rate falls towards 0; a random one stays near log2(k).
    assert _lz_entropy([0, 1, 2, 3] * 500) < 0.3
    assert _lz_entropy(list(rng.integers(0, 8, 4000))) == pytest.approx(3.0, abs=0.6)


def _places_frame():
    # user a: P, Q, P, R, Q, P (P 3 visits, Q 2, R 1); user b: S, T (tie: S visited first)
    lat = [1.0, 2.0, 1.0, 3.0, 2.0, 1.0, 5.0, 6.0]
    return pd.DataFrame({"uid": ["a"] * 6 + ["b"] * 2, "lat": lat, "lng": [0.0] * 8,
                         "datetime": pd.date_range("2024-01-01", periods=8, freq="1h")})


def test_ranks_networks_and_visits():
    tr = ux.mobility.trajectories(_places_frame())
    fr = tr.frequency_rank()
    assert list(fr[fr.uid == "a"]["lat"]) == [1.0, 2.0, 3.0] and list(fr[fr.uid == "a"]["visits"]) == [3, 2, 1]
    assert list(fr[fr.uid == "b"]["lat"]) == [5.0, 6.0]  # tie: the first visited ranks first
    rr = tr.recency_rank()
    assert list(rr[rr.uid == "a"]["lat"]) == [1.0, 2.0, 3.0] and list(rr[rr.uid == "b"]["lat"]) == [6.0, 5.0]
    net = tr.mobility_network()
    trips = {(r.lat_origin, r.lat_dest): r.trips for r in net[net.uid == "a"].itertuples()}
    assert trips == {(1.0, 2.0): 1, (2.0, 1.0): 2, (1.0, 3.0): 1, (3.0, 2.0): 1}
    v = tr.visits_per_location().set_index("lat")
    assert v.loc[1.0, "visits"] == 3 and v.loc[1.0, "visitors"] == 1 and len(v) == 5


def test_stop_clustering_is_single_linkage():
    rng = np.random.default_rng(5)
    centres = rng.uniform([39.8, 116.2], [40.0, 116.5], (6, 2))
    pts = centres[rng.integers(0, 6, 300)] + rng.normal(0, 2e-4, (300, 2))  # ~20 m around 6 places
    df = pd.DataFrame({"uid": np.repeat([1, 2], 150), "lat": pts[:, 0], "lng": pts[:, 1],
                       "datetime": pd.date_range("2024-01-01", periods=300, freq="1h")})
    tr = ux.mobility.trajectories(df)
    for across in (False, True):
        labels = tr.cluster(0.1, across_users=across)
        groups = [(0, 300)] if across else [(0, 150), (150, 300)]
        for a, b in groups:
            d = _km(tr.lat[a:b, None], tr.lng[a:b, None], tr.lat[None, a:b], tr.lng[None, a:b])
            # single linkage: same label iff connected through links of <= 0.1 km
            from scipy.sparse.csgraph import connected_components
            _, comp = connected_components(d <= 0.1, directed=False)
            lab = labels[a:b]
            assert all((lab == lab[i]).tolist() == (comp == comp[i]).tolist() for i in range(b - a))
            assert lab[0] == 0 and np.all(np.diff(np.maximum.accumulate(lab)) <= 1)  # numbered by first visit
        assert labels.max() + 1 == (6 if across else labels.max() + 1)


@pytest.mark.parametrize("radius_km", [0.05, 3.0, 400.0])
def test_stop_clustering_matches_brute_force_anywhere_on_the_sphere(radius_km):
    # Points near the poles and across the antimeridian, where a lat/lng grid
    # would miss neighbours; the partition must equal the brute-force one, and
    # be the same on 1 and 2 threads.
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(17)
    spots = np.array([[89.99, 0.0], [-89.95, 120.0], [10.0, 179.999], [10.0, -179.999], [45.0, 7.0]])
    spread = radius_km / 111.0
    pts = spots[rng.integers(0, len(spots), 600)] + rng.normal(0, spread, (600, 2))
    pts[:, 0] = np.clip(pts[:, 0], -90, 90)
    pts[:, 1] = (pts[:, 1] + 180) % 360 - 180
    df = pd.DataFrame({"uid": 1, "lat": pts[:, 0], "lng": pts[:, 1],
                       "datetime": pd.date_range("2024-01-01", periods=600, freq="1min")})
    tr = ux.mobility.trajectories(df)
    with ux.threads(1):
        one = tr.cluster(radius_km)
    with ux.threads(2):
        two = tr.cluster(radius_km)
    assert np.array_equal(one, two)
    d = _km(tr.lat[:, None], tr.lng[:, None], tr.lat[None, :], tr.lng[None, :])
    _, comp = connected_components(d <= radius_km * (1 + 1e-9), directed=False)
    _, first = np.unique(comp, return_index=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first)] = np.arange(first.size)
    assert np.array_equal(one, rank[comp])
