#include "urbplex/mobility/balancing.hpp"
#include "urbplex/core/parallel.hpp"

#include <Eigen/Dense>
#include <omp.h>
#include <algorithm>
#include <cmath>
#include <deque>
#include <string>

#include "urbplex/core/errors.hpp"

namespace urbplex::mobility {

namespace {

// Row blocks for the column sums: a fixed number for a given n (not for a
// thread count), so that the sums do not depend on the threads; one block per
// 2^16 cells up to 64, so that a small matrix is not summed as 64 slivers.
int blocks_for(std::uint32_t n) {
  const std::uint64_t cells = static_cast<std::uint64_t>(n) * n;
  return static_cast<int>(std::clamp<std::uint64_t>(cells >> 16, 1, 64));
}

}  // namespace

int balance_scales(std::span<const double> F, std::uint32_t n, std::span<const double> rows,
                   std::span<const double> cols, std::vector<double>& A, std::vector<double>& B,
                   const BalanceOptions& opt, RunControl& control) {
  require(F.size() == static_cast<std::size_t>(n) * n, "flows", "must be an n x n matrix");
  A.assign(n, 0.0);
  if (B.size() != n) B.assign(n, 1.0);

  // The unknowns: x_j = log B_j over the columns with a margin (the others are 0).
  std::vector<std::uint32_t> active;
  for (std::uint32_t j = 0; j < n; ++j)
    if (cols[j] > 0) active.push_back(j);
  const auto m = static_cast<Eigen::Index>(active.size());
  Eigen::VectorXd x(m), g(m), f(m), g_prev(m), f_prev(m);
  for (Eigen::Index a = 0; a < m; ++a) {
    const double b = B[active[a]];
    x[a] = b > 0 && std::isfinite(b) ? std::log(b) : 0.0;
  }
  std::vector<double> Bv(n, 0.0), v(n);
  const int kBlocks = blocks_for(n);
  std::vector<std::vector<double>> part(kBlocks, std::vector<double>(n));
  std::deque<Eigen::VectorXd> dF, dG;  // differences of residuals and of mapped points, newest last
  double last_norm = INFINITY;

  // Each half-sweep reads the whole n x n matrix once.
  const int threads = parallel::threads_for(static_cast<std::uint64_t>(n) * n * 2);
  for (int sweep = 1; sweep <= opt.max_sweeps; ++sweep) {
    for (Eigen::Index a = 0; a < m; ++a) Bv[active[a]] = std::exp(x[a]);
    // Rows: A_i = r_i / sum_j F_ij B_j.
    std::int64_t dead_row = -1;
#pragma omp parallel for schedule(static) reduction(max : dead_row) num_threads(threads)
    for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s) {
      if (control.stop_requested()) continue;
      if ((s & 63) == 0 && omp_get_thread_num() == 0) control.checkpoint();  // a sweep of 10^8 cells: ~0.1 s
      const double* row = F.data() + static_cast<std::size_t>(s) * n;
      double t = 0;
      for (std::uint32_t j = 0; j < n; ++j) t += row[j] * Bv[j];
      if (rows[s] > 0 && !(t > 0)) dead_row = std::max(dead_row, s);
      A[s] = rows[s] > 0 ? rows[s] / t : 0.0;
    }
    if (dead_row >= 0)
      fail("outflows", "origin " + std::to_string(dead_row) + " has outflow but no reachable destination");
    // Columns: v_j = sum_i A_i F_ij; Sinkhorn's map is g = log(c / v).
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int blk = 0; blk < kBlocks; ++blk) {
      auto& p = part[blk];
      std::fill(p.begin(), p.end(), 0.0);
      const std::uint64_t lo = static_cast<std::uint64_t>(n) * blk / kBlocks;
      const std::uint64_t hi = static_cast<std::uint64_t>(n) * (blk + 1) / kBlocks;
      for (std::uint64_t i = lo; i < hi; ++i) {
        if (control.stop_requested()) break;
        if ((i & 63) == 0 && omp_get_thread_num() == 0) control.checkpoint();
        if (A[i] == 0) continue;
        const double* row = F.data() + i * n;
        for (std::uint32_t j = 0; j < n; ++j) p[j] += A[i] * row[j];
      }
    }
    control.throw_if_stopped();
    for (std::uint32_t j = 0; j < n; ++j) {
      double t = 0;
      for (int blk = 0; blk < kBlocks; ++blk) t += part[blk][j];
      v[j] = t;
    }
    // Column j of diag(A) F diag(B) sums to B_j v_j = c_j exp(-f_j): the relative error is |expm1(-f_j)|.
    double worst = 0;
    for (Eigen::Index a = 0; a < m; ++a) {
      const std::uint32_t j = active[a];
      if (!(v[j] > 0)) fail("inflows", "destination " + std::to_string(j) + " has inflow but no origin can reach it");
      g[a] = std::log(cols[j]) - std::log(v[j]);
      f[a] = g[a] - x[a];
      worst = std::max(worst, std::abs(std::expm1(-f[a])));
    }
    if (worst <= opt.tol) {
      for (std::uint32_t j = 0; j < n; ++j) B[j] = Bv[j];
      return sweep;
    }
    {  // every sweep: one on 10^8 cells takes ~0.1 s (checkpoint() itself polls at most every 50 ms)
      control.checkpoint();
      control.throw_if_stopped();
    }

    // Anderson mixing (type II): x+ = g - dG gamma, gamma = argmin |f - dF gamma|.
    const double norm = f.norm();
    if (sweep > 1) {
      dF.push_back(f - f_prev);
      dG.push_back(g - g_prev);
      if (static_cast<int>(dF.size()) > opt.history) dF.pop_front(), dG.pop_front();
    }
    if (norm > last_norm) dF.clear(), dG.clear();  // no progress: restart from the plain map
    g_prev = g, f_prev = f;
    last_norm = norm;
    Eigen::VectorXd next = g;
    if (opt.history > 0 && !dF.empty()) {
      const auto k = static_cast<Eigen::Index>(dF.size());
      Eigen::MatrixXd DF(m, k), DG(m, k);
      for (Eigen::Index c = 0; c < k; ++c) DF.col(c) = dF[c], DG.col(c) = dG[c];
      const Eigen::VectorXd gamma = DF.colPivHouseholderQr().solve(f);
      if (gamma.allFinite()) next = g - DG * gamma;
      if (!next.allFinite()) next = g, dF.clear(), dG.clear();
    }
    x = next;
  }
  fail("outflows", "matrix balancing did not reach the margins in " + std::to_string(opt.max_sweeps) +
                       " sweeps (are some origins and destinations unreachable from each other?)");
}

}  // namespace urbplex::mobility
