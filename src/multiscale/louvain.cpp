#include "urbplex/multiscale/louvain.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <numeric>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/core/union_find.hpp"

namespace urbplex::multiscale {

namespace {

// Weighted undirected graph of one level; a self arc v->v carries the weight
// inside v (both directions), so k_v = sum of v's arc weights. `null` is a
// node's weight in the null model: its degree k_v for modularity (gain of
// moving v to c: w(v, c) - gamma k_v K_c / 2m), its number of original nodes
// n_v for the constant Potts model (w(v, c) - gamma n_v N_c; Traag, Van
// Dooren & Nesterov, PRE 84, 016114, 2011).
struct Level {
  std::uint32_t n = 0;
  std::vector<std::uint64_t> off;
  std::vector<std::uint32_t> tgt;
  std::vector<double> w, k, null;
  double two_m = 0;
  bool cpm = false;
  // gamma times this is the factor of the null-model term of a gain
  double null_scale() const { return cpm ? 1.0 : 1.0 / two_m; }
};

Level from_graph(const Graph& g, std::span<const double> weights, bool cpm = false) {
  Level L;
  L.cpm = cpm;
  L.n = g.num_vertices();
  L.off.assign(g.offsets().begin(), g.offsets().end());
  L.tgt.assign(g.targets().begin(), g.targets().end());
  L.w.resize(L.tgt.size());
  L.k.assign(L.n, 0.0);
  for (std::uint32_t v = 0; v < L.n; ++v) {
    const auto ids = g.incident_edges(v);
    for (std::uint64_t a = L.off[v]; a < L.off[v + 1]; ++a) {
      L.w[a] = weights.empty() ? 1.0 : weights[ids[a - L.off[v]]];
      L.k[v] += L.w[a];
    }
  }
  L.two_m = std::accumulate(L.k.begin(), L.k.end(), 0.0);
  L.null = cpm ? std::vector<double>(L.n, 1.0) : L.k;
  return L;
}

// Aggregate: node c of the result is group c of `group` (labels 0..k-1).
Level aggregate(const Level& L, const std::vector<std::uint32_t>& group, std::uint32_t k) {
  std::vector<std::vector<std::uint32_t>> members(k);
  for (std::uint32_t v = 0; v < L.n; ++v) members[group[v]].push_back(v);
  std::vector<std::vector<std::pair<std::uint32_t, double>>> rows(k);
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for((L.off[L.n] + L.n) * 8))
  {
    std::vector<double> acc;
    std::vector<std::uint32_t> touched;
    errors.guard([&] { acc.assign(k, 0.0); });
#pragma omp for schedule(dynamic, 64)
    for (std::int64_t sc = 0; sc < static_cast<std::int64_t>(k); ++sc) {
      if (errors.failed()) continue;
      errors.guard([&] {
      touched.clear();
      for (std::uint32_t v : members[sc])
        for (std::uint64_t a = L.off[v]; a < L.off[v + 1]; ++a) {
          const std::uint32_t d = group[L.tgt[a]];
          if (acc[d] == 0.0) touched.push_back(d);
          acc[d] += L.w[a];
        }
      std::sort(touched.begin(), touched.end());
      for (std::uint32_t d : touched) {
        rows[sc].emplace_back(d, acc[d]);
        acc[d] = 0.0;
      }
      });
    }
  }
  errors.rethrow();
  Level A;
  A.n = k;
  A.off.assign(k + 1, 0);
  for (std::uint32_t c = 0; c < k; ++c) A.off[c + 1] = A.off[c] + rows[c].size();
  A.tgt.resize(A.off[k]);
  A.w.resize(A.off[k]);
  A.k.assign(k, 0.0);
  A.null.assign(k, 0.0);
  for (std::uint32_t v = 0; v < L.n; ++v) A.null[group[v]] += L.null[v];
  A.cpm = L.cpm;
  for (std::uint32_t c = 0; c < k; ++c)
    for (std::size_t i = 0; i < rows[c].size(); ++i) {
      A.tgt[A.off[c] + i] = rows[c][i].first;
      A.w[A.off[c] + i] = rows[c][i].second;
      A.k[c] += rows[c][i].second;
    }
  A.two_m = L.two_m;
  return A;
}

// Consecutive labels in order of first appearance.
std::uint32_t relabel(std::vector<std::uint32_t>& labels) {
  std::vector<std::uint32_t> map(labels.size() + 1, UINT32_MAX);
  std::uint32_t next = 0;
  for (auto& l : labels) {
    if (map[l] == UINT32_MAX) map[l] = next++;
    l = map[l];
  }
  return next;
}

// The best community for node v against `comm` and `tot` (Blondel et al.'s
// gain, up to a factor): `to` (v's own when no move gains) and the gains of
// moving there and of staying. acc (zero, n long) and touched are scratch.
struct Move {
  std::uint32_t to;
  double gain, stay;
};
Move best_move(const Level& L, const std::vector<std::uint32_t>& comm, const std::vector<double>& tot, double scale,
               std::uint32_t v, std::vector<double>& acc, std::vector<std::uint32_t>& touched) {
  const std::uint32_t a = comm[v];
  touched.clear();
  for (std::uint64_t e = L.off[v]; e < L.off[v + 1]; ++e) {
    const std::uint32_t u = L.tgt[e];
    if (u == v) continue;
    const std::uint32_t c = comm[u];
    if (acc[c] == 0.0) touched.push_back(c);
    acc[c] += L.w[e];
  }
  Move m{a, acc[a] - scale * L.null[v] * (tot[a] - L.null[v]), 0.0};
  m.stay = m.gain;
  for (std::uint32_t c : touched) {
    if (c == a) continue;
    const double gain = acc[c] - scale * L.null[v] * tot[c];
    if (gain > m.gain + 1e-12) {
      m.gain = gain;
      m.to = c;
    }
  }
  for (std::uint32_t c : touched) acc[c] = 0.0;
  return m;
}

// Louvain local moving, batch-synchronous. Returns the number of moves.
std::uint64_t local_moving(const Level& L, std::vector<std::uint32_t>& comm, double gamma, std::uint64_t seed,
                           std::uint32_t level, std::uint32_t max_passes, RunControl& control) {
  const std::uint32_t n = L.n;
  std::vector<double> tot(n, 0.0);
  for (std::uint32_t v = 0; v < n; ++v) tot[comm[v]] += L.null[v];
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  Rng rng(seed, 0xA5A5000000000000ULL | level);
  for (std::uint32_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  const std::uint32_t batch = std::max<std::uint32_t>(64, n / 128);
  const double scale = gamma * L.null_scale();
  std::vector<std::uint32_t> proposal(batch);
  std::vector<double> seq_acc(n, 0.0);  // the sequential re-evaluation's weights per community
  std::vector<std::uint32_t> seq_touched;
  // Only nodes with a neighbour that moved are revisited (Ozaki, Tezuka & Inaba 2016).
  std::vector<char> active(n, 1);
  std::vector<std::uint32_t> todo;
  todo.reserve(n);
  std::uint64_t total_moves = 0;
  for (std::uint32_t pass = 0; pass < max_passes; ++pass) {
    std::uint64_t moves = 0;
    double gained = 0;  // modularity gained by this pass
    todo.clear();
    for (std::uint32_t v : order)
      if (active[v]) todo.push_back(v), active[v] = 0;
    const auto count = static_cast<std::uint32_t>(todo.size());
    for (std::uint32_t start = 0; start < count; start += batch) {
      const std::uint32_t end = std::min(count, start + batch);
      // About the arcs of the batch's nodes: the average degree times the batch.
      const std::uint64_t batch_work = (L.off[L.n] / std::max<std::uint32_t>(n, 1) + 1) * (end - start) * 8;
      parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for(batch_work))
      {
        thread_local std::vector<double> acc;
        thread_local std::vector<std::uint32_t> touched;
        errors.guard([&] {
          if (acc.size() < n) acc.assign(n, 0.0);
        });
#pragma omp for schedule(dynamic, 16)
        for (std::int64_t s = start; s < static_cast<std::int64_t>(end); ++s) {
          if (errors.failed()) continue;
          errors.guard([&] { proposal[s - start] = best_move(L, comm, tot, scale, todo[s], acc, touched).to; });
        }
      }
      errors.rethrow();
      // Apply in order. A node that proposed to move is re-evaluated against
      // the current state over all its neighbouring communities, as in the
      // sequential algorithm: a stale proposal (computed at the start of the
      // batch) would otherwise cost modularity (1.4% on LFR mu = 0.6).
      // Nodes that proposed to stay are skipped; they are revisited when a
      // neighbour moves.
      for (std::uint32_t s = start; s < end; ++s) {
        const std::uint32_t v = todo[s], a = comm[v];
        if (proposal[s - start] == a) continue;
        const Move m = best_move(L, comm, tot, scale, v, seq_acc, seq_touched);
        const std::uint32_t b = m.to;
        if (b != a) {
          gained += 2 * (m.gain - m.stay) / L.two_m;
          tot[a] -= L.null[v];
          tot[b] += L.null[v];
          comm[v] = b;
          ++moves;
          for (std::uint64_t e = L.off[v]; e < L.off[v + 1]; ++e) active[L.tgt[e]] = 1;
        }
      }
      control.checkpoint();
      control.throw_if_stopped();
    }
    total_moves += moves;
    // Stop when a pass gains less than 1e-6 in modularity (as Blondel et al.'s reference code).
    if (moves == 0 || gained < 1e-6) break;
  }
  return total_moves;
}

// Splits every community of `comm` that is not connected in L into its
// connected parts (new labels). It never lowers modularity: parts with no edge
// between them only add the -gamma K1 K2 / (2m)^2 cross term. Local moving
// from a given partition (Leiden's later runs) can leave a community in
// pieces; supernodes are refined groups, connected inside, so connected in L
// means connected in the original graph. So every Leiden level reported is
// connected, as Traag et al. guarantee for the final partition.
void split_disconnected(const Level& L, std::vector<std::uint32_t>& comm) {
  std::vector<std::uint32_t> part(L.n, UINT32_MAX), stack;
  std::uint32_t next = 0;
  for (std::uint32_t s = 0; s < L.n; ++s) {
    if (part[s] != UINT32_MAX) continue;
    part[s] = next;
    stack.assign(1, s);
    while (!stack.empty()) {
      const std::uint32_t v = stack.back();
      stack.pop_back();
      for (std::uint64_t e = L.off[v]; e < L.off[v + 1]; ++e) {
        const std::uint32_t u = L.tgt[e];
        if (part[u] == UINT32_MAX && comm[u] == comm[v]) {
          part[u] = next;
          stack.push_back(u);
        }
      }
    }
    ++next;
  }
  comm = std::move(part);
}

// Leiden refinement: within each community, merge singletons into
// well-connected sub-communities, randomly (Traag et al. 2019, Alg. A.2).
std::vector<std::uint32_t> refine(const Level& L, const std::vector<std::uint32_t>& comm, std::uint32_t k,
                                  double gamma, double theta, std::uint64_t seed, std::uint32_t level) {
  const std::uint32_t n = L.n;
  const double scale = gamma * L.null_scale();
  std::vector<std::vector<std::uint32_t>> members(k);
  for (std::uint32_t v = 0; v < n; ++v) members[comm[v]].push_back(v);
  std::vector<double> tot_c(k, 0.0);
  for (std::uint32_t v = 0; v < n; ++v) tot_c[comm[v]] += L.null[v];
  std::vector<std::uint32_t> refined(n);
  std::iota(refined.begin(), refined.end(), 0u);
  std::vector<double> rtot(L.null), ext(n, 0.0);
  std::vector<std::uint32_t> rsize(n, 1);
  std::vector<double> kin(n, 0.0);  // weight from v to the rest of its community
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for((L.off[L.n] + n) * 16))
  {
    std::vector<double> acc;
    std::vector<std::uint32_t> touched;
    std::vector<double> weight;
    errors.guard([&] { acc.assign(n, 0.0); });
#pragma omp for schedule(dynamic, 8)
    for (std::int64_t sc = 0; sc < static_cast<std::int64_t>(k); ++sc) {
      if (errors.failed()) continue;
      errors.guard([&] {
      auto& nodes = members[sc];
      const double K = tot_c[sc];
      for (std::uint32_t v : nodes) {
        double s = 0;
        for (std::uint64_t e = L.off[v]; e < L.off[v + 1]; ++e)
          if (L.tgt[e] != v && comm[L.tgt[e]] == static_cast<std::uint32_t>(sc)) s += L.w[e];
        kin[v] = s;
        ext[v] = s;
      }
      Rng rng(seed, (static_cast<std::uint64_t>(level) << 40) | 0x5000000000ULL | static_cast<std::uint64_t>(sc));
      std::vector<std::uint32_t> order(nodes);
      for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
      for (std::uint32_t v : order) {
        if (rsize[refined[v]] > 1) continue;                       // only singletons move
        if (kin[v] < scale * L.null[v] * (K - L.null[v])) continue;  // v not well connected to its community
        touched.clear();
        for (std::uint64_t e = L.off[v]; e < L.off[v + 1]; ++e) {
          const std::uint32_t u = L.tgt[e];
          if (u == v || comm[u] != static_cast<std::uint32_t>(sc)) continue;
          const std::uint32_t r = refined[u];
          if (acc[r] == 0.0) touched.push_back(r);
          acc[r] += L.w[e];
        }
        std::sort(touched.begin(), touched.end());
        // Candidates: well-connected sub-communities with a non-negative gain; staying alone gains 0.
        std::uint32_t chosen = refined[v];
        weight.clear();
        double best = 0.0;
        std::vector<std::uint32_t> cand;
        for (std::uint32_t r : touched) {
          const double gain = acc[r] - scale * L.null[v] * rtot[r];
          if (gain >= 0 && ext[r] >= scale * rtot[r] * (K - rtot[r])) {
            cand.push_back(r);
            weight.push_back(gain);
            best = std::max(best, gain);
          }
        }
        if (!cand.empty()) {
          double z = 0;
          for (double& x : weight) z += (x = std::exp((x - best) / theta));
          double u = rng.uniform() * z;
          chosen = cand.back();
          for (std::size_t i = 0; i < cand.size(); ++i) {
            if (u < weight[i]) {
              chosen = cand[i];
              break;
            }
            u -= weight[i];
          }
          const std::uint32_t own = refined[v];
          ext[chosen] += kin[v] - 2 * acc[chosen];
          rtot[chosen] += L.null[v];
          ++rsize[chosen];
          rsize[own] = 0;
          refined[v] = chosen;
        }
        for (std::uint32_t r : touched) acc[r] = 0.0;
      }
      });
    }
  }
  errors.rethrow();
  return refined;
}

// Quality of the partition `comm` of a level graph (the same as on the
// original graph): modularity Q, or for CPM H = sum_c [e_c - gamma N_c (N_c - 1) / 2].
double level_modularity(const Level& L, const std::vector<std::uint32_t>& comm, std::uint32_t k, double gamma) {
  std::vector<double> in(k, 0.0), tot(k, 0.0);
  for (std::uint32_t v = 0; v < L.n; ++v) {
    tot[comm[v]] += L.null[v];
    for (std::uint64_t e = L.off[v]; e < L.off[v + 1]; ++e)
      if (comm[L.tgt[e]] == comm[v]) in[comm[v]] += L.w[e];
  }
  double q = 0;
  for (std::uint32_t c = 0; c < k; ++c)
    q += L.cpm ? in[c] / 2 - gamma * tot[c] * (tot[c] - 1) / 2
               : in[c] / L.two_m - gamma * (tot[c] / L.two_m) * (tot[c] / L.two_m);
  return q;
}

// Communities whose members are not connected through edges inside them.
std::uint32_t count_disconnected(const Graph& g, const std::vector<std::uint32_t>& label, std::uint32_t k) {
  UnionFind uf(g.num_vertices());
  const auto s = g.edge_sources(), t = g.edge_targets();
  for (std::size_t e = 0; e < s.size(); ++e)
    if (label[s[e]] == label[t[e]]) uf.unite(s[e], t[e]);
  std::vector<std::uint32_t> root(k, UINT32_MAX);
  std::vector<char> split(k, 0);
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v) {
    const std::uint32_t r = uf.find(v), c = label[v];
    if (root[c] == UINT32_MAX) root[c] = r;
    else if (root[c] != r) split[c] = 1;
  }
  return static_cast<std::uint32_t>(std::count(split.begin(), split.end(), 1));
}

}  // namespace

double modularity(const Graph& g, std::span<const double> weights, std::span<const std::uint32_t> labels,
                  double resolution) {
  require(labels.size() == g.num_vertices(), "labels", "needs one label per node");
  const Level L = from_graph(g, weights);
  std::uint32_t k = 0;
  for (auto l : labels) k = std::max(k, l + 1);
  std::vector<double> in(k, 0.0), tot(k, 0.0);
  for (std::uint32_t v = 0; v < L.n; ++v) {
    tot[labels[v]] += L.k[v];
    for (std::uint64_t e = L.off[v]; e < L.off[v + 1]; ++e)
      if (labels[L.tgt[e]] == labels[v]) in[labels[v]] += L.w[e];
  }
  double q = 0;
  for (std::uint32_t c = 0; c < k; ++c) q += in[c] / L.two_m - resolution * (tot[c] / L.two_m) * (tot[c] / L.two_m);
  return q;
}

namespace {

// One run of Louvain/Leiden from `start` (a partition of the original nodes;
// empty: singletons). `stream` separates the random streams of the runs.
CommunityLevels one_run(const Graph& g, std::span<const double> weights, const CommunityOptions& o,
                        const std::vector<std::uint32_t>& start, std::uint64_t stream, RunControl& control) {
  CommunityLevels out;
  Level L = from_graph(g, weights, o.cpm);
  if (L.n == 0 || L.two_m <= 0) return out;
  const std::uint64_t seed = o.seed ^ (stream * 0x9E3779B97F4A7C15ULL);
  std::vector<std::uint32_t> node_of(g.num_vertices());  // original node -> node of the current level
  std::iota(node_of.begin(), node_of.end(), 0u);
  std::vector<std::uint32_t> comm(L.n);
  if (start.empty()) {
    std::iota(comm.begin(), comm.end(), 0u);
  } else {
    comm = start;
    relabel(comm);
  }
  for (std::uint32_t level = 0; level < o.max_levels; ++level) {
    local_moving(L, comm, o.resolution, seed, level, o.max_passes, control);
    if (o.leiden) split_disconnected(L, comm);
    const std::uint32_t k = relabel(comm);
    std::vector<std::uint32_t> member(node_of.size());
    for (std::size_t v = 0; v < node_of.size(); ++v) member[v] = comm[node_of[v]];
    const std::uint32_t count = relabel(member);
    if (!out.membership.empty() && member == out.membership.back()) break;
    out.modularity.push_back(level_modularity(L, comm, k, o.resolution));
    out.disconnected.push_back(count_disconnected(g, member, count));
    out.membership.push_back(std::move(member));
    if (k == L.n) break;  // nothing merged: the next level would be the same
    std::vector<std::uint32_t> group = o.leiden ? refine(L, comm, k, o.resolution, o.theta, seed, level) : comm;
    const std::uint32_t groups = relabel(group);
    // Next level: one node per group, starting from the (unrefined) communities.
    std::vector<std::uint32_t> next_comm(groups);
    for (std::uint32_t v = 0; v < L.n; ++v) next_comm[group[v]] = comm[v];
    for (auto& x : node_of) x = group[x];
    L = aggregate(L, group, groups);
    comm = std::move(next_comm);
  }
  return out;
}

}  // namespace

CommunityLevels louvain(const Graph& g, std::span<const double> weights, const CommunityOptions& o,
                        RunControl& control) {
  require(!g.directed(), "graph", "community detection needs an undirected graph");
  require(weights.empty() || weights.size() == g.num_edges(), "weights", "needs one weight per edge");
  for (double w : weights)
    if (!std::isfinite(w) || w < 0) fail("weights", "edge weights must be finite and >= 0");
  require(std::isfinite(o.resolution) && o.resolution > 0, "resolution", "must be > 0");
  require(std::isfinite(o.theta) && o.theta > 0, "theta", "must be > 0");
  if (!o.initial.empty()) {
    require(o.initial.size() == g.num_vertices(), "initial_membership", "needs one label per node");
    for (std::uint32_t l : o.initial)
      require(l < g.num_vertices(), "initial_membership", "labels must be < the number of nodes");
  }
  const std::uint32_t runs = o.iterations == 0 ? 1000 : o.iterations;
  CommunityLevels best = one_run(g, weights, o, o.initial, 0, control);
  for (std::uint32_t it = 1; it < runs && !best.membership.empty() && !control.stop_requested(); ++it) {
    CommunityLevels next = one_run(g, weights, o, best.membership.back(), it, control);
    if (next.membership.empty()) break;
    // A run that raises the final modularity by less than 1e-6 ends the iteration
    // (the pass threshold of the local moving, as in Blondel et al.'s code).
    const bool better = next.modularity.back() > best.modularity.back() + (o.cpm ? 1e-6 * g.num_edges() : 1e-6);
    if (better) best = std::move(next);
    if (!better && o.iterations == 0) break;
  }
  control.finish();
  return best;
}

}  // namespace urbplex::multiscale
