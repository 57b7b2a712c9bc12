"""Runs scikit-mobility's GeoLife pipeline (filter, stay_locations, measures)
and writes its stops and measures to a .npz, with timings as JSON on stdout.
Executed with the interpreter of the separate scikit-mobility venv (see
requirements-skmob.txt); called by bench_trajectories.py."""
import json
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def main(src, out_path, minutes, radius_km):
    import pandas as pd
    import skmob
    from skmob.measures import individual as ind
    from skmob.preprocessing import compression, detection, filtering

    df = pd.read_csv(src)
    times = {}
    t = time.perf_counter()
    tdf = skmob.TrajDataFrame(df, latitude="lat", longitude="lng", datetime="datetime", user_id="uid")
    times["read_s"] = time.perf_counter() - t
    t = time.perf_counter()
    f = filtering.filter(tdf, max_speed_kmh=500.0)
    times["filter_s"] = time.perf_counter() - t
    t = time.perf_counter()
    st = detection.stay_locations(f, minutes_for_a_stop=minutes, spatial_radius_km=radius_km, leaving_time=True)
    times["stops_s"] = time.perf_counter() - t
    t = time.perf_counter()
    c = compression.compress(tdf, spatial_radius_km=radius_km)
    times["compress_s"] = time.perf_counter() - t
    t = time.perf_counter()
    rg = ind.radius_of_gyration(st, show_progress=False)
    kr = ind.k_radius_of_gyration(st, k=2, show_progress=False)
    ue = ind.uncorrelated_entropy(st, show_progress=False)
    nl = ind.number_of_locations(st, show_progress=False)
    hl = ind.home_location(st, show_progress=False)
    md = ind.max_distance_from_home(st, show_progress=False)
    re_ = ind.real_entropy(st, show_progress=False)
    times["measures_s"] = time.perf_counter() - t
    np.savez(out_path, filtered=len(f), compressed=len(c), uid=st["uid"].astype(str).to_numpy(),
             lat=st["lat"].to_numpy(), lng=st["lng"].to_numpy(),
             start=st["datetime"].astype("int64").to_numpy() / 1e9,
             leave=st["leaving_datetime"].astype("int64").to_numpy() / 1e9,
             m_uid=rg["uid"].astype(str).to_numpy(), rg=rg["radius_of_gyration"].to_numpy(),
             kr=kr.set_index("uid").loc[rg["uid"], "2k_radius_of_gyration"].to_numpy(),
             ue=ue.set_index("uid").loc[rg["uid"], "uncorrelated_entropy"].to_numpy(),
             nl=nl.set_index("uid").loc[rg["uid"], "number_of_locations"].to_numpy(),
             home_lat=hl.set_index("uid").loc[rg["uid"], "lat"].to_numpy(),
             home_lng=hl.set_index("uid").loc[rg["uid"], "lng"].to_numpy(),
             md=md.set_index("uid").loc[rg["uid"], "max_distance_from_home"].to_numpy(),
             re=re_.set_index("uid").loc[rg["uid"], "real_entropy"].to_numpy())
    print(json.dumps(times))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
