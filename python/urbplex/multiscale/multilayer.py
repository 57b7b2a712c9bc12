"""Multilayer graphs (street + transit): layers joined by typed transfer edges.

Aleta, Meloni & Moreno, "A multilayer perspective for the analysis of urban
transportation systems", Sci. Rep. 7, 44359 (2017). Supra-adjacency and
supra-Laplacian as in Gómez et al., "Diffusion dynamics on multiplex
networks", PRL 110, 028701 (2013): for two identical layers coupled node to
node with weight p, lambda_2 of the supra-Laplacian is 2p while p is below
lambda_2(L) / 2.
"""
from __future__ import annotations

from typing import Mapping, Optional

import numpy as np

from .. import _interrupt
from .._validate import float_array, index_array
from ..graph import Graph


class Multilayer:
    """Named layers (Graphs) plus interlayer transfer edges with a weight, a cost and a type.

    Node v of layer ``name`` is supra-node ``offset(name) + v``.
    """

    def __init__(self, layers: Mapping[str, Graph]):
        if not layers:
            raise ValueError("argument 'layers': need at least one layer")
        for name, g in layers.items():
            if not isinstance(g, Graph):
                raise TypeError(f"argument 'layers': layer {name!r} is not an urbplex.Graph")
        self.layers = dict(layers)
        self._offsets = dict(zip(self.layers, np.cumsum([0] + [g.n for g in self.layers.values()])[:-1]))
        self.transfers = {k: np.zeros(0, dtype=np.int64) for k in ("source", "target")}
        self.transfers.update({"weight": np.zeros(0), "cost": np.zeros(0), "kind": np.zeros(0, dtype=object)})

    @property
    def n(self) -> int:
        """Total number of nodes over all layers."""
        return int(sum(g.n for g in self.layers.values()))

    def offset(self, layer: str) -> int:
        """Index of the first node of ``layer`` in the supra-graph numbering."""
        if layer not in self._offsets:
            raise ValueError(f"argument 'layer': unknown layer {layer!r} (layers: {list(self.layers)})")
        return int(self._offsets[layer])

    def add_transfers(self, layer_a: str, nodes_a, layer_b: str, nodes_b, *, weight=1.0, cost=0.0,
                      kind: str = "transfer") -> "Multilayer":
        """Join node nodes_a[i] of layer_a with nodes_b[i] of layer_b (undirected)."""
        a = index_array("nodes_a", nodes_a, n=self.layers[layer_a].n if layer_a in self.layers else None)
        b = index_array("nodes_b", nodes_b, n=self.layers[layer_b].n if layer_b in self.layers else None)
        if a.size != b.size:
            raise ValueError(f"argument 'nodes_b': has {b.size} nodes, 'nodes_a' has {a.size}")
        w = float_array("weight", np.broadcast_to(weight, a.shape), non_negative=True)
        c = float_array("cost", np.broadcast_to(cost, a.shape), non_negative=True)
        t = self.transfers
        t["source"] = np.r_[t["source"], a.astype(np.int64) + self.offset(layer_a)]
        t["target"] = np.r_[t["target"], b.astype(np.int64) + self.offset(layer_b)]
        t["weight"], t["cost"] = np.r_[t["weight"], w], np.r_[t["cost"], c]
        t["kind"] = np.r_[t["kind"], np.full(a.size, kind, dtype=object)]
        return self

    def supra_adjacency(self, *, weight: Optional[str] = None):
        """The (N x N) supra-adjacency matrix as scipy.sparse (intralayer weights from ``weight``, else 1)."""
        import scipy.sparse as sp

        rows, cols, vals = [], [], []
        for name, g in self.layers.items():
            off = self.offset(name)
            w = np.ones(g.m) if weight is None else g.numeric_edge(weight)
            rows += [g.edge_sources + off, g.edge_targets + off]
            cols += [g.edge_targets + off, g.edge_sources + off]
            vals += [w, w]
        t = self.transfers
        rows += [t["source"], t["target"]]
        cols += [t["target"], t["source"]]
        vals += [t["weight"], t["weight"]]
        return sp.coo_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                            shape=(self.n, self.n)).tocsr()

    def supra_laplacian(self, *, weight: Optional[str] = None):
        """D - A of the supra-adjacency (scipy.sparse)."""
        import scipy.sparse as sp

        a = self.supra_adjacency(weight=weight)
        return (sp.diags_array(np.asarray(a.sum(axis=1)).ravel()) - a).tocsr()

    def algebraic_connectivity(self, *, weight: Optional[str] = None) -> float:
        """lambda_2 of the supra-Laplacian (dense up to 4000 supra-nodes, else Lanczos)."""
        lap = self.supra_laplacian(weight=weight)
        if self.n <= 4000:
            return float(_interrupt.eigvalsh(lap)[1])
        from scipy.sparse.linalg import eigsh

        return float(np.sort(eigsh(lap.astype(float), k=2, sigma=-1e-8, which="LM")[0])[1])

    def flatten(self, *, length: str = "length") -> Graph:
        """One Graph of all supra-nodes: intralayer edges with their ``length``,
        transfer edges with their cost as length; node attribute ``layer``."""
        src, dst, lens, layer_id = [], [], [], []
        for k, (name, g) in enumerate(self.layers.items()):
            off = self.offset(name)
            if length not in g.edge_attr_names:
                raise ValueError(f"layer {name!r} has no edge attribute {length!r}")
            src.append(g.edge_sources + off)
            dst.append(g.edge_targets + off)
            lens.append(g.numeric_edge(length))
            layer_id.append(np.full(g.n, k, dtype=np.float64))
        t = self.transfers
        src.append(t["source"])
        dst.append(t["target"])
        lens.append(t["cost"])
        return Graph.from_arrays(np.concatenate(src), np.concatenate(dst), n=self.n,
                                 node_attrs={"layer": np.concatenate(layer_id)},
                                 edge_attrs={"length": np.concatenate(lens)})

    def save(self, path, name: str, *, overwrite: bool = False) -> None:
        """Layers as graphs ``<name>.<layer>``, transfers as the run ``<name>`` (model 'multilayer')."""
        from ..result import RunResult

        for lname, g in self.layers.items():
            g.save(path, f"{name}.{lname}", overwrite=overwrite)
        kinds = sorted(set(self.transfers["kind"].tolist()))
        codes = np.array([kinds.index(k) for k in self.transfers["kind"]], dtype=np.int64)
        t = self.transfers
        RunResult({"source": t["source"], "target": t["target"], "weight": t["weight"], "cost": t["cost"],
                   "kind": codes}, model="multilayer", parameters={"layers": list(self.layers), "kinds": kinds}
                  ).save(path, name, overwrite=overwrite)

    @classmethod
    def load(cls, path, name: str) -> "Multilayer":
        """Load a Multilayer saved with :meth:`save` from the HDF5 store at ``path``."""
        from ..result import RunResult

        run = RunResult.load(path, name)
        where = f"multilayer graph '{name}' in '{path}'"
        if run.model != "multilayer":
            raise OSError(f"run '{name}' in '{path}' is a {run.model!r} run, not a multilayer graph")
        layers, kinds = run.parameters.get("layers"), run.parameters.get("kinds")
        if not isinstance(layers, list) or not all(isinstance(x, str) for x in layers) or not isinstance(kinds, list):
            raise OSError(f"{where} is damaged: its parameters do not list the layers and transfer kinds")
        missing = [k for k in ("source", "target", "weight", "cost", "kind") if k not in run.data]
        if missing:
            raise OSError(f"{where} is damaged: missing datasets {missing}")
        ml = cls({lname: Graph.load(path, f"{name}.{lname}") for lname in layers})
        size = run.data["source"].size
        if any(run.data[k].shape != (size,) for k in ("target", "weight", "cost", "kind")):
            raise OSError(f"{where} is damaged: the transfer columns differ in length")
        total = sum(g.n for g in ml.layers.values())
        code = run.data["kind"]
        if size and (code.dtype.kind not in "iu" or code.min() < 0 or code.max() >= len(kinds)
                     or run.data["source"].min() < 0 or run.data["source"].max() >= total
                     or run.data["target"].min() < 0 or run.data["target"].max() >= total):
            raise OSError(f"{where} is damaged: transfers name nodes or kinds that do not exist")
        kinds = np.array(kinds, dtype=object)
        ml.transfers = {"source": run.data["source"].astype(np.int64), "target": run.data["target"].astype(np.int64),
                        "weight": run.data["weight"], "cost": run.data["cost"],
                        "kind": kinds[code] if size else np.zeros(0, dtype=object)}
        return ml

    def shortest_paths(self, layer: str, node: int, *, length: str = "length") -> dict:
        """Dijkstra from (layer, node) across layers, transfers costing their ``cost``:
        distances to every node, per layer."""
        flat = self.flatten(length=length)
        dist, _ = flat.shortest_paths(self.offset(layer) + int(node), weight="length")
        return {name: dist[self.offset(name): self.offset(name) + g.n] for name, g in self.layers.items()}


def multiplex(a: Graph, b: Graph, p: float, *, names=("a", "b")) -> Multilayer:
    """Two layers on the same nodes, coupled node to node with strength ``p`` in [0, 1]
    (the fraction of a node's activity that crosses to its replica)."""
    if a.n != b.n:
        raise ValueError(f"a multiplex needs layers of one node set, got {a.n} and {b.n} nodes")
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating, np.integer)) or not 0 <= p <= 1:
        raise ValueError(f"argument 'p': the coupling must be a number in [0, 1], got {p!r}")
    ml = Multilayer({names[0]: a, names[1]: b})
    nodes = np.arange(a.n)
    return ml.add_transfers(names[0], nodes, names[1], nodes, weight=p, kind="coupling")
