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


def stable_home_distance(traj):
    """max_distance_from_home with scikit-mobility's home rule (most night
    records, groupby over (lat, lng), then sort_values descending) but a stable
    sort, so that ties keep groupby's order (the smallest lat, lng). Its own
    sort_values uses quicksort, whose order among ties is arbitrary; returns
    (distance, whether the top count was tied)."""
    import pandas as pd
    from skmob.utils.gislib import getDistance

    night = traj.set_index(pd.DatetimeIndex(traj.datetime)).between_time("22:00", "07:00")
    src = night if len(night) else traj
    counts = src.groupby(["lat", "lng"]).count().sort_values(by="datetime", ascending=False, kind="stable")
    home = counts.iloc[0].name
    tied = len(counts) > 1 and counts["datetime"].iloc[1] == counts["datetime"].iloc[0]
    pts = traj.sort_values(by="datetime")[["lat", "lng"]].values
    return max(getDistance(p, home) for p in pts), tied


def main(src, out_path, minutes, radius_km):
    import pandas as pd
    import skmob
    from skmob.measures import individual as ind
    from skmob.preprocessing import clustering, compression, detection, filtering

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
    t = time.perf_counter()
    cl = clustering.cluster(st, cluster_radius_km=0.1, min_samples=1)
    times["cluster_s"] = time.perf_counter() - t
    stable = {u: stable_home_distance(g) for u, g in st.groupby("uid")}
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
             re=re_.set_index("uid").loc[rg["uid"], "real_entropy"].to_numpy(),
             md_stable=np.array([stable[u][0] for u in rg["uid"]]),
             home_tied=np.array([stable[u][1] for u in rg["uid"]]),
             cluster=cl["cluster"].to_numpy(), cluster_uid=cl["uid"].astype(str).to_numpy(),
             cluster_lat=cl["lat"].to_numpy(), cluster_lng=cl["lng"].to_numpy())
    print(json.dumps(times))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
