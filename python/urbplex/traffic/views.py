"""Area-wide views of a traffic run: the macroscopic fundamental diagram per
area, a time-space diagram along a route, and network frames for an
animation (matplotlib)."""
from __future__ import annotations

import os

import numpy as np

from .._validate import plain


def link_areas(run, areas) -> np.ndarray:
    """Per link (network order), its area label from an array in link order,
    a Series or a mapping link id -> area; ValueError naming a link without one."""
    import pandas as pd

    ids = run.link_ids
    if isinstance(areas, (pd.Series, dict)):
        table = areas if isinstance(areas, pd.Series) else pd.Series(areas)
        missing = pd.Index(ids).difference(table.index)
        if len(missing):
            raise ValueError(f"argument 'areas': no area for link {plain(missing[0])!r}")
        return table.reindex(ids).to_numpy()
    labels = np.asarray(areas)
    if labels.shape != (ids.size,):
        raise ValueError(f"argument 'areas': {labels.size} labels for {ids.size} links (one per link, in the "
                         f"network's order, or a mapping link id -> area)")
    return labels


def mfd_by_area(run, areas):
    """The MFD per area and time bin: accumulation (veh), production
    (veh km/h), space-mean speed (km/h) and lane-km of the area's links."""
    import pandas as pd

    bins = int(run.data["bins"][0])
    width = float(run.parameters["record_interval"])
    L = run.data["length"].size
    labels = link_areas(run, areas) if areas is not None else np.zeros(L, dtype=np.int64)
    codes, uniques = pd.factorize(labels, sort=True)
    k = len(uniques)
    vs = np.zeros((k, bins))
    vm = np.zeros((k, bins))
    np.add.at(vs, codes, run.data["vehicle_seconds"].reshape(L, bins))
    np.add.at(vm, codes, run.data["vehicle_metres"].reshape(L, bins))
    km = np.bincount(codes, weights=run.data["length"], minlength=k) / 1000
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.where(vs > 0, vm / vs * 3.6, np.nan)
    frame = pd.DataFrame({"area": np.repeat(np.asarray(uniques, dtype=object), bins),
                          "start": np.tile(np.arange(bins) * width, k),
                          "accumulation": (vs / width).ravel(), "production": (vm / width * 3.6).ravel(),
                          "speed": speed.ravel(), "km": np.repeat(km, bins)})
    return frame.drop(columns="area") if areas is None else frame


def time_space(run, route):
    """Per platoon and link of ``route`` (consecutive link ids) it drove: the
    time it entered and left the link (s) and the link's start and end along
    the route (m). Platoons still on a link at the horizon leave it then."""
    import pandas as pd

    ids = run.link_ids
    pos = pd.Index(ids).get_indexer(pd.Index(list(route), dtype=object))
    if (pos < 0).any():
        raise ValueError(f"argument 'route': link {plain(list(route)[int(np.argmax(pos < 0))])!r} is not in the network")
    frm, to = run.data["from_"], run.data["to"]
    if (frm[pos[1:]] != to[pos[:-1]]).any():
        k = int(np.argmax(frm[pos[1:]] != to[pos[:-1]])) + 1
        raise ValueError(f"argument 'route': link {plain(list(route)[k])!r} does not start where the one before ends")
    offset = np.concatenate([[0.0], np.cumsum(run.data["length"][pos])])
    where = np.full(ids.size, -1)
    where[pos] = np.arange(pos.size)
    start = run.data["route_start"].astype(np.int64)
    links, entry = run.data["route_links"].astype(np.int64), run.data["route_entry"].astype(np.int64)
    dt = run.dt
    horizon = int(run.data["steps"][0]) * dt
    n = np.diff(start)
    platoon = np.repeat(np.arange(n.size), n)
    last = np.zeros(links.size, dtype=bool)
    last[start[1:][n > 0] - 1] = True
    arrived = run.data["arrived"]
    leave_step = np.where(last, np.where(arrived[platoon] >= 0, arrived[platoon], -1), np.roll(entry, -1))
    t_in = entry * dt
    t_out = np.where(leave_step >= 0, leave_step * dt, horizon)
    on = where[links] >= 0
    k = where[links[on]]
    return pd.DataFrame({"platoon": platoon[on], "link": ids[links[on]], "enter": t_in[on], "leave": t_out[on],
                         "x_from": offset[k], "x_to": offset[k + 1]})


def plot_time_space(run, route, ax=None):
    """Time-space diagram along ``route``: each platoon a line from where and
    when it entered each link to where and when it left it."""
    from matplotlib.collections import LineCollection

    from .._optional import require

    plt = require("matplotlib.pyplot")
    table = time_space(run, route)
    ax = ax or plt.subplots(figsize=(7, 4))[1]
    segments = np.stack([np.column_stack([table["enter"] / 3600, table["x_from"] / 1000]),
                         np.column_stack([table["leave"] / 3600, table["x_to"] / 1000])], axis=1)
    ax.add_collection(LineCollection(segments, linewidths=0.6, colors="tab:blue", alpha=0.6))
    ax.autoscale()
    ax.set_xlabel("time (h)")
    ax.set_ylabel("distance along the route (km)")
    return ax


def node_positions(run, positions) -> np.ndarray:
    """(nodes, 2) coordinates in the network's node order, from a Graph with
    x / y node attributes (node ids = its node indices, as network_from_graph
    makes them) or a mapping node id -> (x, y)."""
    from ..graph import Graph

    nodes = run.node_ids
    if isinstance(positions, Graph):
        x, y = np.asarray(positions.numeric_node("x")), np.asarray(positions.numeric_node("y"))
        idx = np.asarray([int(v) for v in nodes])
        if idx.size and (idx.min() < 0 or idx.max() >= positions.n):
            raise ValueError("argument 'positions': the network's node ids are not this graph's node indices")
        return np.column_stack([x[idx], y[idx]])
    try:
        return np.array([positions[v] for v in nodes], dtype=np.float64).reshape(nodes.size, 2)
    except KeyError as err:
        raise ValueError(f"argument 'positions': no position for node {plain(err.args[0])!r}") from None


def relative_speed(run) -> np.ndarray:
    """(links, bins) space-mean speed over free speed (1 where a link was empty)."""
    bins = int(run.data["bins"][0])
    L = run.data["length"].size
    vs = run.data["vehicle_seconds"].reshape(L, bins)
    vm = run.data["vehicle_metres"].reshape(L, bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(vs > 0, vm / vs, np.nan) / run.data["free_speed"][:, None]
    return np.minimum(np.nan_to_num(r, nan=1.0), 1.0)


def plot_network(run, positions, time_bin: int, ax=None, r=None):
    """One frame: every link drawn from its tail to its head, coloured by its
    relative speed in ``time_bin`` (red: stopped, green: free flow)."""
    from matplotlib.collections import LineCollection

    from .._optional import require

    plt = require("matplotlib.pyplot")
    bins = int(run.data["bins"][0])
    if not 0 <= int(time_bin) < bins:
        raise ValueError(f"argument 'time_bin': {time_bin} is not in 0..{bins - 1}")
    xy = node_positions(run, positions) if not isinstance(positions, np.ndarray) else positions
    r = relative_speed(run) if r is None else r
    ax = ax or plt.subplots(figsize=(6, 6))[1]
    segments = np.stack([xy[run.data["from_"]], xy[run.data["to"]]], axis=1)
    lines = LineCollection(segments, cmap="RdYlGn", linewidths=0.8)
    lines.set_array(r[:, int(time_bin)])
    lines.set_clim(0, 1)
    ax.add_collection(lines)
    ax.autoscale()
    ax.set_aspect("equal")
    ax.set_axis_off()
    width = float(run.parameters["record_interval"])
    ax.set_title(f"{int(time_bin) * width / 3600:.2f} h")
    return ax


def network_frames(run, positions, directory, *, dpi: int = 80) -> list:
    """One PNG per time bin (frame_000.png, ...) in ``directory``: the
    network coloured by relative speed, the frames of an animation. Returns
    the paths."""
    from pathlib import Path

    from .._optional import require

    plt = require("matplotlib.pyplot")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    xy = node_positions(run, positions)
    r = relative_speed(run)
    paths = []
    for b in range(r.shape[1]):
        fig, ax = plt.subplots(figsize=(6, 6))
        plot_network(run, xy, b, ax=ax, r=r)
        path = out / f"frame_{b:03d}.png"
        partial = path.with_name(path.name + ".partial")
        try:  # written aside, then renamed: a crash or Ctrl-C leaves an earlier frame whole
            fig.savefig(partial, dpi=dpi, format="png")
            os.replace(partial, path)
        finally:
            plt.close(fig)
            partial.unlink(missing_ok=True)
        paths.append(path)
    return paths
