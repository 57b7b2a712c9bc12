"""The Graph type: an immutable CSR graph with named, typed node and edge attributes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping, Optional, Union, overload
import warnings

import numpy as np

from . import _core
from . import _attributes
from ._progress import progress_callback
from ._validate import UINT32_MAX, aligned, check_int, float_array, index_array

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class Components:
    """Connected components (weakly connected for directed graphs).

    ``labels[v]`` is the component of vertex v (numbered in order of their
    lowest vertex), ``sizes[c]`` the number of vertices of component c.
    """

    labels: np.ndarray
    sizes: np.ndarray

    @property
    def count(self) -> int:
        """Number of components."""
        return int(self.sizes.size)

    @property
    def largest(self) -> int:
        """Label of the largest component."""
        return int(np.argmax(self.sizes)) if self.sizes.size else -1

    @property
    def giant_fraction(self) -> float:
        """Fraction of the vertices in the largest component."""
        n = int(self.labels.size)
        return float(self.sizes.max()) / n if n else 0.0


class Graph:
    """A directed or undirected graph in compressed sparse row form.

    Vertices are ``0..n-1``; every edge has an id ``0..m-1``. Attributes are
    columns with one value per node or per edge (``x``, ``y``,
    ``population``; ``length``, ``capacity``, ``highway``...), of type float64,
    int64, bool or category (strings); NaN or None marks a missing value,
    which models that need the attribute refuse with an error naming it.
    :attr:`labels` keeps the user's node keys (OSM ids, names) and :attr:`crs`
    the coordinate reference system of ``x``/``y``. An undirected edge is
    stored as two arcs sharing one edge id. Graphs are immutable:
    :meth:`with_node_attr` and :meth:`with_edge_attr` return a new Graph that
    shares the topology. Memory: 12 bytes per arc for an undirected graph
    (:meth:`memory_bytes`).

    Build one with :meth:`from_arrays`, :meth:`from_networkx`,
    :meth:`from_igraph`, :meth:`from_pandas`, :meth:`from_osmnx` or a
    generator in :mod:`urbplex.generators`.
    """

    # _origin: "file:/graphs/name" once loaded from or saved to a store (lineage)
    # _fingerprint: content hash, computed once (urbplex.provenance.fingerprint)
    # _attrs: graph-level attributes (networkx's G.graph), JSON values
    __slots__ = ("_g", "_labels", "_crs", "_multigraph", "_units", "_origin", "_fingerprint", "_attrs")

    def __init__(self, native: Optional[_core.Graph] = None, *, labels=None, crs: Optional[str] = None,
                 multigraph: Optional[bool] = None, units: Optional[Mapping[str, str]] = None,
                 attrs: Optional[Mapping[str, Any]] = None):
        self._g = native if native is not None else _core.Graph()
        if labels is not None and len(labels) != self._g.n:
            raise ValueError(f"argument 'labels': has {len(labels)} keys, expected one per node ({self._g.n})")
        self._labels = None if labels is None else list(labels)
        self._crs = None if crs is None else str(crs)
        self._multigraph = multigraph
        self._units = dict(units or {})
        self._attrs = dict(attrs or {})
        self._origin: Optional[str] = None
        self._fingerprint: Optional[str] = None

    def _derived(self, native: _core.Graph) -> "Graph":
        """A Graph on ``native`` (same nodes) keeping this one's labels and CRS."""
        return Graph(native, labels=self._labels, crs=self._crs, multigraph=self._multigraph, units=self._units,
                     attrs=self._attrs)

    # ------------------------------------------------------- pickling, copies
    def __reduce__(self):
        # The edge list and the raw attribute columns with their types: rebuilding
        # from them gives the same CSR arrays (construction is deterministic), so
        # pickles work across process pools, Dask workers and joblib.
        def state(kind):
            names = self.node_attr_names if kind == "node" else self.edge_attr_names
            raw = self._g.node_attribute if kind == "node" else self._g.edge_attribute
            info = self._g.node_attribute_type if kind == "node" else self._g.edge_attribute_type
            return [(k, np.array(raw(k)), *info(k)[:2]) for k in names]

        return (_graph_from_state, (self.n, self.directed, np.array(self.edge_sources), np.array(self.edge_targets),
                                    state("node"), state("edge"), self._labels, self._crs, self._multigraph,
                                    self._units, self._attrs))

    def __copy__(self) -> "Graph":
        return self  # immutable: a copy would be indistinguishable

    def __deepcopy__(self, memo) -> "Graph":
        return self

    # ----------------------------------------------------------- construction
    @classmethod
    def from_arrays(cls, source, target, *, n: Optional[int] = None, directed: bool = False,
                    node_attrs: Optional[Mapping[str, Iterable[float]]] = None,
                    edge_attrs: Optional[Mapping[str, Iterable[float]]] = None) -> "Graph":
        """Build from two arrays of vertex ids (edge i joins source[i] and target[i]).

        ``n`` defaults to one more than the largest id (ids far beyond what the
        edges can touch, such as OSM node ids, are an error: see
        :meth:`from_pandas`, which keeps them as labels). Self-loops and
        parallel edges are kept. Attribute values must be finite; ``length``,
        ``capacity``, ``speed``, ``population``... must also be >= 0.
        """
        src = np.asarray(source)
        dst = np.asarray(target)
        if src.shape != dst.shape:
            raise ValueError(f"argument 'target': has shape {dst.shape} but 'source' has shape {src.shape}")
        if n is None:
            src = index_array("source", src)
            dst = index_array("target", dst)
            n = int(max(src.max(initial=0), dst.max(initial=0))) + 1 if src.size else 0
            if n > _sparse_id_limit(2 * src.size):
                raise ValueError(f"arguments 'source'/'target': vertex ids run to {n - 1} but {src.size} edges touch "
                                 f"at most {2 * src.size} vertices; ids here are vertex indices 0..n-1 (these look "
                                 "like external ids, e.g. OSM's: Graph.from_pandas keeps them as labels), or pass n "
                                 "to mean the isolated vertices")
        else:
            n = check_int("n", n, minimum=0, maximum=UINT32_MAX - 1)
            src = index_array("source", src, n=n)
            dst = index_array("target", dst, n=n)
        g = _core.Graph.from_edges(n, src, dst, bool(directed))
        graph = cls(g)
        for name, values in (node_attrs or {}).items():
            graph = graph.with_node_attr(name, values)
        for name, values in (edge_attrs or {}).items():
            graph = graph.with_edge_attr(name, values)
        return graph

    @overload
    @classmethod
    def from_networkx(cls, G, *, return_mapping: Literal[False] = ...) -> "Graph": ...
    @overload
    @classmethod
    def from_networkx(cls, G, *, return_mapping: Literal[True]) -> "tuple[Graph, list[Any]]": ...

    @classmethod
    def from_networkx(cls, G, *, return_mapping: bool = False) -> "Union[Graph, tuple[Graph, list[Any]]]":
        """From a networkx (Multi)(Di)Graph; see :func:`urbplex.interop.from_networkx`."""
        from .interop import from_networkx

        return from_networkx(G, return_mapping=return_mapping)

    @overload
    @classmethod
    def from_osmnx(cls, G, *, return_mapping: Literal[False] = ...) -> "Graph": ...
    @overload
    @classmethod
    def from_osmnx(cls, G, *, return_mapping: Literal[True]) -> "tuple[Graph, list[Any]]": ...

    @classmethod
    def from_osmnx(cls, G, *, return_mapping: bool = False) -> "Union[Graph, tuple[Graph, list[Any]]]":
        """From an OSMnx-style MultiDiGraph (node x, y; edge length); see :func:`urbplex.interop.from_osmnx`."""
        from .interop import from_osmnx

        return from_osmnx(G, return_mapping=return_mapping)

    @classmethod
    def from_igraph(cls, g) -> "Graph":
        """From a python-igraph Graph; see :func:`urbplex.interop.from_igraph`."""
        from .interop import from_igraph

        return from_igraph(g)

    @overload
    @classmethod
    def from_pandas(cls, edges: "pd.DataFrame", *, source: str = ..., target: str = ..., directed: bool = ...,
                    nodes: "Optional[pd.DataFrame]" = ..., n: Optional[int] = ...,
                    return_mapping: Literal[False] = ...) -> "Graph": ...
    @overload
    @classmethod
    def from_pandas(cls, edges: "pd.DataFrame", *, source: str = ..., target: str = ..., directed: bool = ...,
                    nodes: "Optional[pd.DataFrame]" = ..., n: Optional[int] = ...,
                    return_mapping: Literal[True]) -> "tuple[Graph, list[Any]]": ...

    @classmethod
    def from_pandas(cls, edges: "pd.DataFrame", *, source: str = "source", target: str = "target",
                    directed: bool = False, nodes: "Optional[pd.DataFrame]" = None, n: Optional[int] = None,
                    return_mapping: bool = False) -> "Union[Graph, tuple[Graph, list[Any]]]":
        """From an edge table; see :func:`urbplex.interop.from_pandas`."""
        from .interop import from_pandas

        return from_pandas(edges, source=source, target=target, directed=directed, nodes=nodes, n=n,
                           return_mapping=return_mapping)

    def to_networkx(self):
        """networkx graph of this one; see :func:`urbplex.interop.to_networkx`."""
        from .interop import to_networkx

        return to_networkx(self)

    def to_igraph(self):
        """python-igraph graph of this one; see :func:`urbplex.interop.to_igraph`."""
        from .interop import to_igraph

        return to_igraph(self)

    def to_pandas(self) -> "pd.DataFrame":
        """Edge table: columns source, target (the node keys when the graph has
        labels, else vertex ids) and one per edge attribute, indexed by edge id."""
        import pandas as pd

        src, dst = self.edge_sources, self.edge_targets
        if self._labels is not None:
            keys = np.asarray(self._labels, dtype=object)
            src, dst = keys[np.asarray(src)], keys[np.asarray(dst)]
        data = {"source": src, "target": dst}
        data.update({name: self.edge(name) for name in self.edge_attr_names})
        return pd.DataFrame(data)

    def to_geopandas(self):
        """(nodes, edges) GeoDataFrames: points at ``x`` / ``y`` and straight
        edge lines, with every attribute, in the graph's CRS (see
        :func:`urbplex.interop.to_geopandas`; needs ``urbplex[geo]``)."""
        from .interop import to_geopandas

        return to_geopandas(self)

    def nodes_frame(self) -> "pd.DataFrame":
        """Node table: degree and one column per node attribute, indexed by the
        node keys when the graph has labels, else by vertex id."""
        import pandas as pd

        data = {"degree": self.degree()}
        data.update({name: self.node(name) for name in self.node_attr_names})
        index = None if self._labels is None else pd.Index(self._labels, name="node")
        return pd.DataFrame(data, index=index)

    # ------------------------------------------------------------- subsets
    def subgraph(self, nodes) -> "Graph":
        """The graph induced by ``nodes`` (node keys, vertex ids of an unlabelled
        graph, or a boolean mask): those nodes, in the order given, and the edges
        between them, with every attribute, the keys (an unlabelled graph's
        vertex ids become the keys), the CRS and the units."""
        from ._graph_subsets import subgraph

        return subgraph(self, nodes)

    def edge_subgraph(self, edges) -> "Graph":
        """The graph of the edges ``edges`` (edge ids or a boolean mask) and their end nodes."""
        from ._graph_subsets import edge_subgraph

        return edge_subgraph(self, edges)

    def largest_component(self) -> "Graph":
        """The subgraph of the largest connected component (weakly, if directed)."""
        from ._graph_subsets import largest_component

        return largest_component(self)

    def merge_parallel_edges(self, how=None) -> "Graph":
        """One edge per pair of nodes (per ordered pair if directed): a two-way
        street read as two arcs becomes one street, one bond for percolation.

        ``how`` aggregates each numeric edge attribute over the parallel edges:
        'min', 'max', 'sum', 'mean' or 'first' (the lowest edge id), one rule
        for all or a dict by attribute; by default ``capacity`` and ``lanes``
        add up (both directions) and the others keep the minimum (the shortest
        length or time). Categories and booleans keep the first. The edge
        attribute ``multiplicity`` counts the edges merged. Self-loops of a
        vertex merge too.
        """
        from ._graph_subsets import merge_parallel_edges

        return merge_parallel_edges(self, how)

    # ------------------------------------------------------------- structure
    @property
    def n(self) -> int:
        """Number of vertices."""
        return self._g.n

    @property
    def m(self) -> int:
        """Number of edges."""
        return self._g.m

    @property
    def directed(self) -> bool:
        """True if edges have a direction (arcs u -> v only)."""
        return self._g.directed

    @property
    def offsets(self) -> np.ndarray:
        """CSR offsets (uint64, n + 1): the arcs of v are offsets[v]:offsets[v+1]."""
        return self._g.offsets

    @property
    def targets(self) -> np.ndarray:
        """Head of each arc (uint32)."""
        return self._g.targets

    @property
    def edge_ids(self) -> np.ndarray:
        """Edge id of each arc (uint32)."""
        return self._g.edge_ids

    @property
    def edge_sources(self) -> np.ndarray:
        """First endpoint of each edge (uint32, by edge id)."""
        return self._g.edge_sources

    @property
    def edge_targets(self) -> np.ndarray:
        """Second endpoint of each edge (uint32, by edge id)."""
        return self._g.edge_targets

    def degree(self) -> np.ndarray:
        """Out-degree of every vertex (the degree if undirected; a self-loop counts twice)."""
        return self._g.degrees()

    def neighbors(self, v: int) -> np.ndarray:
        """Heads of the arcs leaving v."""
        v = check_int("v", v, minimum=0, maximum=self.n - 1)
        off = self.offsets
        return self.targets[int(off[v]):int(off[v + 1])]

    def memory_bytes(self) -> int:
        """Bytes held by the topology (offsets, arcs, edge list), excluding attributes."""
        return self._g.topology_bytes()

    # ------------------------------------------------------------ attributes
    @property
    def node_attr_names(self) -> list:
        """Names of the node attributes, in the order they were added."""
        return list(self._g.node_attribute_names)

    @property
    def edge_attr_names(self) -> list:
        """Names of the edge attributes, in the order they were added."""
        return list(self._g.edge_attribute_names)

    @property
    def node_attr_types(self) -> dict:
        """Type of each node attribute: ``float64``, ``int64``, ``bool`` or ``category``."""
        return {k: self._g.node_attribute_type(k)[0] for k in self.node_attr_names}

    @property
    def edge_attr_types(self) -> dict:
        """Type of each edge attribute: ``float64``, ``int64``, ``bool`` or ``category``."""
        return {k: self._g.edge_attribute_type(k)[0] for k in self.edge_attr_names}

    def node(self, name: str) -> Any:
        """Node attribute ``name`` (ValueError if missing), one value per vertex.

        float64 columns are read-only float arrays (NaN where missing); int64
        and bool columns are numpy arrays, or pandas' nullable ``Int64`` /
        ``boolean`` arrays when values are missing; categories are a
        ``pandas.Categorical``.
        """
        return _attributes.decode(self._g.node_attribute(name), *self._g.node_attribute_type(name))

    def edge(self, name: str) -> Any:
        """Edge attribute ``name`` by edge id (ValueError if missing); types as for :meth:`node`."""
        return _attributes.decode(self._g.edge_attribute(name), *self._g.edge_attribute_type(name))

    def numeric_node(self, name: str) -> np.ndarray:
        """Node attribute ``name`` as float64 for a calculation: ValueError if it
        is missing, categorical, or has a missing value (named with its vertex)."""
        return self._g.numeric_node_attribute(name)

    def numeric_edge(self, name: str) -> np.ndarray:
        """Edge attribute ``name`` as float64 for a calculation (see :meth:`numeric_node`)."""
        return self._g.numeric_edge_attribute(name)

    def with_node_attr(self, name: str, values) -> "Graph":
        """A new Graph, sharing this topology, with node attribute ``name`` set.

        The type follows the values: floats, integers (exact up to 2**53),
        booleans, or strings / ``pandas.Categorical`` (stored as categories);
        None, NaN and ``pd.NA`` are missing values. Infinite numbers are refused.
        A pandas Series indexed by the node keys is aligned by key, whatever
        its order; other values are taken in vertex order.
        """
        vals, kind, cats = _attributes.encode("node", name, self._in_vertex_order(values), self.n)
        return self._derived(self._g.with_node_attribute(str(name), vals, kind, cats))

    def _in_vertex_order(self, values):
        """A pandas Series indexed by this graph's node keys, in another order,
        is put in vertex order, as pandas would align it (not paired by row);
        anything else is taken in vertex order as given."""
        import pandas as pd

        if isinstance(values, pd.Series) and len(values) == self.n and values.index.is_unique:
            keys = pd.Index(self._labels if self._labels is not None else range(self.n))
            if not values.index.equals(keys) and len(values.index.intersection(keys)) == self.n:
                values = values.reindex(keys)
        return values

    def with_edge_attr(self, name: str, values) -> "Graph":
        """A new Graph, sharing this topology, with edge attribute ``name`` set (types as :meth:`with_node_attr`)."""
        vals, kind, cats = _attributes.encode("edge", name, values, self.m)
        return self._derived(self._g.with_edge_attribute(str(name), vals, kind, cats))

    # ------------------------------------------------------- labels and CRS
    @property
    def labels(self) -> Optional[list]:
        """The user's node keys (``labels[v]`` for vertex v), or None when they are ``0..n-1``."""
        return None if self._labels is None else list(self._labels)

    def with_labels(self, labels) -> "Graph":
        """A new Graph with node keys ``labels`` (one per vertex, all distinct)."""
        labels = list(labels)
        if len(set(labels)) != len(labels):
            raise ValueError("argument 'labels': keys must be distinct")
        return Graph(self._g, labels=labels, crs=self._crs, multigraph=self._multigraph, units=self._units,
                     attrs=self._attrs)

    def vertex(self, label) -> int:
        """Vertex id of node key ``label`` (ValueError naming it if absent)."""
        if self._labels is None:
            return check_int("label", label, minimum=0, maximum=self.n - 1)
        index = {k: i for i, k in enumerate(self._labels)}
        if label not in index:
            raise ValueError(f"node {label!r} is not in the graph")
        return index[label]

    @property
    def crs(self) -> Optional[str]:
        """Coordinate reference system of the ``x``/``y`` attributes (e.g. ``"EPSG:32633"``), or None if unknown."""
        return self._crs

    def with_crs(self, crs: Optional[str]) -> "Graph":
        """The same graph, declared in ``crs`` (no coordinates change; see :meth:`to_crs`)."""
        return Graph(self._g, labels=self._labels, crs=crs, multigraph=self._multigraph, units=self._units,
                     attrs=self._attrs)

    @property
    def units(self) -> dict:
        """Units of the attributes, by name: those declared with :meth:`with_units`,
        and ``x``/``y`` from the CRS (``degree`` for lon/lat, else the CRS's axis
        unit, e.g. ``metre``, when pyproj is installed). Stored with the graph."""
        out = {}
        if self._crs is not None:
            from .crs import axis_unit

            unit = axis_unit(self._crs)
            if unit:
                out.update(x=unit, y=unit)
        out.update(self._units)
        return out

    def with_units(self, **units: str) -> "Graph":
        """The same graph with attribute units declared, e.g. ``length="m", free_flow_time="min"``."""
        return Graph(self._g, labels=self._labels, crs=self._crs, multigraph=self._multigraph,
                     units={**self._units, **{k: str(v) for k, v in units.items()}}, attrs=self._attrs)

    @property
    def attrs(self) -> dict:
        """Graph-level attributes (networkx's ``G.graph``: a name, a date...),
        JSON values; stored with the graph and given back by ``to_networkx``."""
        import copy

        return copy.deepcopy(self._attrs)

    def with_attrs(self, **attrs) -> "Graph":
        """The same graph with graph-level attributes set (JSON values:
        strings, numbers, booleans, None, lists and dicts of them)."""
        import json

        for k, v in attrs.items():
            try:
                json.dumps(v, allow_nan=False)
            except (TypeError, ValueError):
                raise TypeError(f"argument {k!r}: a graph attribute must be a JSON value, got "
                                f"{type(v).__name__}") from None
        return Graph(self._g, labels=self._labels, crs=self._crs, multigraph=self._multigraph, units=self._units,
                     attrs={**self._attrs, **attrs})

    @property
    def is_geographic(self) -> bool:
        """True if :attr:`crs` is longitude/latitude (degrees); see :mod:`urbplex.crs`."""
        from .crs import is_geographic

        return is_geographic(self._crs)

    def to_crs(self, crs: str) -> "Graph":
        """Reproject ``x``/``y`` to ``crs`` (needs pyproj: ``pip install urbplex[geo]``)."""
        from .crs import reproject

        return reproject(self, crs)

    def to_undirected(self) -> "Graph":
        """The undirected graph on the same edges: each arc u->v becomes an edge
        {u, v} with the same id and attributes (a two-way street stays two
        parallel edges, as in networkx's ``MultiDiGraph.to_undirected``)."""
        if not self.directed:
            return self
        g = Graph.from_arrays(self.edge_sources, self.edge_targets, n=self.n, directed=False)
        return _copy_attributes(self, g)

    # ------------------------------------------------------------ algorithms
    def components(self) -> Components:
        """Connected components (weak for directed graphs), by union-find over the edges."""
        labels, sizes = _core.connected_components(self._g)
        return Components(labels, sizes)

    def betweenness(self, *, weight=None, progress: bool = False) -> np.ndarray:
        """Betweenness centrality (Brandes 2001), exact, parallel over sources.

        ``weight`` is None for hop counts, or an edge attribute name or array
        of one finite value >= 0 per edge (Dijkstra; paths whose summed
        weights are equal in floating point tie). Directed graphs follow the
        arcs and count ordered pairs; undirected graphs count each unordered
        pair once (networkx's ``normalized=False``). Paths are vertex
        sequences: parallel edges do not multiply them.

        Edges of weight 0 give a warning: Brandes' counting (and networkx's)
        assumes positive weights, and with zero-weight edges it miscounts
        shortest paths (183 of 300 random 7-vertex graphs with weights 0, 1,
        2 differed from an enumeration of the shortest simple paths).
        """
        w = np.empty(0) if weight is None else self._weights(weight)
        zero = np.flatnonzero(w == 0)
        if zero.size:
            e = int(zero[0])
            name = (lambda v: v) if self._labels is None else self._labels.__getitem__  # the user's node keys
            warnings.warn(f"{zero.size} edges have weight 0 (the first: edge {e}, {name(self.edge_sources[e])} -> "
                          f"{name(self.edge_targets[e])}); betweenness assumes positive weights and may miscount "
                          "the shortest paths through them: give them a small positive weight", stacklevel=2)
        with progress_callback(progress, "betweenness") as cb:
            return _core.betweenness(self._g, None, cb, np.empty(0, dtype=np.uint32), w)

    def _weights(self, weight) -> np.ndarray:
        if isinstance(weight, str):
            return np.asarray(self.numeric_edge(weight))
        return float_array("weight", weight, size=self.m, non_negative=True)

    def shortest_paths(self, source: int, *, weight="length"):
        """Dijkstra from ``source``: (distances, predecessors).

        ``weight`` is an edge attribute name or an array of one non-negative
        value per edge. Unreachable vertices have distance ``inf`` and
        predecessor -1 (so has the source).
        """
        source = check_int("source", source, minimum=0, maximum=self.n - 1)
        return _core.dijkstra(self._g, source, self._weights(weight))

    def distance_matrix(self, sources, *, weight="length", progress: bool = False) -> np.ndarray:
        """Shortest-path distances from each of ``sources`` to every vertex (parallel over sources)."""
        src = index_array("sources", sources, n=self.n)
        with progress_callback(progress, "shortest paths") as cb:
            return _core.distance_matrix(self._g, src, self._weights(weight), cb)

    # ------------------------------------------------------------------- I/O
    def save(self, path, name: str, *, overwrite: bool = False) -> None:
        """Save to the HDF5 store at ``path`` under /graphs/<name> (atomic)."""
        from .io import save_graph

        save_graph(path, self, name, overwrite=overwrite)

    @classmethod
    def load(cls, path, name: str, *, allow_links: bool = False) -> "Graph":
        """Load /graphs/<name> from the HDF5 store at ``path`` (see :func:`urbplex.io.load_graph`)."""
        from .io import load_graph

        return load_graph(path, name, allow_links=allow_links)

    def __repr__(self) -> str:
        kind = "directed" if self.directed else "undirected"
        crs = f", crs={self._crs!r}" if self._crs else ""
        return (f"Graph(n={self.n}, m={self.m}, {kind}, node_attrs={self.node_attr_names}, "
                f"edge_attrs={self.edge_attr_names}{crs})")

    def _endpoints(self):
        s, t = np.asarray(self.edge_sources), np.asarray(self.edge_targets)
        return (s, t) if self.directed else (np.minimum(s, t), np.maximum(s, t))

    def __eq__(self, other) -> bool:
        """Same vertices, same edges under the same ids (either orientation if
        undirected), same direction and same attribute columns."""
        if not isinstance(other, Graph):
            return NotImplemented
        if (self.n, self.m, self.directed) != (other.n, other.m, other.directed):
            return False
        (s1, t1), (s2, t2) = self._endpoints(), other._endpoints()
        if not (np.array_equal(s1, s2) and np.array_equal(t1, t2)):
            return False
        if sorted(self.node_attr_names) != sorted(other.node_attr_names):
            return False
        if sorted(self.edge_attr_names) != sorted(other.edge_attr_names):
            return False
        if self.node_attr_types != other.node_attr_types or self.edge_attr_types != other.edge_attr_types:
            return False
        if self._labels != other._labels or self._crs != other._crs:
            return False
        same = lambda a, b: np.array_equal(a, b, equal_nan=True)  # noqa: E731
        return (all(same(self._g.node_attribute(a), other._g.node_attribute(a))
                    and self._g.node_attribute_type(a)[1] == other._g.node_attribute_type(a)[1]
                    for a in self.node_attr_names)
                and all(same(self._g.edge_attribute(a), other._g.edge_attribute(a))
                        and self._g.edge_attribute_type(a)[1] == other._g.edge_attribute_type(a)[1]
                        for a in self.edge_attr_names))

    __hash__ = None  # mutable-looking equality; not hashable


def _graph_from_state(n, directed, source, target, node_cols, edge_cols, labels=None, crs=None,
                      multigraph=None, units=None, attrs=None) -> Graph:
    """Unpickle a Graph (see Graph.__reduce__)."""
    native = Graph.from_arrays(source, target, n=n, directed=directed)._g
    for name, raw, kind, cats in node_cols:  # unpickled arrays may be misaligned (see _validate.aligned)
        native = native.with_node_attribute(name, aligned(raw, np.float64), kind, cats)
    for name, raw, kind, cats in edge_cols:
        native = native.with_edge_attribute(name, aligned(raw, np.float64), kind, cats)
    return Graph(native, labels=labels, crs=crs, multigraph=multigraph, units=units, attrs=attrs)


def _sparse_id_limit(touched: int) -> int:
    """The largest vertex count integer ids may imply for graphs whose edges
    touch ``touched`` vertices before they are taken for external keys (OSM
    node ids run to 10^10): isolated vertices are fine up to this many."""
    return 4 * touched + (1 << 20)


def _copy_attributes(source: Graph, target: Graph) -> Graph:
    """``target`` (same vertices and edge ids) with every raw attribute column, labels and CRS of ``source``."""
    native = target._g
    for name in source.node_attr_names:
        native = native.with_node_attribute(name, source._g.node_attribute(name), *source._g.node_attribute_type(name)[:2])
    for name in source.edge_attr_names:
        native = native.with_edge_attribute(name, source._g.edge_attribute(name), *source._g.edge_attribute_type(name)[:2])
    return Graph(native, labels=source._labels, crs=source._crs, multigraph=source._multigraph, units=source._units,
                 attrs=source._attrs)
