// Newman-Ziff percolation (M. E. J. Newman & R. M. Ziff, "Fast Monte Carlo
// algorithm for site or bond percolation", PRE 64, 016706, 2001).
//
// One sweep adds the sites (or bonds) of a graph one at a time in random
// order and, after each addition, records the largest cluster S1, the
// second largest S2, the number of clusters and the sum of squared finite
// cluster sizes, each in O(1) amortised (union-find with a histogram of
// cluster sizes). Averages over realizations are sums of integers, so the
// result is bit-identical for any number of threads; realization r shuffles
// with the Philox stream (seed, r).
//
// On a periodic width x height lattice (vertex id = y*width + x) the sweep
// also records when a cluster first wraps around the torus horizontally or
// vertically (displacement-tracking union-find, Machta et al. PRE 54, 1332,
// 1996; Newman & Ziff 2001 Sec. III.C).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::percolation {

enum class Kind { Site, Bond };

// The per-realization canonical observables, in order: S1/n, (S1/n)^2,
// (S1/n)^4, S2/n, chi = sum over clusters of s^2 / n, and the wrapping
// indicators (0 without a lattice; wrap_d only in 3-D).
inline constexpr const char* kObservableNames[] = {"largest", "largest_sq", "largest_4", "second", "susceptibility",
                                                   "wrap_h", "wrap_v", "wrap_d", "wrap_either", "wrap_both"};

// Sums over realizations of per-step observables; index k = number of
// occupied sites (bonds) k = 0..steps.
struct Ensemble {
  Kind kind = Kind::Site;
  std::uint32_t n = 0;          // vertices of the graph
  std::uint64_t steps = 0;      // N for site, M for bond
  std::uint64_t realizations = 0;
  std::vector<std::uint64_t> largest;        // sum of S1
  std::vector<std::uint64_t> largest_sq;     // sum of S1^2
  std::vector<std::uint64_t> second;         // sum of S2
  std::vector<std::uint64_t> clusters;       // sum of the number of clusters
  std::vector<std::uint64_t> finite_sq;      // sum of (sum over clusters but the largest of s^2)
  // Wrapping on a periodic lattice: number of realizations whose first
  // horizontal / vertical / either / both wrap happened at step k (histograms).
  // First wrap along x (h), y (v), z (d, 3-D lattices only), along any axis
  // (either) and along every axis (both: x and y in 2-D, all three in 3-D).
  std::vector<std::uint64_t> wrap_h, wrap_v, wrap_d, wrap_either, wrap_both;
  bool three_d = false;  // wrap_d is kept

  // Each realization's canonical observables on a grid of p (when one was
  // given): per_realization[(r * kObservables + o) * grid + i] for
  // realization r, observable o (kObservableNames) and grid point i. Their
  // spread gives standard errors; their powers the Binder cumulant.
  static constexpr std::size_t kObservables = 10;
  std::size_t grid = 0;
  std::vector<double> per_realization;
  // Each realization's sum over the steps k < steps of its largest cluster
  // (sweep_ensemble only; integers, any thread count).
  std::vector<std::uint64_t> largest_sums;

  void add(const Ensemble& other);
};

// The lattice for wrapping detection; width == 0 means none.
// A periodic lattice of periods width x height (x depth in 3-D; depth 0 for
// 2-D). Vertex v sits at (x, y, z) = coords[v] when given (lattices with
// missing sites, e.g. kagome as a depleted triangular lattice, or BCC, FCC
// and diamond as depleted cubic grids), else at
// v = (z * height + y) * width + x.
struct Lattice {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t depth = 0;
  std::span<const std::int32_t> x, y, z;  // optional integer coordinates, one per vertex (z in 3-D)
  // An open lattice: the wrap_* fields record spanning between opposite
  // faces (coordinate 0 and width - 1, ...) instead of wrapping.
  bool open = false;
};

// R sweeps in random orders, in parallel over realizations.
// `grid`: the occupation probabilities of each realization's canonical
// values (empty: none kept).
Ensemble sweep_ensemble(const Graph& g, Kind kind, std::uint64_t realizations, std::uint64_t seed,
                        Lattice lattice = {}, RunControl& control = RunControl::none(),
                        std::span<const double> grid = {});

// One sweep in the given order: a permutation of the vertices (site) or of
// the edge ids (bond), or any prefix of one.
Ensemble sweep_order(const Graph& g, Kind kind, std::span<const std::uint32_t> order, Lattice lattice = {});
// `count` orders of one length, stored one after the other, swept in parallel
// and summed as realizations (attack orders, orders from another sampler).
Ensemble sweep_orders(const Graph& g, Kind kind, std::span<const std::uint32_t> orders, std::uint64_t count,
                      Lattice lattice = {}, RunControl& control = RunControl::none());

// Canonical ensemble: Q(p) = sum_k C(steps, k) p^k (1-p)^(steps-k) Q_k
// (Newman & Ziff 2001, Eq. 2), for each p of the grid. Q has steps + 1 values.
std::vector<double> canonical(std::span<const double> micro, std::span<const double> p);

}  // namespace urbplex::percolation
