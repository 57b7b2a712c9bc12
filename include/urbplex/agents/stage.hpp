// Applying an agent rule to many agents: the C++ side of urbplex.agents.
//
// A rule is a policy: any callable `rule(i)` that reads the model's state and
// writes agent i's own row only (the synchronous, double-buffered update of
// the Python stages with order="parallel"). apply_parallel runs it over a
// list of agent ids with OpenMP, in chunks, checking the RunControl between
// chunks (Ctrl-C, progress). With counter-based random numbers (Philox on
// (seed, step, stage, agent, draw), see urbplex/core/rng.hpp) the result does
// not depend on the thread count.
#pragma once
#include <algorithm>
#include <concepts>
#include <cstdint>
#include <span>

#include "urbplex/core/parallel.hpp"
#include "urbplex/core/run_control.hpp"

namespace urbplex::agents {

template <class Rule>
concept AgentRule = std::invocable<Rule&, std::int64_t>;

// Agents per chunk: the unit of work between two Ctrl-C checks.
inline constexpr std::size_t kChunk = std::size_t{1} << 16;

// Applies rule(i) to every i of `ids`, in parallel. `cost` is the rule's work
// per agent in simple operations (sets the thread count on small inputs).
template <AgentRule Rule>
void apply_parallel(std::span<const std::int64_t> ids, Rule& rule, RunControl& control = RunControl::none(),
                    std::uint64_t cost = 32) {
  control.set_total(ids.size());
  for (std::size_t lo = 0; lo < ids.size(); lo += kChunk) {
    const std::size_t hi = std::min(ids.size(), lo + kChunk);
    const auto n = static_cast<std::int64_t>(hi - lo);
    const int threads = parallel::threads_for(static_cast<std::uint64_t>(n) * cost);
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::int64_t j = 0; j < n; ++j) rule(ids[lo + static_cast<std::size_t>(j)]);
    control.advance(hi - lo);
    control.checkpoint();
    control.throw_if_stopped();
  }
}

}  // namespace urbplex::agents
