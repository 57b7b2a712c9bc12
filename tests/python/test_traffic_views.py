"""Area-wide outputs of a traffic run (issue 36): the MFD per area, the
time-space diagram along a route and network frames."""
import numpy as np
import pandas as pd
import pytest

import urbplex as ux


def _corridor_run():
    # A 3 km corridor of three links and a side street: the bottleneck of
    # test_traffic (half the jam density on the last link) makes a queue.
    links = pd.DataFrame({"from": ["A", "B", "C", "S"], "to": ["B", "C", "D", "B"],
                          "length": [1000.0, 1000.0, 1000.0, 500.0], "jam_density": [0.2, 0.2, 0.1, 0.2]},
                         index=["ab", "bc", "cd", "sb"])
    net = ux.traffic.network(links)
    trips = pd.concat([ux.traffic.demand("A", "D", 0, 1200, 0.75), ux.traffic.demand("S", "D", 600, 900, 0.2)],
                      ignore_index=True)
    return net, ux.traffic.simulate(net, trips, horizon=3600, route_choice="fixed", record_interval=120)


def test_the_mfd_per_area_adds_up_to_the_network():
    net, run = _corridor_run()
    whole = run.mfd()
    areas = run.mfd(areas={"ab": "west", "sb": "west", "bc": "east", "cd": "east"})
    assert set(areas["area"]) == {"east", "west"}
    summed = areas.groupby("start")[["accumulation", "production"]].sum()
    assert np.allclose(summed["accumulation"], whole.set_index("start")["accumulation"])
    assert np.allclose(summed["production"], whole.set_index("start")["production"])
    assert areas.groupby("area")["km"].first().to_dict() == {"east": 2.0, "west": 1.5}
    # vehicle-seconds on the links are the travel time but for the queue spilled back to the origins
    width = float(run.parameters["record_interval"])
    assert 0.8 * run.total_travel_time < whole["accumulation"].sum() * width <= run.total_travel_time
    assert (whole["speed"].dropna() <= 72.0 + 1e-9).all()  # never above the free speed (20 m/s)
    with pytest.raises(ValueError, match="no area for link 'sb'"):
        run.mfd(areas={"ab": 1, "bc": 1, "cd": 2})


def test_the_time_space_diagram_follows_each_platoon():
    net, run = _corridor_run()
    table = run.time_space(["ab", "bc", "cd"])
    # every corridor platoon drives the three links in order, end to end
    through = table.groupby("platoon")["link"].agg(list)
    main = run.trips.index[run.trips["origin"] == "A"]
    assert (through.loc[main].map(tuple) == ("ab", "bc", "cd")).all()
    assert (table["leave"] >= table["enter"]).all()
    # free flow on 'ab': 1000 m at 20 m/s is 50 s (to one step of 5 s)
    ab = table[table["link"] == "ab"]
    assert (ab["leave"] - ab["enter"]).min() == pytest.approx(50.0, abs=5.0)
    # the queue before the bottleneck: late platoons spend longer on 'bc'
    bc = table[table["link"] == "bc"].sort_values("enter")
    assert (bc["leave"] - bc["enter"]).iloc[-20:].mean() > 1.8 * (bc["leave"] - bc["enter"]).iloc[:5].mean()
    assert set(zip(table["x_from"], table["x_to"])) == {(0.0, 1000.0), (1000.0, 2000.0), (2000.0, 3000.0)}
    with pytest.raises(ValueError, match="link 'cd' does not start where the one before ends"):
        run.time_space(["ab", "cd"])


def test_network_frames_one_per_bin(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    net, run = _corridor_run()
    xy = {"A": (0, 0), "B": (1000, 0), "C": (2000, 0), "D": (3000, 0), "S": (1000, 500)}
    paths = run.network_frames(xy, tmp_path / "frames")
    assert len(paths) == int(run.data["bins"][0]) and all(p.stat().st_size > 1000 for p in paths)
    ax = run.plot_time_space(["ab", "bc", "cd"])
    assert len(ax.collections[0].get_segments()) == len(run.time_space(["ab", "bc", "cd"]))
    with pytest.raises(ValueError, match="no position for node 'S'"):
        run.plot_network({k: v for k, v in xy.items() if k != "S"}, 0)
    run.plot_mfd(areas=np.array(["w", "e", "e", "w"]))


def test_an_interrupted_frame_leaves_the_earlier_one_whole(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    net, run = _corridor_run()
    xy = {"A": (0, 0), "B": (1000, 0), "C": (2000, 0), "D": (3000, 0), "S": (1000, 500)}
    first = run.network_frames(xy, tmp_path)[0]
    before = first.read_bytes()

    def interrupted(self, fname, **kwargs):
        with open(fname, "wb") as f:
            f.write(b"half a png")
        raise KeyboardInterrupt

    monkeypatch.setattr(Figure, "savefig", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run.network_frames(xy, tmp_path)
    assert first.read_bytes() == before and not list(tmp_path.glob("*.partial"))
