#include "urbplex/mobility/epr.hpp"
#include "urbplex/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <memory>
#include <string>

#include "urbplex/agents/stage.hpp"
#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/mobility/alias.hpp"
#include "urbplex/mobility/spatial_index.hpp"

namespace urbplex::mobility {

// Both samplers draw exactly from x^(-1-a) e^(-x/c) on x >= x0 (a shifted
// variant for jumps) by rejection, from whichever proposal keeps the
// acceptance bounded away from 0: the Pareto tail thinned by the exponential
// cut-off when c >= x0, or the exponential thinned by the power law when the
// cut-off is shorter than the minimum (c < x0), where the Pareto proposal
// would almost never be accepted (an endless loop for c -> 0).
double draw_waiting_time(Rng& rng, double beta, double tau, double tmin) {
  if (std::isfinite(tau) && tau < tmin) {
    for (;;) {
      const double t = tmin - tau * std::log(rng.uniform_pos());
      if (rng.uniform() < std::pow(t / tmin, -1.0 - beta)) return t;
    }
  }
  // Pareto(tmin, beta) thinned by exp(-(t - tmin)/tau): exactly t^(-1-beta) e^(-t/tau) on t >= tmin.
  for (;;) {
    const double t = tmin * std::pow(rng.uniform_pos(), -1.0 / beta);
    if (!std::isfinite(tau) || rng.uniform() < std::exp(-(t - tmin) / tau)) return t;
  }
}

double draw_jump_length(Rng& rng, double alpha, double r0, double kappa) {
  if (std::isfinite(kappa) && kappa < r0) {
    for (;;) {
      const double y = r0 - kappa * std::log(rng.uniform_pos());
      if (rng.uniform() < std::pow(y / r0, -1.0 - alpha)) return y - r0;
    }
  }
  // y = dr + r0 ~ Pareto(r0, alpha), thinned by exp(-dr/kappa).
  for (;;) {
    const double y = r0 * std::pow(rng.uniform_pos(), -1.0 / alpha);
    if (!std::isfinite(kappa) || rng.uniform() < std::exp(-(y - r0) / kappa)) return y - r0;
  }
}

namespace {

void check_params(const EprParams& p) {
  auto positive = [](double v, const char* name) {
    require(std::isfinite(v) && v > 0, name, "must be a positive number, got " + std::to_string(v));
  };
  require(std::isfinite(p.rho) && p.rho > 0 && p.rho <= 1, "rho", "must be in (0, 1], got " + std::to_string(p.rho));
  require(std::isfinite(p.gamma) && p.gamma >= 0, "gamma", "must be >= 0, got " + std::to_string(p.gamma));
  // Tail exponents this small make nearly every Pareto draw overflow to infinity.
  auto tail = [](double v, const char* name) {
    require(std::isfinite(v) && v >= 0.01, name, "must be a tail exponent >= 0.01, got " + std::to_string(v));
  };
  tail(p.wait_beta, "wait_beta");
  require(p.wait_tau > 0, "wait_tau", "must be > 0 (inf for no cut-off), got " + std::to_string(p.wait_tau));
  positive(p.wait_min, "wait_min");
  if (p.exploration == Exploration::spatial) {
    tail(p.jump_alpha, "jump_alpha");
    positive(p.jump_r0, "jump_r0");
    require(p.jump_kappa > 0, "jump_kappa", "must be > 0 (inf for no cut-off), got " + std::to_string(p.jump_kappa));
  } else {
    require(std::isfinite(p.gravity_exponent) && p.gravity_exponent >= 0, "gravity_exponent", "must be >= 0");
  }
}

// Planar km coordinates for geographic locations (equirectangular about the mean latitude).
void planar(const Locations& locs, std::vector<double>& px, std::vector<double>& py) {
  const std::uint32_t n = locs.size();
  px.assign(locs.x.begin(), locs.x.end());
  py.assign(locs.y.begin(), locs.y.end());
  if (locs.metric == Metric::euclidean) return;
  double lat0 = 0;
  for (double v : locs.y) lat0 += v;
  lat0 = lat0 / n * M_PI / 180.0;
  const double k = kEarthRadiusKm * M_PI / 180.0;
  for (std::uint32_t i = 0; i < n; ++i) px[i] = k * std::cos(lat0) * locs.x[i], py[i] = k * locs.y[i];
}

double point_distance(const Locations& locs, double x1, double y1, double x2, double y2) {
  if (locs.metric == Metric::euclidean) return std::hypot(x1 - x2, y1 - y2);
  const double xs[2] = {x1, x2}, ys[2] = {y1, y2}, ms[2] = {0, 0};
  Locations two{xs, ys, ms, Metric::haversine};
  return two.distance(0, 1);
}

// Thread-local state of the agent being simulated.
struct Scratch {
  std::vector<std::uint32_t> mark, count;  // mark[j] == epoch: j visited by this agent, count[j] visits
  std::vector<std::uint32_t> visits;       // every visit, in order (draws proportional to visits)
  std::vector<std::uint32_t> places;       // distinct locations, in order of discovery
  std::vector<std::uint64_t> distinct_at, rank_visits, discovery_visits;
  std::vector<std::uint32_t> sorted;
  std::uint32_t epoch = 0;
  std::uint64_t explorations = 0, returns = 0;
};

}  // namespace

EprResult simulate_epr(const Locations& locs, const EprParams& p, const EprOptions& o, RunControl& control) {
  check_locations(locs);
  check_params(p);
  const std::uint32_t L = locs.size();
  require(o.agents >= 1, "agents", "must be >= 1");
  require(o.steps >= 1, "steps", "must be >= 1");
  require(o.k >= 1, "k", "must be >= 1");
  require(o.start.empty() || o.start.size() == o.agents, "start",
          "needs one location per agent (" + std::to_string(o.agents) + "), got " + std::to_string(o.start.size()));
  for (std::size_t a = 0; a < o.start.size(); ++a)
    if (o.start[a] >= L) fail("start", "location " + std::to_string(o.start[a]) + " of agent " + std::to_string(a) + " is out of range");
  for (std::size_t g = 0; g < o.time_grid.size(); ++g)
    require(std::isfinite(o.time_grid[g]) && (g == 0 || o.time_grid[g] >= o.time_grid[g - 1]), "time_grid",
            "must be finite and non-decreasing");
  const std::uint64_t records = static_cast<std::uint64_t>(o.steps) + 1;
  if (o.record)
    require(static_cast<double>(o.agents) * records * 12.0 <= 16e9, "record",
            "trajectories of " + std::to_string(o.agents) + " agents x " + std::to_string(records) +
                " records need more than 16 GB: run with record=False (summaries only)");
  if (o.od) require(static_cast<double>(L) * L * 8 <= 8e9, "od", "an L x L trip matrix needs more than 8 GB");

  std::vector<double> px, py;
  planar(locs, px, py);

  // Start locations in proportion to mass.
  std::vector<float> mass_prob(L);
  std::vector<std::uint32_t> mass_alias(L);
  if (o.start.empty())
    require(build_alias(locs.mass, mass_prob, mass_alias), "mass", "all masses are zero: cannot place agents");

  // Exploration samplers.
  std::unique_ptr<GridIndex> grid;
  std::vector<float> row_prob;
  std::vector<std::uint32_t> row_alias;
  std::vector<char> row_ok;
  if (p.exploration == Exploration::spatial) {
    grid = std::make_unique<GridIndex>(px, py);
  } else {
    require(static_cast<double>(L) * L * 8 <= 4e9, "locations",
            "d-EPR alias tables need 8 bytes per location pair: " + std::to_string(L) + " locations need more than 4 GB");
    row_prob.resize(static_cast<std::size_t>(L) * L);
    row_alias.resize(static_cast<std::size_t>(L) * L);
    row_ok.assign(L, 0);
    std::atomic<std::int64_t> coincident{-1};
    const DistanceKernel dk(locs);
    const double e = p.gravity_exponent;
    parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel num_threads(parallel::threads_for(static_cast<std::uint64_t>(L) * L * 16))
    {
      std::vector<double> w;
      errors.guard([&] { w.resize(L); });
#pragma omp for schedule(dynamic, 16)
      for (std::int64_t s = 0; s < static_cast<std::int64_t>(L); ++s) {
        if (errors.failed()) continue;
        errors.guard([&] {
        const auto i = static_cast<std::uint32_t>(s);
        for (std::uint32_t j = 0; j < L; ++j) {
          if (j == i) {
            w[j] = 0;
            continue;
          }
          const double d = dk.distance(i, j);
          if (d <= 0 && e > 0) coincident.store(s);
          w[j] = d > 0 ? locs.mass[j] * (e == 2.0 ? 1.0 / (d * d) : std::pow(d, -e)) : 0.0;
        }
        const std::size_t off = static_cast<std::size_t>(i) * L;
        row_ok[i] = build_alias(w, std::span<float>(row_prob.data() + off, L),
                                std::span<std::uint32_t>(row_alias.data() + off, L));
        });
      }
    }
    errors.rethrow();
    if (coincident.load() >= 0)
      fail("coordinates", "location " + std::to_string(coincident.load()) +
                              " coincides with another: the gravity deterrence d^-exponent is infinite");
  }

  EprResult res;
  res.agents = o.agents;
  res.steps = o.steps;
  if (o.record) {
    res.location.resize(o.agents * records);
    res.time.resize(o.agents * records);
  }
  res.distinct.resize(o.agents);
  res.radius.resize(o.agents);
  res.radius_k.resize(o.agents);
  res.entropy.resize(o.agents);
  res.distinct_at.assign(o.time_grid.size(), 0);
  res.rank_visits.assign(records, 0);
  res.discovery_visits.assign(records, 0);
  if (o.od) res.od.assign(static_cast<std::size_t>(L) * L, 0);

  // Each agent's trajectory is one step of the agents framework
  // (agents/stage.hpp): per-thread scratch, dynamic chunks of 64 agents,
  // integer sums merged per thread (so the result is thread-invariant).
  auto make = [&] {
    Scratch sc;
    sc.mark.assign(L, 0);
    sc.count.assign(L, 0);
    sc.distinct_at.assign(o.time_grid.size(), 0);
    sc.rank_visits.assign(records, 0);
    sc.discovery_visits.assign(records, 0);
    return sc;
  };
  auto run_agent = [&](Scratch& sc, std::uint64_t a) {
    Rng rng(o.seed, a);
    ++sc.epoch;
    sc.visits.clear();
    sc.places.clear();
    auto visit = [&](std::uint32_t j) {
      if (sc.mark[j] != sc.epoch) {
        sc.mark[j] = sc.epoch;
        sc.count[j] = 0;
        sc.places.push_back(j);
      }
      ++sc.count[j];
      sc.visits.push_back(j);
    };
    std::uint32_t loc = o.start.empty() ? draw_alias(mass_prob, mass_alias, rng) : o.start[a];
    double t = 0.0;
    std::size_t gp = 0;
    visit(loc);
    if (o.record) res.location[a * records] = loc, res.time[a * records] = 0.0;

    for (std::uint32_t s = 1; s <= o.steps; ++s) {
      t += draw_waiting_time(rng, p.wait_beta, p.wait_tau, p.wait_min);
      const auto S = static_cast<std::uint32_t>(sc.places.size());
      while (gp < o.time_grid.size() && o.time_grid[gp] < t) sc.distinct_at[gp++] += S;
      const double u = rng.uniform();
      const bool explore = S < L && (S == 1 || u < p.rho * std::pow(static_cast<double>(S), -p.gamma));
      std::uint32_t next = UINT32_MAX;
      if (explore) {
        auto unvisited = [&](std::uint32_t j) { return sc.mark[j] != sc.epoch; };
        if (p.exploration == Exploration::spatial) {
          const double dr = draw_jump_length(rng, p.jump_alpha, p.jump_r0, p.jump_kappa);
          const double th = 2 * M_PI * rng.uniform();
          next = grid->nearest(px[loc] + dr * std::cos(th), py[loc] + dr * std::sin(th), unvisited);
        } else if (row_ok[loc]) {
          const std::size_t off = static_cast<std::size_t>(loc) * L;
          const std::span<const float> pr(row_prob.data() + off, L);
          const std::span<const std::uint32_t> al(row_alias.data() + off, L);
          for (int tries = 0; tries < 64 && next == UINT32_MAX; ++tries) {
            const std::uint32_t j = draw_alias(pr, al, rng);
            if (unvisited(j)) next = j;
          }
          if (next == UINT32_MAX) {  // most of the neighbourhood visited: exact draw among the rest
            double total = 0;
            for (std::uint32_t j = 0; j < L; ++j)
              if (j != loc && unvisited(j)) total += locs.mass[j] * std::pow(locs.distance(loc, j), -p.gravity_exponent);
            double target = rng.uniform() * total;
            for (std::uint32_t j = 0; j < L && total > 0; ++j) {
              if (j == loc || !unvisited(j)) continue;
              target -= locs.mass[j] * std::pow(locs.distance(loc, j), -p.gravity_exponent);
              next = j;
              if (target < 0) break;
            }
          }
        }
      }
      if (next != UINT32_MAX) {
        ++sc.explorations;
      } else if (S > 1) {  // preferential return, in proportion to visits, never to where the agent is
        for (int tries = 0; tries < 64 && next == UINT32_MAX; ++tries) {
          const std::uint32_t j = sc.visits[rng.below(sc.visits.size())];
          if (j != loc) next = j;
        }
        if (next == UINT32_MAX) {
          const std::uint64_t others = sc.visits.size() - sc.count[loc];
          std::uint64_t target = rng.below(others);
          for (std::uint32_t j : sc.places) {
            if (j == loc) continue;
            if (target < sc.count[j]) {
              next = j;
              break;
            }
            target -= sc.count[j];
          }
        }
        ++sc.returns;
      } else {
        next = loc;  // nowhere to go (a single reachable location): stay
      }
      if (o.od) std::atomic_ref<std::uint64_t>(res.od[static_cast<std::size_t>(loc) * L + next]).fetch_add(1, std::memory_order_relaxed);
      loc = next;
      visit(loc);
      if (o.record) res.location[a * records + s] = loc, res.time[a * records + s] = t;
    }
    const auto S = static_cast<std::uint32_t>(sc.places.size());
    while (gp < o.time_grid.size()) sc.distinct_at[gp++] += S;

    // Summaries: radius of gyration (all visits, and the k most visited places), entropy, ranks.
    const double nv = static_cast<double>(sc.visits.size());
    // Places in order of discovery, stably by visits: ties go to the place
    // visited first, so the k-radius does not depend on location numbering.
    sc.sorted.assign(sc.places.begin(), sc.places.end());
    std::stable_sort(sc.sorted.begin(), sc.sorted.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return sc.count[x] > sc.count[y]; });
    auto gyration = [&](std::size_t top) {
      double cx = 0, cy = 0, w = 0;
      for (std::size_t r = 0; r < top; ++r) {
        const std::uint32_t j = sc.sorted[r];
        cx += sc.count[j] * locs.x[j], cy += sc.count[j] * locs.y[j], w += sc.count[j];
      }
      cx /= w, cy /= w;
      double m2 = 0;
      for (std::size_t r = 0; r < top; ++r) {
        const std::uint32_t j = sc.sorted[r];
        const double d = point_distance(locs, locs.x[j], locs.y[j], cx, cy);
        m2 += sc.count[j] * d * d;
      }
      return std::sqrt(m2 / w);
    };
    double h = 0;
    for (std::size_t r = 0; r < sc.sorted.size(); ++r) {
      const double q = sc.count[sc.sorted[r]] / nv;
      h -= q * std::log2(q);
      sc.rank_visits[r] += sc.count[sc.sorted[r]];
    }
    for (std::size_t i = 0; i < sc.places.size(); ++i) sc.discovery_visits[i] += sc.count[sc.places[i]];
    res.distinct[a] = S;
    res.radius[a] = gyration(sc.sorted.size());
    res.radius_k[a] = gyration(std::min<std::size_t>(o.k, sc.sorted.size()));
    res.entropy[a] = h;
  };
  auto merge = [&](Scratch& sc) {
    for (std::size_t g = 0; g < sc.distinct_at.size(); ++g) res.distinct_at[g] += sc.distinct_at[g];
    for (std::size_t r = 0; r < sc.rank_visits.size(); ++r) res.rank_visits[r] += sc.rank_visits[r];
    for (std::size_t r = 0; r < sc.discovery_visits.size(); ++r) res.discovery_visits[r] += sc.discovery_visits[r];
    res.explorations += sc.explorations;
    res.returns += sc.returns;
  };
  agents::for_each_agent(o.agents, o.agents * (o.steps + 1) * 64, control, make, run_agent, merge);
  control.finish();
  return res;
}

}  // namespace urbplex::mobility
