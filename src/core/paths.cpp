#include "urbplex/core/paths.hpp"
#include "urbplex/core/parallel.hpp"

#include <omp.h>

#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "urbplex/core/bgl.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"

namespace urbplex {
namespace {

void check_weights(const Graph& g, std::span<const double> w) {
  require(w.size() == g.num_edges(), "weight",
          "has " + std::to_string(w.size()) + " values, expected one per edge (" + std::to_string(g.num_edges()) + ")");
  for (std::size_t e = 0; e < w.size(); ++e)
    if (!(std::isfinite(w[e]) && w[e] >= 0))
      fail("weight", "value at edge " + std::to_string(e) + " must be finite and >= 0, got " + std::to_string(w[e]));
}

struct Stopped {};

// Polls the RunControl every 4096 settled vertices; throws Stopped (caught
// in run_dijkstra, inside the calling thread) to abandon a search.
class ControlVisitor : public boost::default_dijkstra_visitor {
 public:
  ControlVisitor(RunControl& control, bool controller) : control_(&control), controller_(controller) {}
  template <class G>
  void examine_vertex(vertex_t, const G&) {
    if ((++settled_ & 4095) != 0) return;
    if (controller_) control_->checkpoint();
    if (control_->stop_requested()) throw Stopped{};
  }

 private:
  RunControl* control_;
  bool controller_;
  std::uint64_t settled_ = 0;
};

// Boost.Graph's Dijkstra (4-ary indirect heap) through the CSR adaptor: in
// benchmarks/cpp/bench_graph.cpp it beats a lazy-deletion binary heap on the
// same arrays by ~20%. Returns false if stopped through `control`.
bool run_dijkstra(const Graph& g, vertex_t s, const double* w, double* dist, vertex_t* pred, RunControl& control,
                  bool controller) {
  try {
    boost::dijkstra_shortest_paths_no_color_map(
        bgl::DirectedView(g), s,
        boost::weight_map(bgl::EdgeMap{w})
            .distance_map(dist)
            .predecessor_map(pred)
            .vertex_index_map(boost::typed_identity_property_map<vertex_t>())
            .distance_inf(std::numeric_limits<double>::infinity())
            .visitor(ControlVisitor(control, controller)));
    return true;
  } catch (const Stopped&) {
    return false;
  }
}

}  // namespace

ShortestPaths dijkstra(const Graph& g, vertex_t source, std::span<const double> weight) {
  require(source < g.num_vertices(), "source",
          "vertex " + std::to_string(source) + " out of range for n=" + std::to_string(g.num_vertices()));
  check_weights(g, weight);
  const vertex_t n = g.num_vertices();
  ShortestPaths sp;
  sp.distance.resize(n);
  std::vector<vertex_t> pred(n);
  run_dijkstra(g, source, weight.data(), sp.distance.data(), pred.data(), RunControl::none(), false);
  sp.predecessor.resize(n);
  for (vertex_t v = 0; v < n; ++v) sp.predecessor[v] = (pred[v] == v) ? -1 : static_cast<std::int64_t>(pred[v]);
  return sp;
}

std::vector<double> distance_matrix(const Graph& g, std::span<const vertex_t> sources, std::span<const double> weight,
                                    RunControl& control) {
  check_weights(g, weight);
  const vertex_t n = g.num_vertices();
  for (std::size_t i = 0; i < sources.size(); ++i)
    if (sources[i] >= n) fail("sources", "vertex " + std::to_string(sources[i]) + " out of range");
  std::vector<double> out(sources.size() * static_cast<std::size_t>(n));
  control.set_total(sources.size());
  const auto count = static_cast<std::int64_t>(sources.size());
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for(sources.size() * (g.num_arcs() + n) * 8))
  {
    std::vector<vertex_t> pred;
    errors.guard([&] { pred.resize(n); });
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t i = 0; i < count; ++i) {
      if (control.stop_requested() || errors.failed()) continue;
      errors.guard([&] {
        if (run_dijkstra(g, sources[i], weight.data(), out.data() + i * static_cast<std::int64_t>(n), pred.data(),
                         control, controller))
          control.advance();
      });
      if (controller) control.checkpoint();
    }
  }
  errors.rethrow();
  control.finish();
  return out;
}

}  // namespace urbplex
