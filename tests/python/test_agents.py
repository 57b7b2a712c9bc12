"""urbplex.agents: user-defined agent-based models compiled with numba."""
from __future__ import annotations

import numpy as np
import pytest

import urbplex as ux

ua = pytest.importorskip("urbplex.agents")
pytest.importorskip("numba")
from urbplex.agents.random import normal  # noqa: E402 - rules call it by this global name


# -- random streams ----------------------------------------------------------
@pytest.mark.parametrize("ctr,key,expected", [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
])
def test_philox_matches_random123_known_answers(ctr, key, expected):
    from urbplex.agents.random import philox4x32
    out = philox4x32(*(np.uint64(v) for v in ctr + key))
    assert tuple(int(v) for v in out) == expected


def test_streams_are_uniform_and_independent_of_the_agent_order():
    from scipy import stats
    from urbplex.agents.random import stream, uniform_array, normal
    u = uniform_array(stream(7, 3, 1), 200_000, 0)
    assert stats.kstest(u, "uniform").pvalue > 0.01
    v = uniform_array(stream(7, 3, 1), 200_000, 1)  # another draw number: another sequence
    assert abs(np.corrcoef(u, v)[0, 1]) < 0.01
    assert uniform_array(stream(7, 4, 1), 10, 0)[3] != u[3]  # another step
    z = np.array([normal(stream(1, 0, 0), i, 0) for i in range(20_000)])
    assert stats.kstest(z, "norm").pvalue > 0.01


# -- columns and spaces ------------------------------------------------------
def test_agents_table_adds_removes_and_names_categories():
    a = ua.Agents({"wealth": "float", "kind": ("category", ["red", "blue"]), "age": "int"}, n=3)
    ids = a.add(40, wealth=np.arange(40.0), kind="blue")
    assert ids.tolist() == list(range(3, 43)) and a.n_alive == 43
    a.remove([0, 5])
    assert a.n_alive == 41 and 5 not in a.ids and a.size == 43
    frame = a.to_frame()
    assert list(frame["kind"].cat.categories) == ["red", "blue"] and frame.loc[6, "wealth"] == 3.0
    with pytest.raises(ValueError, match="'green' is not a category of column 'kind'"):
        a.add(1, kind="green")
    with pytest.raises(KeyError, match="no column 'size'"):
        a.add(1, size=2)
    with pytest.raises(ValueError, match="no agent with id 99"):
        a.remove([99])
    with pytest.raises(TypeError, match="non-integral"):
        a.add(1, age=1.5)
    with pytest.raises(ValueError, match="expected 2 values"):
        a.add(2, wealth=[1.0, 2.0, 3.0])


def test_grid_neighbourhoods():
    g = ua.Grid(5, 4)
    assert len(g.neighbours_of(g.cell(2, 2))) == 8 and len(g.neighbours_of(0)) == 3
    assert sorted(g.neighbours_of(0).tolist()) == [1, 5, 6]
    vn = ua.Grid(5, 4, neighbourhood="von_neumann")
    assert sorted(vn.neighbours_of(g.cell(2, 2)).tolist()) == sorted([7, 11, 13, 17])
    t = ua.Grid(5, 4, torus=True)
    assert all(len(t.neighbours_of(c)) == 8 for c in range(t.n_cells))
    assert 19 in t.neighbours_of(0)  # the far corner wraps round
    r2 = ua.Grid(9, 9, radius=2)
    assert len(r2.neighbours_of(r2.cell(4, 4))) == 24
    h = ua.Grid(6, 6, kind="hex", torus=True)
    assert all(len(h.neighbours_of(c)) == 6 for c in range(h.n_cells))
    # hexagonal neighbourhoods are symmetric: b is a neighbour of a iff a of b
    pairs = {(c, int(d)) for c in range(h.n_cells) for d in h.neighbours_of(c)}
    assert all((d, c) in pairs for c, d in pairs)
    with pytest.raises(ValueError, match="even height"):
        ua.Grid(6, 5, kind="hex", torus=True)
    with pytest.raises(ValueError, match="torus needs"):
        ua.Grid(2, 5, torus=True)


def test_network_places_and_continuous_neighbours():
    g = ux.generators.random_geometric(300, mean_degree=6, seed=3)
    net = ua.Network(g)
    assert net.n_cells == 300 and sorted(net.neighbours_of(5).tolist()) == sorted(g.neighbors(5).tolist())
    rng = np.random.default_rng(2)
    xy = rng.uniform(0, 10, (400, 2))
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    near = ua.Places(xy, radius=1.0)
    for c in (0, 17, 399):
        assert near.neighbours_of(c).tolist() == np.flatnonzero(d[c] <= 1.0).tolist()
    k3 = ua.Places(xy, k=3)
    assert sorted(k3.neighbours_of(9).tolist()) == sorted(np.argsort(d[9])[:3].tolist())
    cheb = ua.Places(xy, metric="chebyshev", radius=0.5)
    dc = np.abs(xy[:, None, :] - xy[None, :, :]).max(axis=2)
    np.fill_diagonal(dc, np.inf)
    assert cheb.neighbours_of(4).tolist() == np.flatnonzero(dc[4] <= 0.5).tolist()
    lonlat = np.array([[2.35, 48.85], [2.29, 48.86], [-0.13, 51.51]])  # Paris, Paris west, London
    hv = ua.Places(lonlat, metric="haversine", radius=10.0)
    assert hv.neighbours_of(0).tolist() == [1] and hv.neighbours_of(2).size == 0
    agents = ua.Agents({"x": "float", "y": "float"})
    agents.add(400, x=xy[:, 0], y=xy[:, 1])
    cont = ua.Continuous(10, 10, radius=1.0)
    cont.prepare(agents)
    sp = cont.arrays()
    assert sp.indices[sp.indptr[17]:sp.indptr[18]].tolist() == np.flatnonzero(d[17] <= 1.0).tolist()
    with pytest.raises(ValueError, match="place 2 has a non-finite coordinate"):
        ua.Places(np.array([[0, 0], [1, 1], [np.nan, 2]]), radius=1)


# -- Schelling against Mesa --------------------------------------------------
def _mesa_schelling(seed, steps):
    from mesa.examples.basic.schelling.model import Schelling
    m = Schelling(seed=seed)  # the example's own parameters: 20 x 20, density 0.8, minority 0.5, homophily 0.4

    def measure():
        shares = [sum(n.type == a.type for n in nb) / len(nb) for a in m.agents
                  if (nb := list(a.cell.get_neighborhood(radius=1).agents))]
        return np.mean(shares), m.happy / len(m.agents)

    out = [measure()]
    for _ in range(steps):
        m.step()
        out.append(measure())
    return np.array(out)


@pytest.mark.slow
def test_schelling_is_statistically_indistinguishable_from_mesa():
    pytest.importorskip("mesa")
    from scipy.stats import ks_2samp
    seeds, steps = 30, 20
    mesa = np.array([_mesa_schelling(1000 + s, steps) for s in range(seeds)])  # (seed, step, measure)

    def ours(**kw):
        runs = [ua.examples.schelling(width=20, height=20, density=0.8, minority=0.5, homophily=0.4, steps=steps,
                                      seed=s, **kw) for s in range(seeds)]
        return np.array([np.column_stack([r.data["segregation"], r.data["happy"]]) for r in runs])

    mine = ours()
    assert mine.shape == mesa.shape
    for step in (1, 2, 5, 20):
        for k, name in enumerate(("segregation", "happy")):
            p = ks_2samp(mesa[:, step, k], mine[:, step, k]).pvalue
            assert p > 0.05, (step, name, p)
    # the test can fail: a torus (Mesa's grid has edges) is told apart
    wrong = ours(torus=True)
    assert min(ks_2samp(mesa[:, s, 0], wrong[:, s, 0]).pvalue for s in (2, 5, 20)) < 0.05


def test_schelling_result_and_pure_python_mode_agree():
    r = ua.examples.schelling(width=15, height=12, steps=6, seed=4)
    assert set(("step", "segregation", "happy")) <= set(r.data)
    assert r.data["segregation"].shape == (7,) and r.data["step"].tolist() == list(range(7))
    assert np.all(np.diff(r.data["segregation"][:3]) > 0)  # moving raises segregation
    py = ua.examples.schelling(width=15, height=12, steps=6, seed=4, jit=False)
    assert np.array_equal(r.data["cell"], py.data["cell"])
    assert np.array_equal(r.data["segregation"], py.data["segregation"])
    # the incremental re-judging equals judging everyone: the share of like
    # neighbours recomputed from the final state
    g = ua.Grid(15, 12)
    occ = np.full(g.n_cells, -1)
    occ[r.data["cell"]] = r.data["kind"]
    shares = []
    for c, kind in zip(r.data["cell"], r.data["kind"]):
        nb = occ[g.neighbours_of(c)]
        nb = nb[nb >= 0]
        if nb.size:
            shares.append(np.mean(nb == kind))
    assert r.data["segregation"][-1] == pytest.approx(np.mean(shares), abs=1e-12)


def test_schelling_on_a_hierarchy_level(tmp_path):
    city = ux.generators.random_geometric(3000, mean_degree=6, seed=5)
    h = ux.Hierarchy.from_grid(city, cell=0.05, levels=2)
    space = ua.Network(h, level=1, capacity=1)
    r = ua.examples.schelling_on(space, density=0.7, steps=10, seed=2)
    assert r.data["happy"][-1] > r.data["happy"][0]
    r.save(tmp_path / "s.h5", "schelling")
    back = ux.io.load_run(tmp_path / "s.h5", "schelling")
    assert np.array_equal(back.data["segregation"], r.data["segregation"])
    assert back.parameters["density"] == 0.7


# -- determinism, errors, interruption ---------------------------------------
def _noisy_walk(i, a, out, space, rng, p):
    out.x[i] = a.x[i] + p.sigma * normal(rng, i, 0)


def _walk_model(n=300_000, seed=3):
    agents = ua.Agents({"x": "float"}, n=n)
    return ua.Model(agents, None, [ua.Stage(_noisy_walk, writes=["x"])], params={"sigma": 0.5}, seed=seed,
                    model_reporters={"spread": lambda m: float(np.std(m.agents["x"]))})


def test_same_seed_same_run_on_any_thread_count():
    runs = []
    for threads in (1, 2):
        with ux.threads(threads):
            m = _walk_model()
            r = m.run(3)
            s = ua.examples.schelling(width=200, height=200, steps=8, seed=9)
        runs.append((m.agents["x"].copy(), r.data["spread"], s.data["cell"], s.data["segregation"]))
    for a, b in zip(*runs):
        assert np.array_equal(a, b)
    # and the random walk has the variance it should: 3 steps of sigma 0.5
    assert runs[0][1][-1] == pytest.approx(np.sqrt(3) * 0.5, rel=0.01)


def _raises_at_17(i, a, out, space, rng, p):
    if i == 17 and a.x[i] >= 0:
        raise ValueError("no room")
    out.x[i] = a.x[i]


def _nan_at_23(i, a, out, space, rng, p):
    out.x[i] = np.nan if i == 23 else a.x[i]


def _index_out_of_range(i, a, out, space, rng, p):
    out.x[i] = a.x[i + 5_000]


@pytest.mark.parametrize("jit", [True, False])
@pytest.mark.parametrize("rule,pattern", [
    (_raises_at_17, r"rule '_raises_at_17' failed for agent 17 at step 2: ValueError: no room"),
    (_nan_at_23, r"rule '_nan_at_23' set column 'x' of agent 23 to NaN at step 2"),
    (_index_out_of_range, r"rule '_index_out_of_range' failed for agent \d+ at step 2: IndexError"),
])
def test_failing_rules_name_the_agent_and_the_step(rule, pattern, jit):
    agents = ua.Agents({"x": "float"}, n=100)
    calls = []

    def count(model):
        calls.append(model.steps_done)
    m = ua.Model(agents, None, [count], jit=jit)
    m.step()
    m.step()
    assert calls == [0, 1]
    m.stages = [ua.Stage(rule, writes=["x"])]
    with pytest.raises(ua.AgentRuleError, match=pattern) as info:
        m.step()
    assert info.value.step == 2


def test_a_rule_numba_cannot_compile_names_its_line():
    def bad(i, a, out, space, rng, p):
        out.x[i] = {"dict": 1}["dict"] + object()  # numba has no object()

    agents = ua.Agents({"x": "float"}, n=10)
    m = ua.Model(agents, None, [ua.Stage(bad, writes=["x"])])
    with pytest.raises(ua.AgentRuleError, match=r"numba could not compile rule 'bad' at .*test_agents.py:\d+") as e:
        m.step()
    line = int(str(e.value).split("test_agents.py:")[1].split(":")[0])
    import inspect
    src, start = inspect.getsourcelines(bad)
    assert start <= line < start + len(src)
    ua.Model(agents, None, [ua.Stage(bad, writes=["x"])], jit=False)  # the debugging mode builds


def test_bad_model_arguments_are_named():
    agents = ua.Agents({"x": "float", "ok": "bool"}, n=5)
    with pytest.raises(ValueError, match="writes column 'y'"):
        ua.Model(agents, None, [ua.Stage(_noisy_walk, writes=["y"])])
    with pytest.raises(ValueError, match="must name the columns it writes"):
        ua.Stage(_noisy_walk)
    with pytest.raises(ValueError, match="where='x' must name a bool column"):
        ua.Model(agents, None, [ua.Stage(_noisy_walk, writes=["x"], where="x")])
    with pytest.raises(TypeError, match="parameter 'sigma' must be a number"):
        ua.Model(agents, None, [], params={"sigma": "big"})
    with pytest.raises(ValueError, match="capacity 1"):
        ua.examples.schelling_on(ua.Grid(5, 5, capacity=None))
    g = ua.Grid(3, 3)
    with pytest.raises(ValueError, match="need an integer column 'cell'"):
        g.place(agents, [0, 1], [4, 5])
    housed = ua.Agents({"cell": "int"}, n=2)
    with pytest.raises(ValueError, match="cell 4 holds 2 agents"):
        g.place(housed, [0, 1], [4, 4])


def test_removed_agents_leave_their_cells():
    agents = ua.Agents({"cell": "int"}, n=4)
    g = ua.Grid(3, 3)
    g.place(agents, np.arange(4), [0, 1, 2, 3])
    agents.remove([1])
    g.prepare(agents)
    assert g.occupant[1] == -1 and g.n_empty() == 6


@pytest.mark.slow
# -- SIR carried by mobility ---------------------------------------------------
def test_sir_final_size_in_one_well_mixed_place():
    """Kermack-McKendrick: s_inf = s0 exp(-R0 (1 - s_inf)), with the
    discrete-hour infectious period of mean 1 / (1 - exp(-gamma))."""
    from scipy.optimize import brentq
    n, beta, gamma, initial = 40_000, 0.2, 0.1, 40
    finals = [ua.examples.sir_on(np.zeros((n, 2000), dtype=np.int64), beta=beta, gamma=gamma, initial=initial,
                                 seed=s).data["R"][-1] for s in range(3)]
    r0 = beta / (1 - np.exp(-gamma))
    s0 = 1 - initial / n
    expected = 1 - brentq(lambda s: s - s0 * np.exp(-r0 * (1 - s)), 1e-9, s0)
    assert np.mean(finals) == pytest.approx(expected, abs=0.005)
    naive = 1 - brentq(lambda s: s - s0 * np.exp(-beta / gamma * (1 - s)), 1e-9, s0)
    assert abs(naive - expected) > 0.02  # a continuous-time period would be told apart


def test_sir_carried_by_epr_agents_over_the_city():
    from urbplex.demo import synthetic_city
    city = synthetic_city(5000, seed=7)  # the demo city, with its monocentric population
    h = ux.Hierarchy.from_grid(city, cell=2000.0, levels=2)
    r = ua.examples.sir_epr(h, level=1, agents=3000, hours=24 * 14, seed=3)
    s, i, rr = r.data["S"], r.data["I"], r.data["R"]
    assert np.allclose(s + i + rr, 1.0)
    assert np.all(np.diff(s) <= 0) and np.all(np.diff(rr) >= 0)
    assert rr[-1] + i[-1] > 0.3  # R0 ~ 2.9: an epidemic
    reached = r.data["first_infection"] >= 0
    assert 1 < reached.sum() <= h.level(1).n


def test_the_cpp_policy_judges_as_the_python_rule():
    """include/urbplex/agents/schelling.hpp through agents::apply_parallel
    against the same rule in Python (jit=False: no numba needed)."""
    import importlib
    sch = importlib.import_module("urbplex.agents.examples.schelling")
    grid = ua.Grid(60, 50)
    agents = ua.Agents({"cell": np.int32, "kind": ("category", ["a", "b"]), "happy": "bool", "share": "float",
                        "stale": "bool"})
    rs = np.random.default_rng(5)
    cells = np.flatnonzero(rs.random(grid.n_cells) < 0.7)
    kind = (rs.random(cells.size) < 0.4).astype(np.int64)
    ids = agents.add(cells.size, kind=kind)
    grid.place(agents, ids, cells)
    layer = grid.add_layer("kind", np.int8, -1)
    layer[cells] = kind
    judge = ua.Stage(sch.assign_state, writes=("happy", "share", "stale"))
    ua.Model(agents, grid, [judge], params={"homophily": 0.45}, jit=False).apply(judge)
    happy = np.zeros(agents.size, bool)
    share = np.zeros(agents.size)
    ux._core.agents_schelling_judge(ids, agents["cell"], agents["kind"], layer, grid.indptr, grid.indices, 0.45,
                                    happy, share)
    assert np.array_equal(happy, agents["happy"]) and np.array_equal(share, agents["share"])
    assert 0 < happy.sum() < happy.size
    with pytest.raises(ValueError, match="ids"):
        ux._core.agents_schelling_judge(np.array([agents.size]), agents["cell"], agents["kind"], layer,
                                        grid.indptr, grid.indices, 0.45, happy, share)
    with pytest.raises(ValueError, match="happy"):
        ux._core.agents_schelling_judge(ids, agents["cell"], agents["kind"], layer, grid.indptr, grid.indices,
                                        0.45, happy[:-1], share)


def _die_if_even(i, a, out, space, rng, p):
    if i % 2 == 0:
        a.alive[i] = False


def test_a_rule_can_remove_agents_and_the_space_follows():
    agents = ua.Agents({"cell": "int"}, n=6)
    g = ua.Grid(3, 3)
    g.place(agents, np.arange(6), np.arange(6))
    m = ua.Model(agents, g, [ua.Stage(_die_if_even, order="sequential")],
                 model_reporters={"alive": lambda m: m.agents.n_alive})
    r = m.run(1)
    assert r.data["alive"].tolist() == [6, 3] and agents.ids.tolist() == [1, 3, 5]
    g.prepare(agents)
    assert g.occupant[:6].tolist() == [-1, 1, -1, 3, -1, 5] and g.n_empty() == 6


def test_ensembles_of_agent_models_on_threads_match_the_serial_run(tmp_path):
    import concurrent.futures as cf
    tasks = [{"width": 60, "height": 60, "steps": 10, "seed": s} for s in range(4)]
    serial = ux.ensemble.run(ua.examples.schelling, tasks, store=tmp_path / "a.h5", prefix="s")
    with cf.ThreadPoolExecutor(2) as ex:  # compiled stages release the GIL and run side by side
        threaded = ux.ensemble.run(ua.examples.schelling, tasks, store=tmp_path / "b.h5", prefix="s", executor=ex)
    for i in range(len(tasks)):
        assert np.array_equal(serial[i]["segregation"], threaded[i]["segregation"])
        assert np.array_equal(serial[i]["cell"], threaded[i]["cell"])


@pytest.mark.slow
def test_vicsek_order_parameter_follows_the_published_transition():
    """Vicsek et al. 1995, Fig. 2a (N = 400, density 4, v = 0.03, r = 1): ordered
    at little noise, about half ordered at eta = 3, disordered near 2 pi."""
    order = {eta: ua.examples.vicsek(n=400, length=10, noise=eta, steps=600, seed=2).data["order"][-200:].mean()
             for eta in (0.1, 3.0, 5.5)}
    assert order[0.1] > 0.99
    assert 0.35 < order[3.0] < 0.7
    assert order[5.5] < 0.15


def test_commuters_make_two_rush_hours_that_load_the_streets():
    import warnings
    from urbplex.demo import synthetic_city
    city = synthetic_city(5000, seed=7)
    h = ux.Hierarchy.from_grid(city, cell=1000.0, levels=2)
    r = ua.examples.commuters(h, level=1, agents=2000, morning=8.0, evening=17.5, spread=1.0, seed=1)
    dep = r.data["trip_departure"]
    commuting = int((r.data["home"] != r.data["work"]).sum())
    assert dep.size == 2 * commuting  # there and back
    assert np.mean((dep >= 6) & (dep < 10)) > 0.45 and np.mean((dep >= 15.5) & (dep < 19.5)) > 0.45
    assert r.data["at_work"].max() == pytest.approx(commuting / 2000, abs=0.05) and r.data["at_work"][-1] == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zones off the street network
        trips = ua.examples.street_trips(r, h, 1)
    assert 0.95 * dep.size <= len(trips) <= dep.size
    net = ux.traffic.network_from_graph(city, default_speed=13.9)
    run = ux.traffic.simulate(net, trips, horizon=26 * 3600, platoon=5, route_choice="fixed", seed=1)
    assert run.completed > 0.99


def _divide(i, a, out, space, rng, p):
    if ua.random.uniform(rng, i, 0) < p.rate:
        out.children[i] = 1


def test_births_grow_a_population_geometrically_and_thread_invariantly():
    """Each cell divides with probability r per step: E[N_t] = N_0 (1 + r)^t."""
    finals = []
    for threads in (1, 2):
        with ux.threads(threads):
            cells = ua.Agents({"children": "int", "generation": "int"}, n=2000)
            m = ua.Model(cells, None, [ua.Stage(_divide, writes=["children"], births="children")],
                         params={"rate": 0.1}, seed=4, model_reporters={"n": lambda m: m.agents.n_alive})
            r = m.run(20)
        finals.append(r.data["n"])
    assert np.array_equal(finals[0], finals[1])
    t = np.arange(21)
    m_, var = 1.1, 0.1 * 0.9  # offspring mean and variance of a Galton-Watson step (1 or 2 cells)
    expected = 2000 * m_ ** t
    sd = np.sqrt(2000 * var * m_ ** np.maximum(t - 1, 0) * (m_ ** t - 1) / (m_ - 1))
    assert np.all(np.abs(finals[0] - expected) <= 4 * sd)
    assert abs(finals[0][-1] - expected[-1]) > 0  # not a deterministic copy of the mean
    with pytest.raises(ValueError, match="births='generation' must name an integer column|must name an integer"):
        ua.Model(ua.Agents({"generation": "float"}, n=2), None, [ua.Stage(_divide, writes=["generation"],
                                                                        births="generation")])
