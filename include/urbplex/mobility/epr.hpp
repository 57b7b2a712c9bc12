// Exploration and preferential return (EPR) agents.
//
// Song, Koren, Wang & Barabasi, "Modelling the scaling properties of human
// mobility", Nat. Phys. 6, 818 (2010): after a waiting time drawn from
// P(dt) ~ dt^(-1-beta) exp(-dt/tau), an agent that has visited S distinct
// locations explores a new one with probability rho S^-gamma, else returns
// to a visited location chosen in proportion to its visits. Exploration:
//   spatial (Song 2010): a jump of length dr ~ (dr + r0)^(-1-alpha) exp(-dr/kappa)
//       in a uniform direction, landing on the nearest location not yet visited;
//   density (d-EPR, Pappalardo, Simini, Rinzivillo, Pedreschi, Giannotti &
//       Barabasi, Nat. Commun. 6, 8166, 2015): a new location j chosen with
//       probability ~ m_j d_ij^-exponent (gravity), drawn from per-origin alias
//       tables (O(1) per draw, 8 bytes per location pair).
// Agent a draws from the Philox stream (seed, a): the output does not depend
// on the thread count. Agents are independent, so each is simulated to the
// end in thread-local scratch; memory per agent is what is recorded.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/rng.hpp"
#include "urbplex/core/run_control.hpp"
#include "urbplex/mobility/locations.hpp"

namespace urbplex::mobility {

enum class Exploration { spatial, density };

struct EprParams {
  Exploration exploration = Exploration::density;
  double rho = 0.6, gamma = 0.21;                        // Song 2010
  double wait_beta = 0.8, wait_tau = 17.0;               // hours, Song 2010
  double wait_min = 1.0 / 3.0;                           // hours (20 min, as scikit-mobility)
  double jump_alpha = 0.55, jump_r0 = 1.5, jump_kappa = 100.0;  // km (spatial exploration)
  double gravity_exponent = 2.0;                         // d-EPR deterrence d^-2
};

struct EprOptions {
  std::uint32_t agents = 1, steps = 100;
  std::uint64_t seed = 0;
  std::span<const std::uint32_t> start;  // one per agent; empty: drawn in proportion to mass
  bool record = true;                    // keep every (time, location)
  bool od = false;                       // aggregate the L x L matrix of trips
  std::span<const double> time_grid;     // times (hours) at which S(t) is summed over agents
  std::uint32_t k = 2;                   // k of the k-radius of gyration
};

struct EprResult {
  std::uint32_t agents = 0, steps = 0;
  std::vector<std::uint32_t> location;  // agents x (steps + 1), when recorded
  std::vector<double> time;             // hours, same shape
  std::vector<std::uint32_t> distinct;  // per agent: S at the end
  std::vector<double> radius, radius_k, entropy;  // per agent: r_g, r_g^(k), uncorrelated entropy (bits)
  std::vector<std::uint64_t> distinct_at;  // per grid time: sum over agents of S(t)
  std::vector<std::uint64_t> rank_visits;  // per rank k (0-based): sum over agents of visits to their k-th location
  std::vector<std::uint64_t> discovery_visits;  // per j (0-based): sum over agents of visits to the j-th place they found
  std::vector<std::uint64_t> od;           // L x L trips, when asked
  std::uint64_t explorations = 0, returns = 0;
};

EprResult simulate_epr(const Locations& locs, const EprParams& params, const EprOptions& options,
                       RunControl& control = RunControl::none());

// Samplers of the truncated power laws (exact, by rejection from a Pareto).
double draw_waiting_time(Rng& rng, double beta, double tau, double tmin);
double draw_jump_length(Rng& rng, double alpha, double r0, double kappa);

}  // namespace urbplex::mobility
