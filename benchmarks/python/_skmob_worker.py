"""Runs scikit-mobility on a tessellation written by bench_mobility.py and
prints timings as JSON. Executed with the interpreter of a separate venv
(scikit-mobility pins pandas 1.x, numpy 1.x and shapely 1.x); see
benchmarks/python/requirements-skmob.txt."""
import json
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def main(path, epr_agents, epr_days):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box
    from skmob.models.epr import DensityEPR
    from skmob.models.gravity import Gravity
    from skmob.models.radiation import Radiation

    d = np.load(path)
    lon, lat, rel, h = d["lon"], d["lat"], d["relevance"], float(d["half_side"])
    tess = gpd.GeoDataFrame({"tile_ID": [str(i) for i in range(lon.size)], "relevance": rel, "tot_outflow": rel},
                            geometry=[box(x - h, y - h, x + h, y + h) for x, y in zip(lon, lat)], crs="EPSG:4326")
    out = {}
    t = time.perf_counter()
    Gravity(gravity_type="singly constrained", deterrence_func_args=[-2.0]).generate(
        tess, tile_id_column="tile_ID", tot_outflows_column="tot_outflow", relevance_column="relevance",
        out_format="flows")
    out["gravity_s"] = time.perf_counter() - t
    t = time.perf_counter()
    Radiation().generate(tess, tile_id_column="tile_ID", tot_outflows_column="tot_outflow",
                         relevance_column="relevance", out_format="flows")
    out["radiation_s"] = time.perf_counter() - t
    start = pd.to_datetime("2024/01/01 08:00:00")
    end = start + pd.Timedelta(days=epr_days)
    t = time.perf_counter()
    traj = DensityEPR().generate(start, end, tess, n_agents=epr_agents, relevance_column="relevance", random_state=1)
    out["epr_s"] = time.perf_counter() - t
    out["epr_records"] = int(len(traj))
    out["epr_agents"] = int(traj["uid"].nunique())
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
