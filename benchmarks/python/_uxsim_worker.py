"""Runs one traffic scenario (JSON spec, see bench_traffic.py) in UXsim and
prints its totals and timing as JSON. Executed with the interpreter of the
separate UXsim venv (pip install uxsim); called by bench_traffic.py."""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def main(spec_path):
    import uxsim

    with open(spec_path) as f:
        spec = json.load(f)
    p = spec["params"]
    W = uxsim.World(name="", deltan=p["platoon"], tmax=p["horizon"], reaction_time=p["reaction_time"],
                    duo_update_time=p["route_interval"], duo_update_weight=p["duo_weight"], print_mode=0,
                    save_mode=0, show_mode=0, random_seed=p["seed"])
    for n in spec["nodes"]:
        W.addNode(str(n), 0, 0)
    for name, a, b, length, u, kappa, prio in spec["links"]:
        W.addLink(str(name), str(a), str(b), length=length, free_flow_speed=u, jam_density=kappa,
                  merge_priority=prio)
    for o, d, t0, t1, flow in spec["demands"]:
        W.adddemand(str(o), str(d), t0, t1, flow)
    t = time.perf_counter()
    W.exec_simulation()
    elapsed = time.perf_counter() - t
    dn = W.DELTAN
    done = [v for v in W.VEHICLES.values() if v.state == "end"]
    links = {l.name: l for l in W.LINKS}
    out = {"seconds": elapsed, "platoons": len(W.VEHICLES), "completed": len(done) / max(len(W.VEHICLES), 1),
           "total_travel_time": sum(v.travel_time for v in done) * dn,
           # per platoon, in creation order (the demand's order): travel time, -1 if not arrived
           "travel_times": [float(v.travel_time) if v.state == "end" else -1.0 for v in W.VEHICLES.values()],
           "departures": {name: list(map(float, links[name].cum_departure)) for name in spec.get("track", [])}}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
