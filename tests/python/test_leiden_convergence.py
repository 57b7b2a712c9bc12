"""Leiden iterated as Traag et al. (2019) and leidenalg do (issue 17): the Les
Misérables optimum Q = 0.560008 in >= 90% of seeds (a single run: 4-12%), and
LFR mu = 0.6 modularity within 1% of leidenalg's in the same run."""
import os

import networkx as nx
import numpy as np
import pytest

import urbplex as ux

OPTIMUM = 0.560008  # Les Misérables, unweighted (e.g. Traag et al. 2019, and igraph's Leiden)


def test_les_miserables_optimum_in_nine_of_ten_seeds():
    g = ux.Graph.from_networkx(nx.les_miserables_graph())
    q = np.array([ux.multiscale.communities(g, seed=s).data["modularity"][-1] for s in range(50)])
    assert np.mean(q >= OPTIMUM - 1e-6) >= 0.9
    single = np.array([ux.multiscale.communities(g, seed=s, iterations=1).data["modularity"][-1] for s in range(50)])
    assert np.mean(single >= OPTIMUM - 1e-6) < 0.5  # one run is not enough: the iteration matters


@pytest.fixture(scope="module")
def lfr():
    G = nx.LFR_benchmark_graph(1000, 3, 1.5, 0.6, average_degree=20, max_degree=50, min_community=20,
                               max_community=100, seed=10)
    G.remove_edges_from(nx.selfloop_edges(G))
    return ux.Graph.from_networkx(G)


@pytest.mark.parametrize("iterations", [2, -1])
def test_lfr_modularity_within_one_percent_of_leidenalg(lfr, iterations):
    if os.environ.get("CI") != "true":
        pytest.importorskip("leidenalg")
    import igraph
    import leidenalg

    ig = igraph.Graph(n=lfr.n, edges=np.column_stack([lfr.edge_sources, lfr.edge_targets]).tolist())
    ours = np.mean([ux.multiscale.communities(lfr, seed=s, iterations=iterations).data["modularity"][-1]
                    for s in range(10)])
    theirs = np.mean([leidenalg.find_partition(ig, leidenalg.ModularityVertexPartition, n_iterations=iterations,
                                               seed=s).modularity for s in range(10)])
    assert ours >= 0.99 * theirs


def test_iterated_leiden_is_the_same_for_any_thread_count(lfr):
    a = ux.multiscale.communities(lfr, seed=3, iterations=-1)
    with ux.threads(1):
        b = ux.multiscale.communities(lfr, seed=3, iterations=-1)
    np.testing.assert_array_equal(a.final, b.final)
