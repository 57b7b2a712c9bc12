// Flow models: origin-destination matrices between locations.
//
// Gravity (Zipf 1946; singly and doubly constrained forms after Wilson,
// "A family of spatial interaction models", Environ. Plan. 3, 1971):
//   unconstrained       T_ij = K m_i^alpha m_j^beta f(d_ij)
//   origin-constrained  T_ij = O_i m_j^beta f(d_ij) / sum_k m_k^beta f(d_ik)
//   doubly constrained  T_ij = A_i O_i B_j D_j f(d_ij)  (Furness balancing)
// with f(d) = d^-gamma (power) or exp(-gamma d) (exponential); i != j.
//
// Radiation (Simini, Gonzalez, Maritan & Barabasi, Nature 484, 96, 2012):
//   T_ij = T_i m_i m_j / ((m_i + s_ij)(m_i + m_j + s_ij)),
// s_ij the mass of the locations closer to i than j (ties broken by index),
// optionally divided by 1 - m_i/M (Masucci et al., PRE 88, 022812, 2013) so
// that each row sums to T_i exactly.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"
#include "urbplex/mobility/locations.hpp"

namespace urbplex::mobility {

enum class DeterrenceKind { power, exponential };

struct Deterrence {
  DeterrenceKind kind = DeterrenceKind::power;
  double gamma = 2.0;
  // The covariate whose coefficient is -gamma in log f: ln d or d.
  double covariate(double d) const;
  double operator()(double d) const;
};

// Flows between n locations, dense (row-major n*n) or sparse (CSR of the
// entries >= min_flow). The diagonal is zero.
struct FlowMatrix {
  std::uint32_t n = 0;
  bool sparse = false;
  std::vector<double> dense;
  std::vector<std::uint64_t> indptr;
  std::vector<std::uint32_t> indices;
  std::vector<double> values;
};

enum class GravityKind { unconstrained, origin_constrained, doubly_constrained };

struct GravityParams {
  double k = 1.0, alpha = 1.0, beta = 1.0;
  Deterrence deterrence;
};

// outflows (O_i) are used by the constrained forms, inflows (D_j) by the doubly
// constrained one (sum O == sum D). min_flow > 0 returns a sparse matrix
// (not for the doubly constrained form, which needs the whole matrix).
FlowMatrix gravity_flows(const Locations& locs, GravityKind kind, const GravityParams& params,
                         std::span<const double> outflows, std::span<const double> inflows, double min_flow = 0.0,
                         RunControl& control = RunControl::none());

FlowMatrix radiation_flows(const Locations& locs, std::span<const double> outflows, bool finite_size_correction,
                           double min_flow = 0.0, RunControl& control = RunControl::none());

// Furness / iterative proportional fitting: scales rows and columns of the
// non-negative n*n matrix `m` in place until its row sums are `row_totals`
// and column sums `col_totals` to a relative tolerance `tol` (Anderson-
// accelerated sweeps, see balancing.hpp). Returns the number of sweeps;
// throws std::invalid_argument if the margins cannot be met. column_scales:
// a warm start of the column scales (n values), left with the solution.
int furness(std::vector<double>& m, std::uint32_t n, std::span<const double> row_totals,
            std::span<const double> col_totals, double tol = 1e-12, int max_sweeps = 10000,
            RunControl& control = RunControl::none(), std::vector<double>* column_scales = nullptr);

// Integer trips: origin i sends trips[i] trips, split multinomially in
// proportion to row i of `flows` (dense n*n). Origin i draws from the stream
// (seed, i). Returns the non-zero (origin, destination, count) triplets.
struct Trips {
  std::vector<std::uint32_t> origin, destination;
  std::vector<std::uint64_t> count;
};
Trips sample_trips(std::span<const double> flows, std::uint32_t n, std::span<const std::uint64_t> trips,
                   std::uint64_t seed);

}  // namespace urbplex::mobility
