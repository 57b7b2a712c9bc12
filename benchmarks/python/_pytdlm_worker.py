"""Runs pytdlm (TDLM's Python port, `import TDLM`) in its own venv for bench_tdlm.py.

Usage: python _pytdlm_worker.py INPUT.npz TASK OUTPUT.npz
INPUT holds mi, mj, oi, dj, distance, obs and the task's settings; TASK is
'expected' (every law x model, average=True), 'replicates' (every law x model,
draws), or 'grid' (timing of run_law_model_gof over laws x models x values).
Prints one JSON line with timings.
"""
import json
import sys
import time

import numpy as np
import TDLM

LAWS = ["GravExp", "NGravExp", "GravPow", "NGravPow", "Schneider", "Rad", "RadExt", "Rand"]
MODELS = ["UM", "PCM", "ACM", "DCM"]


def main():
    inp, task, out = sys.argv[1], sys.argv[2], sys.argv[3]
    z = np.load(inp, allow_pickle=False)
    mi, mj, oi, dj, dist = z["mi"], z["mj"], z["oi"], z["dj"], z["distance"]
    params = json.loads(str(z["params"]))  # law -> list of values
    processes = int(z["processes"])
    result, timing = {}, {}
    laws = json.loads(str(z["laws"])) if "laws" in z else LAWS
    sij = None
    if any(law in ("Schneider", "Rad", "RadExt") for law in laws):  # as TDLM, only for the laws that use it
        t = time.perf_counter()
        sij = TDLM.extract_opportunities(mj, dist, processes=processes, verbose=False)
        timing["opportunities"] = time.perf_counter() - t
    models = json.loads(str(z["models"])) if "models" in z else MODELS
    for law in laws:
        for model in models:
            values = np.asarray(params[law], dtype=float)
            t = time.perf_counter()
            if task == "expected":
                res = TDLM.run_law_model(law=law, mass_origin=mi, mass_destination=mj, distance=dist,
                                         opportunity=sij, exponent=values, model=model, out_trips=oi,
                                         in_trips=dj, average=True, repli=1, processes=processes,
                                         verbose=False)
            elif task == "replicates":
                res = TDLM.run_law_model(law=law, mass_origin=mi, mass_destination=mj, distance=dist,
                                         opportunity=sij, exponent=values, model=model, out_trips=oi,
                                         in_trips=dj, average=False, repli=int(z["replicates"]),
                                         processes=processes, random_seed=int(z["seed"]), verbose=False)
            else:  # grid: simulation and measures, as a user of the package runs them
                res = TDLM.run_law_model_gof(law=law, mass_origin=mi, mass_destination=mj, distance=dist,
                                             obs=z["obs"], opportunity=sij, exponent=values, model=model,
                                             out_trips=oi, in_trips=dj, repli=int(z["replicates"]),
                                             processes=processes, random_seed=int(z["seed"]), verbose=False)
                res = None
            timing[f"{law}/{model}"] = time.perf_counter() - t
            if res is None:
                continue
            if not isinstance(res, dict):
                res = {values[0] if law not in ("Rad", "Rand") else None: res}
            for k, (value, mat) in enumerate(res.items()):
                result[f"{law}/{model}/{k}"] = np.asarray(mat)
    np.savez_compressed(out, **result)
    print(json.dumps(timing))


if __name__ == "__main__":
    main()
