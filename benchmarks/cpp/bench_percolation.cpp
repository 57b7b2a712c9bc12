// One Newman-Ziff sweep (site and bond) on 10^6-vertex graphs, and the
// ensemble of realizations.
#include <benchmark/benchmark.h>

#include <numeric>

#include "urbplex/core/rng.hpp"
#include "urbplex/generators/lattice.hpp"
#include "urbplex/generators/random_graphs.hpp"
#include "urbplex/percolation/newman_ziff.hpp"

using namespace urbplex;
namespace perc = urbplex::percolation;

namespace {
const Graph& er() {
  static Graph g = generators::erdos_renyi_gnp(1'000'000, 1e-5, 1);
  return g;
}
const Graph& lattice() {
  static Graph g = generators::square_lattice(1000, 1000);
  return g;
}
std::vector<std::uint32_t> permutation(std::uint64_t n) {
  std::vector<std::uint32_t> p(n);
  std::iota(p.begin(), p.end(), 0u);
  Rng rng(3, 0);
  for (std::uint64_t i = n; i > 1; --i) std::swap(p[i - 1], p[rng.below(i)]);
  return p;
}
}  // namespace

static void BM_SiteSweepER(benchmark::State& state) {
  const auto order = permutation(er().num_vertices());
  for (auto _ : state) benchmark::DoNotOptimize(perc::sweep_order(er(), perc::Kind::Site, order));
}
BENCHMARK(BM_SiteSweepER)->Unit(benchmark::kMillisecond);

static void BM_BondSweepER(benchmark::State& state) {
  const auto order = permutation(er().num_edges());
  for (auto _ : state) benchmark::DoNotOptimize(perc::sweep_order(er(), perc::Kind::Bond, order));
}
BENCHMARK(BM_BondSweepER)->Unit(benchmark::kMillisecond);

static void BM_SiteSweepLattice(benchmark::State& state) {
  const auto order = permutation(lattice().num_vertices());
  for (auto _ : state) benchmark::DoNotOptimize(perc::sweep_order(lattice(), perc::Kind::Site, order));
}
BENCHMARK(BM_SiteSweepLattice)->Unit(benchmark::kMillisecond);

static void BM_BondSweepLattice(benchmark::State& state) {
  const auto order = permutation(lattice().num_edges());
  for (auto _ : state) benchmark::DoNotOptimize(perc::sweep_order(lattice(), perc::Kind::Bond, order));
}
BENCHMARK(BM_BondSweepLattice)->Unit(benchmark::kMillisecond);

static void BM_BondEnsembleER8(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(perc::sweep_ensemble(er(), perc::Kind::Bond, 8, 1));
}
BENCHMARK(BM_BondEnsembleER8)->Unit(benchmark::kMillisecond)->UseRealTime();
