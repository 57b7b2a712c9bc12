"""One comparison API across fields (urbplex.compare): flows (Lenormand et al.'s
verdict on Kansas and New York), urban scaling (Leitao et al.'s models), attack
strategies; fitted models kept, cross-validation, executors, the store."""
import json

import numpy as np
import pandas as pd
import pytest

import urbplex as ux

cmp = ux.compare


@pytest.fixture
def kansas(kansas_commuting):
    od, dist, mass = kansas_commuting
    return cmp.FlowData(od, mass_origin=mass.population, distance=dist, out_trips=mass.out_commuters,
                        in_trips=mass.in_commuters)


@pytest.fixture
def new_york(shared_data):
    d = shared_data("mobility", "ny_counties_2011")
    geo = json.load(open(f"{d}/NY_counties_2011.geojson"))
    ids, pop, lon, lat = [], [], [], []
    for f in geo["features"]:
        ids.append(int(f["properties"]["tile_id"]))
        pop.append(float(f["properties"]["population"]))
        polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]
        area = cx = cy = 0.0  # area-weighted centroid of the outer rings (shoelace)
        for poly in polys:
            x, y = np.asarray(poly[0])[:, 0], np.asarray(poly[0])[:, 1]
            cross = x * np.roll(y, -1) - np.roll(x, -1) * y
            area += cross.sum() / 2
            cx += ((x + np.roll(x, -1)) * cross).sum() / 6
            cy += ((y + np.roll(y, -1)) * cross).sum() / 6
        lon.append(cx / area)
        lat.append(cy / area)
    flows = pd.read_csv(f"{d}/NY_commuting_flows_2011.csv")
    flows = flows[flows.origin != flows.destination][["origin", "destination", "flow"]]
    locs = ux.mobility.Locations(np.array(lon), np.array(lat), np.array(pop), metric="haversine")
    return cmp.FlowData(flows, mass_origin=pd.Series(pop, index=ids), locations=locs)


@pytest.mark.parametrize("region", ["kansas", "new_york"])
def test_normalised_gravity_beats_intervening_opportunities_under_dcm(region, request):
    # Lenormand, Bassolas & Ramasco (2016): under the doubly constrained model the
    # normalised gravity laws reproduce commuting better (CPC) than Schneider's
    # intervening opportunities, the radiation law and its extension.
    # Measured (deterministic: expected matrices): the exponential law wins by 0.099
    # (Kansas) and 0.069 (New York); the power law beats them on Kansas (by 0.089)
    # but not on New York (0.776 against RadExt's 0.788 with area-weighted county
    # centroids, 0.793 against 0.786 with vertex means): reported, not asserted.
    data = request.getfixturevalue(region)
    board = cmp.run(data, cmp.laws(models=["DCM"]))
    cpc = board.table["CPC"]
    opportunities = max(cpc["Schneider+DCM"], cpc["Rad+DCM"], cpc["RadExt+DCM"])
    assert cpc["NGravExp+DCM"] > opportunities + 0.05, board.table
    if region == "kansas":
        assert cpc["NGravPow+DCM"] > opportunities + 0.05, board.table
    assert board.best in ("NGravExp+DCM", "GravExp+DCM")
    assert list(board.table.index[-1:]) == ["Rand+DCM"]
    # the fits stay retrievable: parameters, likelihood, the calibration scan, the prediction
    fit = board.fitted["NGravExp+DCM"][0]
    assert fit.k == 1 and np.isfinite(fit.loglik) and fit.predicted.shape == data.observed.shape
    assert fit.extra["grid"]["CPC"].max() <= cpc["NGravExp+DCM"] + 1e-9
    assert board.fitted["Rad+DCM"][0].params == {} and board.table.loc["Rad+DCM", "k"] == 0


def test_kansas_calibrated_parameter_and_spread_over_replicates(kansas):
    models = [cmp.TripLawModel("NGravExp", "DCM", convention="tdlm", draws=True, name="draws"),
              cmp.TripLawModel("NGravExp", "DCM", convention="tdlm", name="expected")]
    board = cmp.run(kansas, models, replicates=4, seed=3)
    assert board.table.loc["draws", "fits"] == 4 and board.table.loc["expected", "fits"] == 1
    assert 0.068 < board.params.loc["draws", "param"] < 0.078  # the published best, 0.075
    assert 0 < board.table.loc["draws", "CPC_std"] < 0.002  # replicate spread, measured
    assert np.isnan(board.table.loc["expected", "CPC_std"])
    assert board.table.loc["draws", "CPC"] == pytest.approx(0.8557, abs=0.002)  # the published table's best


@pytest.mark.parametrize("holdout", ["pairs", "origins"])
def test_cross_validation_holds_out_pairs_or_origins(kansas, holdout):
    data = cmp.FlowData(kansas.observed, mass_origin=kansas.mass_origin, distance=kansas.distance,
                        holdout=holdout)
    board = cmp.run(data, [cmp.TripLawModel("NGravExp"), cmp.TripLawModel("Rad")], folds=5, seed=1)
    assert (board.table["fits"] == 5).all() and (board.table["CPC_std"] > 0).all()
    params = [f.params["param"] for f in board.fitted["NGravExp+DCM"]]
    assert np.std(params) < 0.01 and 0.06 < np.mean(params) < 0.09
    assert board.best == "NGravExp+DCM"
    # each fold is evaluated on its held-out part only: the folds partition the pairs
    train, test = data.split(0, 5, 1)
    assert not (train & test).any() and (train | test).sum() == data.off_diagonal.sum()
    if holdout == "origins":
        assert (test.any(axis=1) == test[:, :].sum(axis=1).astype(bool)).all() and test.any(axis=1).sum() == 21


def test_every_flow_model_has_a_likelihood(new_york):
    models = [cmp.RadiationModel(), cmp.GravityModel("doubly", "power"), cmp.TripLawModel("NGravPow", "DCM")]
    board = cmp.run(new_york, models, rank_by="loglik")
    assert np.isfinite(board.table["loglik"]).all()
    assert board.table.loc["radiation", "k"] == 0 and board.table.loc["gravity-doubly-power", "k"] == 1
    # the multinomial log-likelihood by hand
    fit = board.fitted["radiation"][0]
    o, p = new_york.observed[new_york.off_diagonal], fit.predicted[new_york.off_diagonal]
    assert fit.loglik == pytest.approx(float(o[o > 0] @ np.log(p[o > 0] / p.sum())), rel=1e-12)
    with pytest.raises(ValueError, match="cross-validate"):
        cmp.run(new_york, [cmp.GravityModel()], folds=3)


def test_leaderboard_round_trips_through_the_store(kansas, tmp_path):
    board = cmp.run(kansas, [cmp.TripLawModel("NGravExp"), cmp.TripLawModel("Schneider"),
                             cmp.TripLawModel("Rad")], folds=3, seed=2)
    board.save(tmp_path / "lab.h5", "kansas")
    back = cmp.Leaderboard.load(tmp_path / "lab.h5", "kansas")
    pd.testing.assert_frame_equal(back.table, board.table)
    pd.testing.assert_frame_equal(back.runs, board.runs)
    pd.testing.assert_frame_equal(back.params, board.params)
    assert list(back.table.columns) == list(board.table.columns)
    assert back.rank_by == "CPC" and [m.name for m in back.measures] == [m.name for m in board.measures]
    assert back.fitted["NGravExp+DCM"][1].params == board.fitted["NGravExp+DCM"][1].params
    np.testing.assert_array_equal(back.fitted["Rad+DCM"][0].predicted, board.fitted["Rad+DCM"][0].predicted)
    np.testing.assert_array_equal(back.observed, kansas.observed)
    import h5py  # readable without urbplex

    with h5py.File(tmp_path / "lab.h5", "r") as f:
        assert f["runs/kansas"].attrs["model"] in (b"compare.leaderboard", "compare.leaderboard")


def test_plots(kansas):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    board = cmp.run(kansas, [cmp.TripLawModel("NGravExp"), cmp.TripLawModel("Rad")])
    for kind in ("ranking", "observed", "parameter"):
        fig, ax = plt.subplots()
        board.plot(kind, ax=ax)
        assert ax.has_data()
        plt.close(fig)
    with pytest.raises(ValueError, match="kind"):
        board.plot("pie")


def test_dask_local_cluster_gives_the_serial_table(kansas):
    distributed = pytest.importorskip("distributed")
    models = [cmp.TripLawModel("NGravExp"), cmp.TripLawModel("Schneider"), cmp.TripLawModel("Rad")]
    serial = cmp.run(kansas, models, folds=3, seed=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl, \
            distributed.Client(cl) as client:
        on_dask = cmp.run(kansas, models, folds=3, seed=4, executor=client)
    pd.testing.assert_frame_equal(serial.table, on_dask.table)
    pd.testing.assert_frame_equal(serial.runs, on_dask.runs)


@pytest.fixture
def usa_gdp(shared_data):
    d = pd.read_csv(shared_data("scaling", "leitao2016", "usa_gdp.csv"))
    return d["population"].to_numpy(float), d["y"].to_numpy(float)


def test_us_metros_rank_fixed_and_free_delta_models_together(usa_gdp, tmp_path):
    N, Y = usa_gdp
    board = cmp.run(cmp.ScalingData(N, Y), cmp.leitao_models())
    assert list(board.table.index) == ["lognormal", "lognormal (delta free)", "gaussian (delta free)",
                                       "gaussian (delta=1)", "poisson"]
    # the fitted parameters are Leitao et al.'s (lognormal 1.1128, Gaussian delta=1 1.1395, person 1.1210)
    assert board.params.loc["lognormal", "beta"] == pytest.approx(1.1128, abs=2e-4)
    assert board.params.loc["gaussian (delta=1)", "beta"] == pytest.approx(1.1395, abs=2e-4)
    assert board.params.loc["poisson", "beta"] == pytest.approx(1.1210, abs=2e-4)
    free = board.fitted["lognormal (delta free)"][0]
    assert free.k == 4 and 1.5 < free.params["delta"] < 2.3
    fixed = board.fitted["lognormal"][0]
    assert free.loglik >= fixed.loglik - 1e-6  # nested: the free model is never worse in likelihood
    assert free.stderr["beta"] > 0
    board.save(tmp_path / "s.h5", "usa")
    back = cmp.Leaderboard.load(tmp_path / "s.h5", "usa")
    pd.testing.assert_frame_equal(back.table, board.table)
    # scaling.compare is a view of the same run, with the free-delta lognormal in its default ranking
    table = ux.scaling.compare(N, Y)
    assert "lognormal (delta free)" in set(table["model"])
    assert table.set_index("model").loc["lognormal (delta free)", "bic"] == pytest.approx(
        board.table.loc["lognormal (delta free)", "bic"], rel=1e-9)


def test_attack_strategies_on_one_network():
    g = ux.generators.barabasi_albert(2000, 2, seed=3)
    board = cmp.run(cmp.NetworkData(g), [cmp.AttackModel(s) for s in ("random", "degree", "adaptive_degree")],
                    replicates=3, seed=1)
    R = board.table["R"]
    # Albert, Jeong & Barabasi (2000): scale-free networks resist failures, not attacks
    assert R["random"] > 2 * R["degree"] and R["adaptive_degree"] <= R["degree"] + 1e-12
    assert board.best == "adaptive_degree" and board.table.loc["random", "fits"] == 3
    assert board.table.loc["random", "f_c"] > 0.5 > board.table.loc["degree", "f_c"]


def test_bad_comparisons_are_named(kansas):
    with pytest.raises(ValueError, match="two models are named 'NGravExp\\+DCM'"):
        cmp.run(kansas, [cmp.TripLawModel("NGravExp"), cmp.TripLawModel("NGravExp")])
    with pytest.raises(ValueError, match="rank_by"):
        cmp.run(kansas, [cmp.TripLawModel("Rad")], rank_by="AUC")
    with pytest.raises(ValueError, match="folds"):
        cmp.run(kansas, [cmp.TripLawModel("Rad")], folds=1)
    with pytest.raises(TypeError, match="models"):
        cmp.run(kansas, ["NGravExp"])
    with pytest.raises(ValueError, match="law"):
        cmp.TripLawModel("Gravity")


def test_power_law_alternatives_expose_their_fitted_parameters(shared_data):
    words = np.loadtxt(shared_data("scaling", "csn2009", "words.txt"))
    board = cmp.run(cmp.PowerLawData(words, discrete=True), cmp.csn_models(), rank_by="bic")
    params = board.fitted
    pl = params["power_law"][0]
    assert pl.params["xmin"] == 7 and pl.params["alpha"] == pytest.approx(1.95, abs=0.02)  # CSN Table 6.1
    # every alternative is fitted on the same tail, with its parameters and likelihood
    assert params["exponential"][0].params["lambda"] > 0
    ln = params["lognormal"][0].params
    assert set(ln) >= {"mu", "sigma"}
    se = params["stretched_exponential"][0].params
    assert set(se) >= {"lambda", "beta"}
    tpl = params["truncated_power_law"][0].params
    assert set(tpl) == {"alpha", "lambda"} and tpl["lambda"] >= 0
    # R against the power law, as CSN Table 6.2 (words: exponential R 9.09 normalised, > 0)
    assert board.table.loc["exponential", "R"] > 0 and board.table.loc["exponential", "p"] < 0.01
    # the loglik difference is R itself
    for alt in ("exponential", "lognormal", "stretched_exponential"):
        R = board.table.loc[alt, "R"]
        assert pl.loglik - params[alt][0].loglik == pytest.approx(R, abs=1e-6 * max(1, abs(R)))
    # the exponential is the worst of the five by BIC, the power law beats it
    assert board.table.index[-1] == "exponential"


def test_assignment_methods_gap_against_time():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g, demand, meta, best = ux.datasets.sioux_falls()
    data = cmp.AssignmentData(g, demand, target=1e-4)
    board = cmp.run(data, [cmp.AssignmentModel(m) for m in ("msa", "bfw", "algorithm_b")])
    fits = {name: board.fitted[name][0] for name in board.table.index}
    assert fits["bfw"].params["gap"] <= 1e-4 and fits["algorithm_b"].params["gap"] <= 1e-4
    assert np.isfinite(fits["algorithm_b"].params["seconds_to_target"])
    curve = fits["bfw"].extra["curve"]
    assert list(curve.columns) == ["iteration", "seconds", "gap"] and (np.diff(curve["seconds"]) >= 0).all()
    # MSA crawls: it is last, or never reaches the target in its iterations
    assert board.table.index[-1] == "msa" or not np.isfinite(fits["msa"].params["seconds_to_target"])
    fig, ax = plt.subplots()
    board.plot("curve", ax=ax)
    assert len(ax.lines) == 3
    plt.close(fig)
