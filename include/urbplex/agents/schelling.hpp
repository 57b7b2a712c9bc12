// Schelling's residential choice as a C++ agent rule (policy) for
// agents::apply_parallel: T. C. Schelling, "Dynamic models of segregation",
// J. Math. Sociol. 1, 143 (1971), with the update of Mesa 3.x's example (see
// python/urbplex/agents/examples/schelling.py, the same rule in Python).
#pragma once
#include <cstdint>
#include <span>

namespace urbplex::agents {

// Judges agent i: happy when at least a share `homophily` of the occupied
// neighbouring cells hold its kind; share = that share (-1: no neighbours).
// Reads the kind of the household on every cell (-1: empty) from `kind_at`.
struct SchellingJudge {
  std::span<const std::int32_t> cell;      // agent -> cell
  std::span<const std::int8_t> kind;       // agent -> kind
  std::span<const std::int8_t> kind_at;    // cell -> kind of its household, -1 if empty
  std::span<const std::int64_t> indptr;    // neighbours of cell c: indices[indptr[c]:indptr[c+1]]
  std::span<const std::int32_t> indices;
  double homophily;
  std::span<bool> happy;                   // written: agent i's row only
  std::span<double> share;

  void operator()(std::int64_t i) const {
    const auto c = static_cast<std::size_t>(cell[static_cast<std::size_t>(i)]);
    const std::int8_t mine = kind[static_cast<std::size_t>(i)];
    int similar = 0, total = 0;
    for (auto k = indptr[c]; k < indptr[c + 1]; ++k) {
      const std::int8_t other = kind_at[static_cast<std::size_t>(indices[static_cast<std::size_t>(k)])];
      if (other >= 0) {
        ++total;
        similar += other == mine;
      }
    }
    const double s = total > 0 ? static_cast<double>(similar) / total : 0.0;
    happy[static_cast<std::size_t>(i)] = !(s < homophily);
    share[static_cast<std::size_t>(i)] = total > 0 ? s : -1.0;
  }
};

}  // namespace urbplex::agents
