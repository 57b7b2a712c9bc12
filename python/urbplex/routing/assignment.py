"""Static user-equilibrium traffic assignment with BPR costs.

MSA, Frank-Wolfe (LeBlanc, Morlok & Pierskalla 1975), conjugate and
bi-conjugate Frank-Wolfe (Mitradjieva & Lindberg, Transp. Sci. 2013), and
the origin-based Algorithm B (Dial, Transp. Res. B 40, 917, 2006), which
reaches relative gaps of 1e-8 and below;
BPR t = t0 (1 + alpha (x/c)^beta), alpha = 0.15, beta = 4 by default
(Bureau of Public Roads 1964) or per link from edge attributes.
"""
from __future__ import annotations

import re
from typing import Optional, Union

import numpy as np

from .. import _core
from .._graph_arg import graph_of
from .._progress import progress_callback
from .._validate import as_numbers, check_float, check_int
from ..graph import Graph
from ..result import RunResult, register_result
from ..provenance import records_lineage

METHODS = ("msa", "fw", "cfw", "bfw", "algorithm_b")


@register_result
class AssignmentResult(RunResult):
    """Link flows and congested times at equilibrium, one per edge of the graph,
    the relative gap after each iteration (``gaps``) and the wall time at each
    (``seconds``); for Algorithm B, the memory its bushes held
    (``data['bush_bytes']``)."""

    model = "assignment"
    units = {"flow": "vehicles per demand period", "free_flow_time": "unit of the graph's free_flow_time",
             "congested_time": "unit of the graph's free_flow_time", "gaps": "relative gap",
             "seconds": "s (wall time since the call began, at each gap)",
             "tstt": "vehicles x time unit", "sptt": "vehicles x time unit",
             "bush_bytes": "bytes (Algorithm B: its packed bushes at the end)"}

    @property
    def converged(self) -> bool:
        """True if the relative gap reached the requested ``gap``."""
        return bool(self.data["converged"][0])

    @property
    def tstt(self) -> float:
        """Total system travel time, sum of flow x congested time."""
        return float(self.data["tstt"][0])

    @property
    def speed_ratio(self) -> np.ndarray:
        """Free-flow time / congested time per edge (1 = free flow, -> 0 = jammed)."""
        ct = self.data["congested_time"]
        return np.where(ct > 0, self.data["free_flow_time"] / np.where(ct > 0, ct, 1.0), 1.0)

    def to_frame(self):
        """One row per link: ``source``, ``target`` (graph node ids), for a
        graph read from TNTP files ``init_node`` and ``term_node`` (the
        file's node ids), for a graph with :attr:`~urbplex.Graph.labels`
        ``source_label`` and ``target_label`` (integers, or text: keys
        that are neither, such as tuples, as their ``str``), ``flow`` (vehicles per period), ``free_flow_time``,
        ``congested_time`` (the link cost at the flow) and ``speed_ratio``
        (free-flow over congested time)."""
        import pandas as pd

        columns = ("source", "target", "init_node", "term_node", "source_label", "target_label", "flow",
                   "free_flow_time", "congested_time")
        return pd.DataFrame({k: self.data[k] for k in columns if k in self.data}).assign(
            speed_ratio=self.speed_ratio)

    def apply(self, graph: Graph) -> Graph:
        """``graph`` with edge attributes flow, congested_time and speed_ratio."""
        return (graph.with_edge_attr("flow", self.data["flow"]).with_edge_attr("congested_time",
                                                                                 self.data["congested_time"])
                .with_edge_attr("speed_ratio", self.speed_ratio))

    def convergence(self):
        """The convergence curve: one row per iteration with ``iteration``,
        ``seconds`` (wall time since the call began) and ``gap`` (relative gap)."""
        import pandas as pd

        gaps = self.data["gaps"]
        seconds = self.data["seconds"] if "seconds" in self.data else np.full(gaps.size, np.nan)
        return pd.DataFrame({"iteration": np.arange(1, gaps.size + 1), "seconds": seconds, "gap": gaps})

    def plot(self, ax=None, x: str = "iteration"):
        """Relative gap (log scale) against ``x``: 'iteration' or 'seconds'
        (the gap-versus-time curve, to compare methods)."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        if x not in ("iteration", "seconds"):
            raise ValueError(f"argument 'x': must be 'iteration' or 'seconds', got {x!r}")
        curve = self.convergence()
        ax = ax or plt.gca()
        ax.semilogy(curve[x], curve["gap"], label=self.model.split(".")[-1])
        ax.set_xlabel("iteration" if x == "iteration" else "wall time (s)")
        ax.set_ylabel("relative gap")
        return ax


def _edge_values(g: Graph, name_or_value, what: str, default: Optional[float] = None) -> np.ndarray:
    if isinstance(name_or_value, str):
        if name_or_value in g.edge_attr_names:
            return np.ascontiguousarray(g.numeric_edge(name_or_value), dtype=np.float64)
        if default is None:
            raise ValueError(f"argument '{what}': the graph has no edge attribute {name_or_value!r}")
        return np.full(g.m, default)
    return np.full(g.m, check_float(what, name_or_value, minimum=0.0))


def demand_by_origin(demand, n: int, label=str, keys=None):
    """(origins, offsets, destinations, trips) from a dense matrix (zones x zones,
    zones <= n: the first nodes), a scipy.sparse matrix or a DataFrame with
    columns origin, destination, trips: vertex ids, or the graph's node keys
    ``keys`` (:attr:`Graph.labels`) when it has them. Errors name the first
    bad entry by ``label(node)`` (the user's node ids)."""
    import scipy.sparse as sp

    if hasattr(demand, "columns"):
        for c in ("origin", "destination", "trips"):
            if c not in demand.columns:
                raise ValueError(f"argument 'demand': the frame has no column {c!r}")
        o, d = (demand[c].to_numpy() for c in ("origin", "destination"))
        t = as_numbers("demand['trips']", demand["trips"])  # text, booleans or dates are no trip counts
        if keys is not None:  # the user's node keys -> vertex ids
            import pandas as pd

            index = pd.Index(keys)
            for name, col in (("origin", o), ("destination", d)):
                at = index.get_indexer(col)
                if (at < 0).any():
                    i = int(np.argmax(at < 0))
                    shown = repr(col[i]) if isinstance(col[i], str) else f"{col[i]}"
                    raise ValueError(f"argument 'demand': {name} {shown} in row {demand.index[i]!r} is not a node "
                                     "of the graph (its labels)")
            o, d = index.get_indexer(o), index.get_indexer(d)
        for name, col in (("origin", o), ("destination", d)):
            col_f = np.asarray(col, dtype=np.float64)
            bad = ~np.isfinite(col_f) | (col_f != np.floor(col_f))
            if bad.any():
                i = int(np.argmax(bad))
                raise ValueError(f"argument 'demand': {name} in row {i} is {col[i]}, not an integer node id")
        m = sp.coo_array((t.astype(np.float64), (o.astype(np.int64), d.astype(np.int64))))
    elif sp.issparse(demand):
        m = sp.coo_array(demand)
    else:
        arr = as_numbers("demand", demand)
        if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
            raise ValueError(f"argument 'demand': expected a square matrix, got shape {arr.shape}")
        m = sp.coo_array(arr)
    if not hasattr(demand, "columns") and (m.shape[0] > n or m.shape[1] > n):
        raise ValueError(f"argument 'demand': a {m.shape[0]} x {m.shape[1]} matrix for a graph of {n} nodes")
    outside = (m.row < 0) | (m.row >= n) | (m.col < 0) | (m.col >= n)
    if outside.any():  # a frame's ids
        i = int(np.argmax(outside))
        raise ValueError(f"argument 'demand': trips {m.data[i]:g} from {m.row[i]} to {m.col[i]} refer to a node "
                         f"outside the graph's {n} nodes (0..{n - 1})")
    bad = ~np.isfinite(m.data) | (m.data < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"argument 'demand': trips from {label(int(m.row[i]))} to {label(int(m.col[i]))} are "
                         f"{m.data[i]:g}; trips must be finite and >= 0")
    csr = sp.csr_array((m.data, (m.row, m.col)), shape=(n, n))
    csr.sum_duplicates()
    csr.eliminate_zeros()
    origins = np.flatnonzero(np.diff(csr.indptr)).astype(np.uint32)
    offsets = np.r_[0, np.cumsum(np.diff(csr.indptr)[origins])].astype(np.uint64)
    return origins, offsets, csr.indices.astype(np.uint32), csr.data.astype(np.float64)


def _first_thru(g: Graph) -> int:
    """Nodes flagged as centroids (node attribute 'centroid', set by the TNTP reader) form a prefix."""
    if "centroid" not in g.node_attr_names:
        return 0
    flags = g.numeric_node("centroid") > 0
    k = int(np.argmin(flags)) if not flags.all() else g.n
    if flags[k:].any():
        raise ValueError("node attribute 'centroid': centroids must be the first nodes (TNTP's zones 1..first thru - 1)")
    return k


def _labels(g: Graph):
    """The user's node ids: TNTP ids where the graph came from a TNTP file, its
    labels (:attr:`Graph.labels`) where it has them, else urbplex's."""
    if "tntp_id" in g.node_attr_names:
        ids = g.node("tntp_id")
        return lambda v: f"{int(ids[v])}"
    if g.labels is not None:
        keys = g.labels
        return lambda v: f"{keys[int(v)]}"
    return lambda v: f"{v}"


@records_lineage
def assign(graph, demand, *, method: str = "bfw", gap: float = 1e-4, max_iterations: int = 1000,
           first_thru_node: Optional[int] = None, capacity: str = "capacity", free_flow_time: str = "free_flow_time",
           alpha: Union[str, float] = "b", beta: Union[str, float] = "power", toll_factor: Optional[float] = None,
           distance_factor: Optional[float] = None, cost: str = "bpr", conical_alpha: Union[str, float] = 4.0,
           akcelik_j: Union[str, float] = 0.1, period: float = 60.0, level: Optional[int] = None,
           progress: bool = False) -> AssignmentResult:
    """User-equilibrium assignment of ``demand`` on a directed graph.

    ``demand``: a zones x zones matrix (dense or scipy.sparse; zones are the
    first nodes) or a DataFrame with columns origin, destination, trips in
    vertex ids, or in the graph's node keys where it has
    :attr:`~urbplex.Graph.labels` (e.g. OSM or GMNS node ids kept by
    :meth:`~urbplex.Graph.from_pandas`).

    ``method``: 'msa', 'fw' (exact line search), 'cfw', 'bfw' (default,
    bi-conjugate Frank-Wolfe) or 'algorithm_b' (Dial 2006: origin-based, each
    origin's flow on an acyclic bush; reaches gaps of 1e-8 and below, where
    Frank-Wolfe methods slow to a crawl near 1e-5 to 1e-6; memory: 1.6-5
    bytes per origin and link, the bushes stored packed). Stops when the
    relative gap (TSTT - SPTT) / TSTT reaches ``gap``; the result's
    :meth:`~AssignmentResult.convergence` holds gap against wall time. BPR
    alpha and beta come from edge attributes ('b', 'power' as in TNTP) or
    default to 0.15 and 4; alpha = 0 or beta = 0 is a constant-cost link.

    Nodes below ``first_thru_node`` (TNTP centroids) start and end trips but
    are not passed through; by default the graph's own ``centroid`` node
    attribute (set by :func:`urbplex.routing.tntp.read_net`) says which, else 0.

    Generalized cost = BPR time + toll_factor * toll + distance_factor *
    length (edge attributes 'toll' and 'length'). By default the graph's
    ``fixed_cost`` edge attribute (set by ``read_net`` from its factors) is
    added; give the factors to override it.

    ``cost`` chooses the volume-delay function (all with the same fixed
    generalized-cost term):

    - 'bpr' (default): t0 (1 + alpha (x/cap)^beta);
    - 'conical': Spiess (Transp. Sci. 24, 153, 1990), t0 (2 + sqrt(a^2 (1-v)^2
      + b^2) - a (1-v) - b), v = x/cap, b = (2a-1)/(2a-2), a = ``conical_alpha``
      (> 1; a number or an edge attribute name); finite and well behaved
      beyond capacity;
    - 'akcelik': Akcelik (Aust. Road Res. 21, 49, 1991), t0 + (T/4) [z +
      sqrt(z^2 + 8 J v / (cap T))], z = v - 1, J = ``akcelik_j`` (0.1 freeways
      ... 1.6 secondary streets), T = ``period`` in the unit of t0 (60: one
      hour in minutes) and cap per that period.

    OD pairs with trips and no path raise ValueError naming them, in the
    file's node ids for TNTP graphs. Cancellable with Ctrl-C.
    """
    g = graph_of(graph, level)
    if not g.directed:
        raise ValueError("argument 'graph': traffic assignment needs a directed graph (one edge per link direction)")
    if method not in METHODS:
        raise ValueError(f"argument 'method': must be one of {METHODS}, got {method!r}")
    gap = check_float("gap", gap, minimum=0.0)
    max_iterations = check_int("max_iterations", max_iterations, minimum=1, maximum=10**7)
    first_thru_node = (_first_thru(g) if first_thru_node is None
                       else check_int("first_thru_node", first_thru_node, minimum=0, maximum=g.n))
    label = _labels(g)
    cap = _edge_values(g, capacity, "capacity")
    fft = _edge_values(g, free_flow_time, "free_flow_time")
    if cost not in ("bpr", "conical", "akcelik"):
        raise ValueError(f"argument 'cost': must be 'bpr', 'conical' or 'akcelik', got {cost!r}")
    if cost == "bpr":
        a = _edge_values(g, alpha, "alpha", default=0.15)
        b = _edge_values(g, beta, "beta", default=4.0)
    else:  # the kernel's alpha column carries the function's own parameter; beta is unused
        name = "conical_alpha" if cost == "conical" else "akcelik_j"
        a = _edge_values(g, conical_alpha if cost == "conical" else akcelik_j, name)
        b = np.zeros(g.m)
        ok = a > 1 if cost == "conical" else a >= 0
        bad = ~(np.isfinite(a) & ok)
        if g.m and bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"argument '{name}': link {label(g.edge_sources[i])} -> {label(g.edge_targets[i])} has "
                             f"{a[i]:g} (must be {'> 1' if cost == 'conical' else '>= 0'})")
    period = check_float("period", period, minimum=0.0, strict_min=True)
    if toll_factor is None and distance_factor is None:
        fixed = g.numeric_edge("fixed_cost") if "fixed_cost" in g.edge_attr_names else np.zeros(0)
    else:
        tf = check_float("toll_factor", 0.0 if toll_factor is None else toll_factor, minimum=0.0)
        df = check_float("distance_factor", 0.0 if distance_factor is None else distance_factor, minimum=0.0)
        fixed = np.zeros(g.m)
        for factor, attr in ((tf, "toll"), (df, "length")):
            if factor:
                if attr not in g.edge_attr_names:
                    raise ValueError(f"argument '{attr}_factor' needs the edge attribute {attr!r}")
                fixed = fixed + factor * g.numeric_edge(attr)
    constant = (a == 0) if cost == "bpr" else np.zeros(g.m, dtype=bool)
    for name, values, ok, rule in (("capacity", cap, (cap > 0) | ((cap == 0) & constant),
                                    "must be > 0, or 0 on a constant-cost link (alpha = 0)"),
                                   ("free_flow_time", fft, fft >= 0, "must be >= 0"),
                                   ("alpha", a, a >= 0, "must be >= 0"),
                                   ("beta", b, (b >= 1) | (b == 0) | (a == 0), "must be >= 1, or 0 for a constant cost")):
        bad = ~(np.isfinite(values) & ok)
        if g.m and bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"argument '{name}': link {label(g.edge_sources[i])} -> {label(g.edge_targets[i])} "
                             f"has {name} {values[i]:g} ({rule})")
    if g.m and (cap == 0).any():  # constant-cost links: their capacity is never used, the kernel wants it > 0
        cap = np.where(cap == 0, 1.0, cap)
    origins, offsets, dests, trips = demand_by_origin(demand, g.n, label, g.labels)
    src, dst = g.edge_sources.astype(np.uint32), g.edge_targets.astype(np.uint32)
    try:
        with progress_callback(progress, f"assignment ({method})") as cb:
            r = _core.assign(src, dst, g.n, first_thru_node, cap, fft, a, b, origins, offsets, dests, trips, method,
                             gap, max_iterations, cb, np.ascontiguousarray(fixed, dtype=np.float64), cost, period)
    except ValueError as e:  # name nodes as the user knows them
        raise ValueError(re.sub(r"node (\d+)", lambda m: f"node {label(int(m.group(1)))}", str(e))) from None
    # congested_time is the BPR time; the generalized cost adds the fixed part.
    congested = r["cost"] - fixed if fixed.size else r["cost"]
    data = {"source": src, "target": dst, "flow": r["flow"], "free_flow_time": fft, "congested_time": congested,
            "generalized_cost": r["cost"],
            "gaps": r["gaps"], "seconds": r["seconds"], "tstt": np.array([r["tstt"]]), "sptt": np.array([r["sptt"]]),
            "beckmann": np.array([r["beckmann"]]), "converged": np.array([r["converged"]])}
    if method == "algorithm_b":
        data["bush_bytes"] = np.array([r["bush_bytes"]], dtype=np.int64)
    if "tntp_id" in g.node_attr_names:  # the file's node ids, to join with other tools' tables
        ids = g.numeric_node("tntp_id").astype(np.int64)
        data["init_node"], data["term_node"] = ids[src], ids[dst]
    elif g.labels is not None:  # the user's node keys (OSM, GMNS ids, names): saved with the result
        if all(isinstance(k, (int, np.integer)) and not isinstance(k, bool) and -2**63 <= k < 2**63 for k in g.labels):
            ids = np.asarray(g.labels, dtype=np.int64)
        else:  # text, and other keys (tuples) as their text: a run stores numbers or strings
            ids = np.array([k if isinstance(k, str) else str(k) for k in g.labels], dtype=object)
        data["source_label"], data["target_label"] = ids[src], ids[dst]
    return AssignmentResult(data, model=f"assignment.{method}",
                            parameters=dict(method=method, gap=gap, max_iterations=max_iterations,
                                            first_thru_node=first_thru_node, generalized=bool(np.any(fixed)),
                                            cost=cost))
