// Graph construction, components and shortest paths on the CSR Graph, and
// the same algorithms from Boost.Graph through the adaptor on the same graph.
#include <benchmark/benchmark.h>

#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>
#include <cmath>
#include <limits>

#include "urbplex/core/bgl.hpp"
#include "urbplex/core/components.hpp"
#include "urbplex/core/paths.hpp"
#include "urbplex/core/rng.hpp"
#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/generators/spatial.hpp"

using namespace urbplex;

namespace {
// 10^6 vertices, 5 * 10^6 uniformly random edges (the Python benchmark's input).
struct EdgeList {
  std::vector<vertex_t> src, dst;
  EdgeList() {
    Rng rng(1, 0);
    src.resize(5'000'000);
    dst.resize(5'000'000);
    for (std::size_t i = 0; i < src.size(); ++i) {
      src[i] = static_cast<vertex_t>(rng.below(1'000'000));
      dst[i] = static_cast<vertex_t>(rng.below(1'000'000));
    }
  }
};
const EdgeList& edges() {
  static EdgeList e;
  return e;
}
const Graph& big() {
  static Graph g = Graph::from_edges(1'000'000, edges().src, edges().dst, false);
  return g;
}
const Graph& rgg() {
  static Graph g = generators::random_geometric(300'000, std::sqrt(8.0 / (M_PI * 300'000)), 1);
  return g;
}
}  // namespace

static void BM_BuildFromEdges(benchmark::State& state) {
  const auto& e = edges();
  for (auto _ : state) benchmark::DoNotOptimize(Graph::from_edges(1'000'000, e.src, e.dst, false));
  state.counters["bytes_per_arc"] = static_cast<double>(big().topology_bytes()) / big().num_arcs();
}
BENCHMARK(BM_BuildFromEdges)->Unit(benchmark::kMillisecond);

static void BM_ComponentsUnionFind(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(connected_components(big()));
}
BENCHMARK(BM_ComponentsUnionFind)->Unit(benchmark::kMillisecond);

static void BM_ComponentsBoostDFS(benchmark::State& state) {
  std::vector<vertex_t> label(big().num_vertices());
  for (auto _ : state) benchmark::DoNotOptimize(boost::connected_components(bgl::UndirectedView(big()), label.data()));
}
BENCHMARK(BM_ComponentsBoostDFS)->Unit(benchmark::kMillisecond);

static void BM_DijkstraApi(benchmark::State& state) {
  const auto w = rgg().edge_attribute("length");
  for (auto _ : state) benchmark::DoNotOptimize(dijkstra(rgg(), 0, w));
}
BENCHMARK(BM_DijkstraApi)->Unit(benchmark::kMillisecond);

static void BM_DijkstraBoost(benchmark::State& state) {
  const auto w = rgg().edge_attribute("length");
  std::vector<double> dist(rgg().num_vertices());
  std::vector<vertex_t> pred(rgg().num_vertices());
  for (auto _ : state)
    boost::dijkstra_shortest_paths_no_color_map(
        bgl::DirectedView(rgg()), vertex_t{0},
        boost::weight_map(bgl::EdgeMap{w.data()}).distance_map(dist.data()).predecessor_map(pred.data())
            .vertex_index_map(boost::typed_identity_property_map<vertex_t>())
            .distance_inf(std::numeric_limits<double>::infinity()));
}
BENCHMARK(BM_DijkstraBoost)->Unit(benchmark::kMillisecond);

static void BM_ErdosRenyiGnp(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(generators::erdos_renyi_gnp(1'000'000, 1e-5, 1));
}
BENCHMARK(BM_ErdosRenyiGnp)->Unit(benchmark::kMillisecond);
