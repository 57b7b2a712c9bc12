// Matrix balancing for doubly constrained flows (Furness 1965; iterative
// proportional fitting; Sinkhorn & Knopp 1967): positive scales A, B with
//   A_i sum_j F_ij B_j = r_i   and   B_j sum_i A_i F_ij = c_j.
//
// Each sweep is Sinkhorn's map on log B (rows exact, then columns). Plain
// sweeps converge linearly at a rate set by the second singular value of the
// balanced matrix, which for strong distance deterrence (a nearly
// block-diagonal F) means thousands of sweeps. Anderson mixing of the last few
// sweeps (Anderson 1965; Walker & Ni, SIAM J. Numer. Anal. 49, 1715, 2011)
// extrapolates the fixed point and turns those into tens; a sweep that does
// not shrink the residual drops the history and falls back to the plain map.
//
// Sums run in fixed row blocks, so the scales do not depend on the thread count.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace urbplex::mobility {

struct BalanceOptions {
  double tol = 1e-12;      // largest relative error of a column margin (rows are exact)
  int max_sweeps = 10000;  // throws std::invalid_argument beyond this
  int history = 6;         // Anderson depth; 0: plain Furness sweeps
};

// F: dense n x n, non-negative. rows, cols: non-negative margins with equal
// totals (checked by the caller). B: warm start (resized to n and set to 1 if
// it has another size); on return A and B hold the scales. Returns the sweeps.
// Throws std::invalid_argument naming an origin with outflow but no reachable
// destination (or the reverse), or when the sweeps run out.
int balance_scales(std::span<const double> F, std::uint32_t n, std::span<const double> rows,
                   std::span<const double> cols, std::vector<double>& A, std::vector<double>& B,
                   const BalanceOptions& options = {}, RunControl& control = RunControl::none());

}  // namespace urbplex::mobility
