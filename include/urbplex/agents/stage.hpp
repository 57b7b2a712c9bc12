// Applying an agent rule to many agents: the C++ side of urbplex.agents.
// Two shapes: apply_parallel (one synchronous update of every agent, as the
// Python stages) and for_each_agent (agents run independently with
// per-thread scratch, as the EPR and d-EPR trajectories of mobility/epr.cpp).
//
// A rule is a policy: any callable `rule(i)` that reads the model's state and
// writes agent i's own row only (the synchronous, double-buffered update of
// the Python stages with order="parallel"). apply_parallel runs it over a
// list of agent ids with OpenMP, in chunks, checking the RunControl between
// chunks (Ctrl-C, progress). With counter-based random numbers (Philox on
// (seed, step, stage, agent, draw), see urbplex/core/rng.hpp) the result does
// not depend on the thread count.
#pragma once
#include <omp.h>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <exception>
#include <optional>
#include <span>

#include "urbplex/core/parallel.hpp"
#include "urbplex/core/region_errors.hpp"
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
    parallel::RegionErrors errors;  // an exception (out of memory too) must not leave the region
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::int64_t j = 0; j < n; ++j)
      if (!errors.failed()) errors.guard([&] { rule(ids[lo + static_cast<std::size_t>(j)]); });
    errors.rethrow();
    control.advance(hi - lo);
    control.checkpoint();
    control.throw_if_stopped();
  }
}

// Runs step(scratch, i) for every agent i in [0, n), in parallel with
// dynamic chunks of `chunk` agents (agents of uneven cost, such as EPR
// trajectories), each thread with its own scratch made by make(); then
// merge(scratch) once per thread, one thread at a time. `work` is the total
// in simple operations (sets the thread count). For a result independent of
// the thread count, step draws from the agent's own stream and merge only
// adds integers (or anything else whose order does not matter). An exception
// in a step stops the others and is rethrown; Ctrl-C is seen within a chunk.
// The caller calls control.finish() when it is done.
template <class Make, class Step, class Merge>
void for_each_agent(std::uint64_t n, std::uint64_t work, RunControl& control, Make&& make, Step&& step,
                    Merge&& merge, int chunk = 64) {
  control.set_total(n);
  std::exception_ptr error;
#pragma omp parallel num_threads(parallel::threads_for(work))
  {
    const auto keep = [&] {
#pragma omp critical(urbplex_agents_error)
      if (!error) error = std::current_exception();
      control.request_stop();
    };
    std::optional<decltype(make())> scratch;
    try {  // per-thread scratch: out of memory is an error, not an abort
      scratch.emplace(make());
    } catch (...) {
      keep();
    }
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, chunk)
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
      if (control.stop_requested() || !scratch) continue;
      try {
        step(*scratch, static_cast<std::uint64_t>(i));
      } catch (...) {
        keep();
      }
      control.advance();
      if (controller) control.checkpoint();
    }
    if (scratch) {
#pragma omp critical(urbplex_agents_merge)
      try {
        merge(*scratch);
      } catch (...) {
        keep();
      }
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace urbplex::agents
