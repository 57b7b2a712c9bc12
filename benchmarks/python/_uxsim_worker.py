"""Runs one traffic scenario (JSON spec, see bench_traffic.py) in UXsim and
prints its totals and timing as JSON. Executed with the interpreter of the
separate UXsim venv (pip install uxsim); called by bench_traffic.py."""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def world(spec):
    import uxsim

    p = spec["params"]
    engine = {"cpp": True} if spec.get("cpp") else {}
    W = uxsim.World(name="", deltan=p["platoon"], tmax=p["horizon"], reaction_time=p["reaction_time"],
                    duo_update_time=p["route_interval"], duo_update_weight=p["duo_weight"], print_mode=0,
                    save_mode=0, show_mode=0, random_seed=p["seed"], **engine)
    node_extra = spec.get("node_extra", {})  # per node: signal, signal_offset, flow_capacity
    for n in spec["nodes"]:
        W.addNode(str(n), 0, 0, **node_extra.get(str(n), {}))
    link_extra = spec.get("link_extra", {})  # per link: number_of_lanes, jam_density_per_lane, signal_group
    for name, a, b, length, u, kappa, prio, *cap in spec["links"]:
        extra = {"capacity_out": cap[0]} if cap and cap[0] is not None else {}
        extra.update(link_extra.get(str(name), {}))
        if "jam_density_per_lane" in extra:
            kappa = 0.2  # UXsim reads jam_density_per_lane only when jam_density is its default
        W.addLink(str(name), str(a), str(b), length=length, free_flow_speed=u, jam_density=kappa,
                  merge_priority=prio, **extra)
    for o, d, t0, t1, flow in spec["demands"]:
        W.adddemand(str(o), str(d), t0, t1, flow)
    return W


def due(spec):
    """UXsim's day-to-day DUE solver (route swapping with probability swap_prob)."""
    import contextlib
    import io

    from uxsim.DTAsolvers import SolverDUE

    solver = SolverDUE(lambda: world(spec))
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        W = solver.solve(max_iter=spec["due"]["max_iter"], print_progress=False)
    elapsed = time.perf_counter() - t
    first_links = [v.traveled_route()[0].links[0].name for v in W.VEHICLES.values()]
    return {"seconds": elapsed, "iterations": spec["due"]["max_iter"], "ttts": [float(x) for x in solver.ttts],
            "first_links": first_links}


def main(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    if "due" in spec:
        print(json.dumps(due(spec)))
        return
    W = world(spec)
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
