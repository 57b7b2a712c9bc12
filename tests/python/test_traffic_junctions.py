"""Lanes, node capacities and fixed-time signals in dynamic traffic (issue
36): discharge rates from the fundamental diagram and the signal's green
share, and the errors that name the user's ids."""
import numpy as np
import pandas as pd
import pytest

import urbplex as ux


def _queue_discharge(links, *, nodes=None, signals=None, flow=3.0, horizon=3600.0, window=(1200.0, 3000.0)):
    """Vehicles per second leaving link 'down' over ``window`` while a queue
    stands upstream (demand far above what passes)."""
    net = ux.traffic.network(links, nodes=nodes, signals=signals)
    trips = ux.traffic.demand("A", "C", 0, horizon - 600, flow)
    run = ux.traffic.simulate(net, trips, horizon=horizon, route_choice="fixed", record_cumulative=True)
    out = run.cumulative("down")[1]
    i, j = int(window[0] / run.dt), int(window[1] / run.dt)
    return (out[j] - out[i]) / (window[1] - window[0])


def _line(lanes_up, lanes_down, **extra):
    return pd.DataFrame({"from": ["A", "B"], "to": ["B", "C"], "length": [2000.0, 1000.0],
                         "lanes": [lanes_up, lanes_down], **extra}, index=["up", "down"])


@pytest.mark.parametrize("lanes", [1, 2, 3])
def test_a_lane_drop_passes_the_narrow_links_capacity(lanes):
    # Upstream one lane more than downstream: the queue discharges at the
    # downstream link's lanes x 0.8 veh/s (u = 20 m/s, kappa = 0.2 veh/m per
    # lane, tau = 1 s: q = u w kappa / (u + w) = 0.8 per lane).
    rate = _queue_discharge(_line(lanes + 1, lanes))
    assert rate == pytest.approx(0.8 * lanes, rel=0.02)
    net = ux.traffic.network(_line(lanes + 1, lanes))
    assert net.capacity()[1] == pytest.approx(0.8 * lanes)


def test_capacity_above_one_lane_needs_lanes():
    # 1.6 veh/s asked on one lane was silently 0.8 before: now an error naming
    # the lanes needed; with lanes = 2 the link passes it.
    links = pd.DataFrame({"from": ["A", "B"], "to": ["B", "C"], "length": [2000.0, 1000.0],
                          "capacity": [np.nan, 1.6]}, index=["up", 7])
    with pytest.raises(ValueError, match=r"link 7: capacity 1.6 veh/s is above .* lanes = 2"):
        ux.traffic.network(links)
    links["lanes"] = [3, 2]
    links.index = ["up", "down"]
    assert _queue_discharge(links) == pytest.approx(1.6, rel=0.02)
    # simulate checks again at its own reaction time (a slower one lowers the diagram)
    net = ux.traffic.network(links)
    with pytest.raises(ValueError, match=r"link 'down': capacity 1.6 .* reaction_time 2 s"):
        ux.traffic.simulate(net, ux.traffic.demand("A", "C", 0, 60, 0.5), horizon=600, reaction_time=2.0)


@pytest.mark.parametrize("green,lanes", [((30.0, 30.0), 2), ((40.0, 20.0), 1), ((20.0, 40.0), 2)])
def test_a_saturated_signal_passes_in_its_green_only(green, lanes):
    # A signal at B gives 'up' the first phase; a dummy approach 'side' takes
    # the second. A saturated approach passes at least its saturation flow
    # (lanes x 0.8 veh/s) times the green share g / C, and at most one platoon
    # per lane and step of green (the queue head's start-up in this discrete
    # model, as in UXsim); nothing passes on red.
    links = pd.DataFrame({"from": ["A", "B", "S"], "to": ["B", "C", "B"], "length": [2000.0, 1000.0, 500.0],
                          "lanes": [lanes, 2 * lanes, 1]}, index=["up", "down", "side"])
    signals = {"B": [(green[0], ["up"]), (green[1], ["side"])]}
    share = green[0] / sum(green)
    rate = _queue_discharge(links, signals=signals)
    assert 0.8 * lanes * share * 0.99 <= rate <= 1.0 * lanes * share * 1.01
    net = ux.traffic.network(links, signals=signals)
    run = ux.traffic.simulate(net, ux.traffic.demand("A", "C", 0, 3000, 3.0), horizon=3600, route_choice="fixed",
                              record_cumulative=True)
    passed = np.diff(run.cumulative("up")[1])
    t = (np.arange(1, passed.size + 1) * run.dt) % sum(green)
    assert passed[t >= green[0]].sum() == 0  # red: none
    # without the signal the same link passes its full capacity
    assert _queue_discharge(links) == pytest.approx(0.8 * lanes, rel=0.02)


@pytest.mark.parametrize("lanes,green,flow,uxsim", [(2, (30.0, 30.0), 0.6, 945550.0), (2, (40.0, 20.0), 0.5, 800950.0),
                                                    (1, (30.0, 30.0), 0.3, 475200.0)])
def test_a_four_approach_signal_equals_uxsim(lanes, green, flow, uxsim):
    # Four 1 km approaches with `lanes` lanes into a signalised node (N-S in
    # phase 0, E-W in phase 1), straight-through demand for 1 h. UXsim 1.15.1
    # (benchmarks/python/bench_traffic.py, intersection) gives these total
    # travel times (veh s); its phases run floor(g / dt) + 1 steps, so it was
    # given g - 5 s for our g.
    arms, opposite = "NSEW", {"N": "S", "S": "N", "E": "W", "W": "E"}
    rows = [(f"{a}in", f"{a}0", "I") for a in arms] + [(f"{a}out", "I", f"{a}1") for a in arms]
    links = pd.DataFrame(rows, columns=["id", "from", "to"]).set_index("id").assign(length=1000.0, lanes=lanes)
    net = ux.traffic.network(links, signals={"I": [(green[0], ["Nin", "Sin"]), (green[1], ["Ein", "Win"])]})
    trips = pd.concat([ux.traffic.demand(f"{a}0", f"{opposite[a]}1", 0, 3600, flow) for a in arms], ignore_index=True)
    run = ux.traffic.simulate(net, trips, horizon=6000)
    assert run.completed == 1.0
    assert run.total_travel_time == pytest.approx(uxsim, rel=1e-9)


def test_signal_offset_shifts_the_first_green():
    # One platoon reaches B ready to cross at 15 s. Phase 0 ('up') runs for
    # 30 s from the offset each 60 s cycle. Its delay is the wait for green
    # less one step: a platoon waiting at a stop line keeps the step's move
    # it could not make (UXsim's move_remain), and uses it on the next link.
    links = pd.DataFrame({"from": ["A", "B", "S"], "to": ["B", "C", "B"], "length": [200.0, 1000.0, 200.0]},
                         index=["up", "down", "side"])
    trips = ux.traffic.demand("A", "C", 0, 5, 1.0)
    arrival = {}
    for offset in (0.0, 10.0, 20.0, 30.0, 45.0, 50.0):
        net = ux.traffic.network(links, signals={"B": {"phases": [(30.0, ["up"]), (30.0, ["side"])],
                                                       "offset": offset}})
        arrival[offset] = ux.traffic.simulate(net, trips, horizon=600, route_choice="fixed").trips["arrival"].iloc[0]
    free = ux.traffic.simulate(ux.traffic.network(links), trips, horizon=600,
                               route_choice="fixed").trips["arrival"].iloc[0]
    delay = {k: v - free for k, v in arrival.items()}
    assert delay == {0.0: 0.0, 10.0: 0.0, 20.0: 0.0, 30.0: 10.0, 45.0: 25.0, 50.0: 0.0}


def test_a_node_capacity_caps_the_flow_through_the_node():
    links = _line(2, 2)
    rate = _queue_discharge(links, nodes=pd.DataFrame({"capacity": [0.5]}, index=["B"]))
    assert rate == pytest.approx(0.5, rel=0.03)


def test_bad_junction_input_names_the_ids():
    links = pd.DataFrame({"from": ["A", "B", "S", "B"], "to": ["B", "C", "B", "S"], "length": 500.0},
                         index=["up", "down", "side", "back"])
    with pytest.raises(ValueError, match=r"node 'B', phase 1: link 'down' does not end at this node"):
        ux.traffic.network(links, signals={"B": [(30, ["up"]), (30, ["side", "down"])]})
    with pytest.raises(ValueError, match=r"node 'B': link 'side' enters it but is in none of its phases"):
        ux.traffic.network(links, signals={"B": [(30, ["up"])]})
    with pytest.raises(ValueError, match=r"phase 0: link 'nope' is not in the network"):
        ux.traffic.network(links, signals={"B": [(30, ["nope", "up"]), (30, ["side"])]})
    with pytest.raises(ValueError, match=r"node 'Z' is on no link"):
        ux.traffic.network(links, signals={"Z": [(30, ["up"])]})
    with pytest.raises(ValueError, match=r"green time"):
        ux.traffic.network(links, signals={"B": [(0, ["up"]), (30, ["side"])]})
    with pytest.raises(ValueError, match=r"argument 'nodes': node 'B': capacity = -1.0"):
        ux.traffic.network(links, nodes=pd.DataFrame({"capacity": [-1.0]}, index=["B"]))
    with pytest.raises(ValueError, match=r"argument 'nodes': node 'B' has more than one row"):
        ux.traffic.network(links, nodes=pd.DataFrame({"capacity": [1.0, 2.0]}, index=["B", "B"]))
    with pytest.raises(ValueError, match=r"argument 'nodes': node 'Q' is on no link"):
        ux.traffic.network(links, nodes=pd.DataFrame({"capacity": [1.0]}, index=["Q"]))


def test_duplicate_link_ids_and_missing_node_ids_are_errors():
    links = pd.DataFrame({"from": [1, 2, 3], "to": [2, 3, 4], "length": 100.0}, index=np.array([5, 73, 73]))
    with pytest.raises(ValueError, match=r"link id 73 is used by more than one row") as err:
        ux.traffic.network(links)
    assert "np.int64" not in str(err.value)
    links.index = [5, 6, 7]
    links.loc[6, "to"] = np.nan
    with pytest.raises(ValueError, match=r"link 6: to is missing"):
        ux.traffic.network(links)


def test_messages_print_plain_ids():
    links = pd.DataFrame({"from": np.array([1, 2]), "to": np.array([2, 3]), "length": [100.0, -1.0]},
                         index=np.array([10, 73]))
    with pytest.raises(ValueError) as err:
        ux.traffic.network(links)
    assert "link 73:" in str(err.value) and "np." not in str(err.value)
    links["length"] = 100.0
    net = ux.traffic.network(links)
    trips = pd.DataFrame({"origin": np.array([1]), "destination": np.array([99]), "departure": [0.0]})
    with pytest.raises(ValueError) as err:
        ux.traffic.simulate(net, trips, horizon=100)
    assert "node 99 is not in the network" in str(err.value)


def test_travel_time_counts_from_the_departure():
    # Steps of 5 s: a departure at 3.0 s leaves in the step that starts at
    # 5 s, as one at 5.0 s does; its travel time is arrival - departure.
    links = pd.DataFrame({"from": ["A"], "to": ["B"], "length": [1000.0]}, index=["ab"])
    net = ux.traffic.network(links)
    t = {}
    for dep in (0.0, 3.0, 5.0):
        trips = pd.DataFrame({"origin": ["A"], "destination": ["B"], "departure": [dep]})
        t[dep] = ux.traffic.simulate(net, trips, horizon=600, route_choice="fixed").trips.iloc[0]
    assert t[3.0]["arrival"] == t[5.0]["arrival"] == t[0.0]["arrival"] + 5.0
    assert t[3.0]["travel_time"] == t[3.0]["arrival"] - 3.0 == t[0.0]["travel_time"] + 2.0


def test_doors_are_on_the_strongly_connected_component():
    # A two-way 10 x 10 grid (150 m blocks) with 30 one-way spurs: 15 dead
    # ends (in only) and 15 sources (out only), as one-way OSM streets leave
    # them. Weakly connected, they were drawn as doors and the day failed.
    g = ux.generators.square_lattice(10)
    s, t = np.asarray(g.edge_sources), np.asarray(g.edge_targets)
    rng = np.random.default_rng(3)
    anchors = rng.choice(g.n, 30, replace=False)
    spur = np.arange(g.n, g.n + 30)
    src = np.concatenate([s, t, anchors[:15], spur[15:]])
    dst = np.concatenate([t, s, spur[:15], anchors[15:]])
    x = np.append(g.node("x"), g.node("x")[anchors] + 0.3) * 150.0
    y = np.append(g.node("y"), g.node("y")[anchors] + 0.3) * 150.0
    streets = ux.Graph.from_arrays(src, dst, n=g.n + 30, directed=True,
                                   node_attrs={"x": x, "y": y, "population": np.full(g.n + 30, 10.0)},
                                   edge_attrs={"length": np.full(src.size, 150.0)})
    drivable = ux.traffic.from_agents.drivable_nodes(streets)
    assert drivable.sum() == g.n and not drivable[g.n:].any()
    h = ux.Hierarchy.from_grid(streets, cell=450.0, levels=2)
    hoods = ux.mobility.locations_of(h, level=1)
    agents = ux.mobility.epr(hoods, agents=300, steps=30, seed=2, record=True)
    trips = ux.traffic.trips_from_agents(agents, hierarchy=h, level=1, seed=5)
    ends = np.concatenate([trips["origin"], trips["destination"]])
    assert len(trips) > 1000 and drivable[ends].all()
    run = ux.traffic.simulate(ux.traffic.network_from_graph(streets), trips.head(2000), horizon=30 * 3600,
                              platoon=1, route_choice="fixed", record_interval=3600)
    assert run.completed == 1.0
    # Agents on the street nodes themselves (level 0): spur ends are named, or dropped with a count.
    h0 = ux.Hierarchy.from_labels(streets, np.arange(streets.n) // 4)
    on_streets = ux.mobility.epr(ux.mobility.locations_of(h0, level=0), agents=100, steps=30, seed=1, record=True)
    with pytest.raises(ValueError, match=r"location \d+ of level 0 is not on the streets' largest strongly connected"):
        ux.traffic.trips_from_agents(on_streets, hierarchy=h0, level=0)
    with pytest.warns(UserWarning, match=r"\(30 of 130 street nodes are outside it\): left out"):
        kept = ux.traffic.trips_from_agents(on_streets, hierarchy=h0, level=0, unreachable="drop")
    assert drivable[np.concatenate([kept["origin"], kept["destination"]])].all()


def test_osm_highway_types_become_lanes_speeds_and_capacities():
    # Tags win where readable; else the highway type's defaults (MATSim's table).
    hw = ["motorway", "residential", "primary", "['secondary', 'tertiary']", "service", "living_street"]
    lanes = ["3", None, "4", "['2', '3']", None, "x"]
    maxspeed = [None, "30 mph", "50", None, "20", None]
    oneway = [True, False, False, True, False, False]
    g = ux.Graph.from_arrays(np.arange(6), np.arange(1, 7), n=7, directed=True,
                             edge_attrs={"length": np.full(6, 100.0), "highway": hw, "lanes": lanes,
                                         "maxspeed": maxspeed, "oneway": oneway})
    net = ux.traffic.network_from_graph(g)
    # motorway oneway 3 lanes; residential default 1; primary two-way 4 -> 2 per direction; secondary 2 (oneway)
    assert net.lanes.tolist() == [3, 1, 2, 2, 1, 1]
    assert np.allclose(net.free_speed * 3.6, [120, 30 * 1.609344, 50, 60, 20, 15])
    cap = np.minimum(net.capacity_in, net.capacity_out) * 3600
    assert np.allclose(cap, [6000, 600, 3000, 2000, 600, 300])
    assert (cap / 3600 <= net.capacity() + 1e-12).all()  # never above what the lanes pass
    plain = ux.traffic.network_from_graph(g, highway=None, default_speed=10.0)
    assert (plain.lanes == 1).all() and (plain.free_speed == 10.0).all() and np.isinf(plain.capacity_in).all()
