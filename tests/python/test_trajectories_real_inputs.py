"""Issue 35, items 7 and 8: times that used to be read wrong silently."""
import numpy as np
import pandas as pd
import pytest

import urbplex as ux


def _trace(times):
    n = len(times)
    return pd.DataFrame({"uid": ["cab"] * n, "lat": 37.77 + np.r_[np.zeros(n // 2), np.full(n - n // 2, 0.02)],
                         "lng": np.full(n, -122.42), "datetime": times})


def test_unix_seconds_need_their_unit():
    """A cab trace with `timestamp` in unix seconds: 20 minutes at one place, then at another."""
    stamps = 1_211_018_404 + 60 * np.arange(40)
    frame = _trace(stamps)
    with pytest.raises(ValueError, match=r"column 'datetime' holds numbers \(1211018404, \.\.\.\).*time_unit='s'"):
        ux.mobility.trajectories(frame)
    tr = ux.mobility.trajectories(frame, time_unit="s")
    as_dates = ux.mobility.trajectories(frame.assign(datetime=pd.to_datetime(stamps, unit="s", utc=True)))
    np.testing.assert_array_equal(tr.time, as_dates.time)
    assert tr.time[-1] - tr.time[0] == 39 * 60
    ms = ux.mobility.trajectories(frame.assign(datetime=stamps * 1000.0), time_unit="ms")
    np.testing.assert_array_equal(ms.time, tr.time)
    stops = tr.stops(minutes=5.0, radius_km=0.2)
    assert len(stops.time) == 2  # two stays of 20 min, not 0 stops of nanoseconds
    with pytest.raises(ValueError, match="time_unit"):
        ux.mobility.trajectories(frame, time_unit="seconds")


def test_iso_times_across_a_daylight_saving_change_go_to_utc_keeping_their_offsets():
    times = ["2021-03-28T01:30:00+01:00", "2021-03-28T01:50:00+01:00", "2021-03-28T03:10:00+02:00",
             "2021-03-28T03:40:00+02:00"]
    tr = ux.mobility.trajectories(_trace(times))
    np.testing.assert_array_equal(tr.time - tr.time[0], [0, 1200, 2400, 4200])  # 03:10+02 is 01:10 UTC
    np.testing.assert_array_equal(tr.extra["utc_offset"], [3600, 3600, 7200, 7200])


def test_mixed_user_ids_and_bad_night_hours_are_named():
    frame = _trace(["2021-01-01T00:00:00", "2021-01-01T01:00:00"]).assign(uid=[1, "a"])
    with pytest.raises(TypeError, match="column 'uid' mixes user ids of types int, str"):
        ux.mobility.trajectories(frame)
    tr = ux.mobility.trajectories(frame.assign(uid=["a", "a"]))
    for bad in ("25:00", "7", "07:60"):
        with pytest.raises(ValueError, match=r"home_location: times are 'HH:MM'"):
            tr.home_location(start_night=bad)


def test_projected_points_are_read_through_their_crs():
    # issue 35 item 10: a GeoDataFrame in EPSG:3857 failed with "lat 4863036 not within [-90, 90]"
    gpd = pytest.importorskip("geopandas")
    df = pd.DataFrame({"uid": [1, 1, 2], "datetime": pd.to_datetime(["2020-01-01 10:00", "2020-01-01 11:00",
                                                                      "2020-01-01 12:00"])})
    wgs = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy([2.35, 2.36, 2.37], [48.85, 48.86, 48.87]), crs=4326)
    t = ux.mobility.trajectories(wgs.to_crs(3857))
    np.testing.assert_allclose(t.to_frame()["lat"], [48.85, 48.86, 48.87], atol=1e-9)
    with pytest.raises(ValueError, match="projected coordinates"):
        ux.mobility.trajectories(wgs.to_crs(3857).set_crs(None, allow_override=True))


def test_the_location_index_is_computed_once_per_trajectories():
    # issue 35 item 11: every measure re-ran np.unique over the coordinates
    df = pd.DataFrame({"uid": [1, 1, 1, 2, 2], "lat": [40.0, 40.1, 40.0, 40.2, 40.1],
                       "lng": [116.0, 116.1, 116.0, 116.2, 116.1],
                       "datetime": pd.date_range("2024-01-01", periods=5, freq="1h")})
    t = ux.mobility.trajectories(df)
    first = t.locations()[0]
    assert t.locations()[0] is first  # cached
    before = t.number_of_locations().to_numpy()
    t.lat = np.array([40.0, 40.1, 40.3, 40.2, 40.1])  # a new array: the index is recomputed
    assert t.locations()[0] is not first
    assert t.number_of_locations().to_numpy().tolist() == [3, 2] and before.tolist() == [2, 2]
