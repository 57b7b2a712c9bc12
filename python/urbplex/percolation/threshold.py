"""Threshold (traffic) percolation (Li, Fu, Wang, Lu, Berezin, Stanley & Havlin, PNAS 112, 669, 2015).

Keep the edges whose value r (e.g. current speed over the 95th-percentile
speed) is at least q; as q falls, clusters merge. The critical q_c is where
the second-largest cluster peaks; the bottleneck is the link that, as q is
lowered below q_c, merges the two largest clusters of q_c (Li et al.'s
"critical bottleneck": improving it connects them).
"""
from __future__ import annotations

from typing import Optional, Union

import numpy as np

from .. import _core
from .._graph_arg import graph_of
from .._validate import float_array
from ..result import RunResult, register_result
from ..provenance import records_lineage


@register_result
class ThresholdResult(RunResult):
    """Largest and second-largest cluster (fractions of n) for every threshold q (decreasing)."""

    model = "threshold_percolation"
    units = {"q": "unit of the thresholded attribute", "largest": "fraction of vertices",
             "second": "fraction of vertices"}

    @property
    def q_c(self) -> float:
        """The critical threshold: the q at which the second-largest cluster peaks (Li et al. 2015)."""
        return float(self.data["q"][int(self.data["critical"][0])])

    @property
    def bottlenecks(self) -> np.ndarray:
        """Edge ids of the bottleneck links: first the link that, lowering q below
        q_c, merges the two largest clusters of q_c; then the other links of the
        same value that would merge them on their own (ties)."""
        return self.data["bottlenecks"]

    def to_frame(self):
        """One row per threshold ``q``: ``largest`` and ``second``, the fractions of vertices in the largest and second-largest clusters of links with value >= q."""
        import pandas as pd

        return pd.DataFrame({"q": self.data["q"], "largest": self.data["largest"], "second": self.data["second"]})

    def plot(self, ax=None):
        """Plot the largest and second-largest clusters against q, with q_c marked (matplotlib axes)."""
        from urbplex._optional import require
        plt = require("matplotlib.pyplot")

        ax = ax or plt.gca()
        ax.plot(self.data["q"], self.data["largest"], label="largest")
        ax2 = ax.twinx()
        ax2.plot(self.data["q"], self.data["second"], color="C1", label="second")
        ax.axvline(self.q_c, color="k", ls=":")
        ax.set_xlabel("threshold q")
        ax.set_ylabel("largest cluster fraction")
        ax2.set_ylabel("second cluster fraction")
        return ax


@records_lineage
def threshold(graph, values: Union[str, np.ndarray] = "speed_ratio", *,
              level: Optional[int] = None) -> ThresholdResult:
    """Threshold percolation on edge ``values`` (an edge attribute name or one value per edge).

    One stable sort and one union-find sweep: O(M log M).
    """
    g = graph_of(graph, level)
    if isinstance(values, str):
        vals = np.asarray(g.numeric_edge(values))
        name = values
    else:
        vals = float_array("values", values, size=g.m)
        name = None
    if g.n == 0 or g.m == 0:
        raise ValueError("argument 'graph': threshold percolation needs a graph with edges")
    q, largest, second, critical, bottlenecks = _core.threshold_sweep(g._g, vals)
    data = {"q": q, "largest": largest / g.n, "second": second / g.n,
            "critical": np.array([critical], dtype=np.int64), "bottlenecks": bottlenecks}
    return ThresholdResult(data, model="threshold_percolation", parameters={"values": name, "level": level})
