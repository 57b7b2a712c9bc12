#include "urbplex/mobility/gravity_fit.hpp"
#include "urbplex/core/parallel.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "urbplex/core/errors.hpp"
#include "urbplex/mobility/balancing.hpp"

namespace urbplex::mobility {

namespace {

constexpr int kBlocks = 64;  // fixed row blocks: sums independent of the thread count

// Sum over rows of f(i) -> T (an Eigen type or double), in fixed blocks then in block order.
template <class T, class F>
T block_sum(std::uint32_t n, const T& zero, F&& f) {
  std::vector<T> part(kBlocks, zero);
  // f(i) sums over a row of the n x n matrices, with a log or exp per term (~30 ns).
  const int threads = parallel::threads_for(static_cast<std::uint64_t>(n) * n * 32);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int b = 0; b < kBlocks; ++b) {
    const std::uint64_t lo = static_cast<std::uint64_t>(n) * b / kBlocks, hi = static_cast<std::uint64_t>(n) * (b + 1) / kBlocks;
    T acc = zero;
    for (std::uint64_t i = lo; i < hi; ++i) acc += f(static_cast<std::uint32_t>(i));
    part[b] = acc;
  }
  T total = zero;
  for (const T& p : part) total += p;
  return total;
}

double poisson_term(double t, double mu) {  // t ln mu - mu, without the lgamma(t+1) constant
  if (t == 0) return -mu;
  return t * std::log(mu) - mu;
}


}  // namespace

GravityFit fit_gravity(const Locations& locs, std::span<const double> observed, GravityKind kind,
                       DeterrenceKind deterrence, RunControl& control) {
  check_locations(locs);
  const std::uint32_t n = locs.size();
  const std::size_t nn = static_cast<std::size_t>(n) * n;
  require(observed.size() == nn, "observed", "must be an n x n matrix with n = " + std::to_string(n));
  double total = 0;
  for (std::size_t k = 0; k < nn; ++k) {
    if (!std::isfinite(observed[k]) || observed[k] < 0)
      fail("observed", "flow " + std::to_string(k / n) + " -> " + std::to_string(k % n) + " is " +
                           std::to_string(observed[k]) + " (must be finite and >= 0)");
    if (k / n != k % n) total += observed[k];
  }
  require(total > 0, "observed", "has no flow between distinct locations");
  if (kind != GravityKind::doubly_constrained)
    for (std::uint32_t i = 0; i < n; ++i)
      if (locs.mass[i] <= 0) fail("mass", "location " + std::to_string(i) + " has mass 0: its log is needed by the fit");

  Deterrence det{deterrence, 0.0};
  std::vector<double> g(nn, 0.0);
  const int matrix_threads = parallel::threads_for(nn * 16);
#pragma omp parallel for schedule(static) num_threads(matrix_threads)
  for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s)
    for (std::uint32_t j = 0; j < n; ++j)
      if (j != s) g[static_cast<std::size_t>(s) * n + j] = det.covariate(locs.distance(static_cast<std::uint32_t>(s), j));
  for (std::size_t k = 0; k < nn; ++k)
    if (k / n != k % n && !std::isfinite(g[k]))
      fail("coordinates", "locations " + std::to_string(k / n) + " and " + std::to_string(k % n) +
                              " coincide: the power-law deterrence is infinite");
  auto T = [&](std::uint32_t i, std::uint32_t j) { return observed[static_cast<std::size_t>(i) * n + j]; };
  auto G = [&](std::uint32_t i, std::uint32_t j) { return g[static_cast<std::size_t>(i) * n + j]; };
  const double lgamma_sum = block_sum(n, 0.0, [&](std::uint32_t i) {
    double a = 0;
    for (std::uint32_t j = 0; j < n; ++j)
      if (j != i) a += std::lgamma(T(i, j) + 1);
    return a;
  });

  GravityFit fit;
  fit.kind = kind;
  fit.deterrence = deterrence;

  if (kind == GravityKind::unconstrained) {
    using V = Eigen::Vector4d;
    std::vector<double> lm(n);
    for (std::uint32_t i = 0; i < n; ++i) lm[i] = std::log(locs.mass[i]);
    auto eta = [&](const V& b, std::uint32_t i, std::uint32_t j) { return b[0] + b[1] * lm[i] + b[2] * lm[j] - b[3] * G(i, j); };
    auto loglik = [&](const V& b) {
      return block_sum(n, 0.0, [&](std::uint32_t i) {
        double a = 0;
        for (std::uint32_t j = 0; j < n; ++j)
          if (j != i) {  // t ln mu - mu with ln mu = eta: no log per term
            const double e = eta(b, i, j), t = T(i, j);
            a += (t == 0 ? 0.0 : t * e) - std::exp(e);
          }
        return a;
      });
    };
    V b(std::log(total / (static_cast<double>(n) * (n - 1))), 0, 0, 0);
    double ll = loglik(b);
    struct GH {
      Eigen::Vector4d grad = Eigen::Vector4d::Zero();
      Eigen::Matrix4d info = Eigen::Matrix4d::Zero();
      GH& operator+=(const GH& o) { grad += o.grad; info += o.info; return *this; }
    };
    for (fit.iterations = 1; fit.iterations <= 200; ++fit.iterations) {
      const GH gh = block_sum(n, GH{}, [&](std::uint32_t i) {
        GH acc;
        for (std::uint32_t j = 0; j < n; ++j) {
          if (j == i) continue;
          const Eigen::Vector4d x(1.0, lm[i], lm[j], -G(i, j));
          const double mu = std::exp(eta(b, i, j));
          acc.grad += (T(i, j) - mu) * x;
          acc.info += mu * x * x.transpose();
        }
        return acc;
      });
      const V step = gh.info.ldlt().solve(gh.grad);
      double t = 1.0, next = -INFINITY;
      V cand = b;
      for (int h = 0; h < 40; ++h, t *= 0.5) {  // step halving keeps the likelihood increasing
        cand = b + t * step;
        next = loglik(cand);
        if (std::isfinite(next) && next >= ll - 1e-12 * std::abs(ll)) break;
      }
      const double change = (cand - b).cwiseAbs().maxCoeff();
      b = cand;
      ll = next;
      control.checkpoint();
      control.throw_if_stopped();
      if (change < 1e-11) break;
    }
    fit.log_k = b[0];
    fit.alpha = b[1];
    fit.beta = b[2];
    fit.gamma = b[3];
    fit.loglik = ll - lgamma_sum;
    return fit;
  }

  std::vector<double> out(n, 0.0), in(n, 0.0);
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t j = 0; j < n; ++j)
      if (j != i) out[i] += T(i, j), in[j] += T(i, j);

  if (kind == GravityKind::origin_constrained) {
    using V = Eigen::Vector2d;
    std::vector<double> lm(n);
    for (std::uint32_t i = 0; i < n; ++i) lm[i] = std::log(locs.mass[i]);
    struct Acc {
      double ll = 0;
      Eigen::Vector2d grad = Eigen::Vector2d::Zero();
      Eigen::Matrix2d info = Eigen::Matrix2d::Zero();
      Acc& operator+=(const Acc& o) { ll += o.ll; grad += o.grad; info += o.info; return *this; }
    };
    // Row i: p_ij = softmax_j(theta . x_ij), mu_ij = O_i p_ij.
    auto evaluate = [&](const V& th, bool derivatives) {
      return block_sum(n, Acc{}, [&](std::uint32_t i) {
        Acc acc;
        if (out[i] == 0) return acc;
        // e_j = theta . x_ij - max, computed once per row: one exp per term,
        // and ln mu_ij = ln(O_i / z) + e_j needs no log per term.
        thread_local std::vector<double> e, w;
        e.resize(n);
        w.resize(n);
        double mx = -INFINITY;
        for (std::uint32_t j = 0; j < n; ++j) {
          e[j] = j == i ? -INFINITY : th[0] * lm[j] - th[1] * G(i, j);
          mx = std::max(mx, e[j]);
        }
        double z = 0;
        Eigen::Vector2d mean = Eigen::Vector2d::Zero();
        Eigen::Matrix2d second = Eigen::Matrix2d::Zero();
        for (std::uint32_t j = 0; j < n; ++j) {
          if (j == i) continue;
          e[j] -= mx;
          w[j] = std::exp(e[j]);
          const Eigen::Vector2d x(lm[j], -G(i, j));
          z += w[j];
          mean += w[j] * x;
          second += w[j] * x * x.transpose();
        }
        mean /= z;
        second /= z;
        const double scale = out[i] / z, log_scale = std::log(scale);
        for (std::uint32_t j = 0; j < n; ++j) {
          if (j == i) continue;
          const double t = T(i, j), mu = scale * w[j];
          acc.ll += (t == 0 ? 0.0 : t * (log_scale + e[j])) - mu;  // t ln mu - mu
          if (derivatives) acc.grad += t * Eigen::Vector2d(lm[j], -G(i, j));
        }
        if (derivatives) {
          acc.grad -= out[i] * mean;
          acc.info += out[i] * (second - mean * mean.transpose());
        }
        return acc;
      });
    };
    V th(0.0, 0.0);
    Acc cur = evaluate(th, true);
    for (fit.iterations = 1; fit.iterations <= 200; ++fit.iterations) {
      const V step = cur.info.ldlt().solve(cur.grad);
      double t = 1.0;
      V cand = th;
      Acc next;
      for (int h = 0; h < 40; ++h, t *= 0.5) {
        cand = th + t * step;
        next = evaluate(cand, true);
        if (std::isfinite(next.ll) && next.ll >= cur.ll - 1e-12 * std::abs(cur.ll)) break;
      }
      const double change = (cand - th).cwiseAbs().maxCoeff();
      th = cand;
      cur = next;
      control.checkpoint();
      control.throw_if_stopped();
      if (change < 1e-11) break;
    }
    fit.beta = th[0];
    fit.gamma = th[1];
    fit.loglik = cur.ll - lgamma_sum;
    return fit;
  }

  // Doubly constrained: the score in gamma is sum mu g - sum T g, decreasing in gamma.
  const double tg = block_sum(n, 0.0, [&](std::uint32_t i) {
    double a = 0;
    for (std::uint32_t j = 0; j < n; ++j)
      if (j != i) a += T(i, j) * G(i, j);
    return a;
  });
  // mu_ij = A_i F_ij B_j, balanced to the observed margins. A and B carry over
  // from one gamma to the next (warm start), so later balancings take few sweeps.
  std::vector<double> mu(nn), A(n, 1.0), B(n, 1.0);
  auto balance = [&](double gamma, double tol) {
#pragma omp parallel for schedule(static) num_threads(matrix_threads)
    for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s)
      for (std::uint32_t j = 0; j < n; ++j) {
        const std::size_t k = static_cast<std::size_t>(s) * n + j;
        mu[k] = j == s ? 0.0 : std::exp(-gamma * g[k]);  // F_ij for now
      }
    balance_scales(mu, n, out, in, A, B, BalanceOptions{tol, 100000}, control);
#pragma omp parallel for schedule(static) num_threads(matrix_threads)
    for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s)
      for (std::uint32_t j = 0; j < n; ++j) mu[static_cast<std::size_t>(s) * n + j] *= A[s] * B[j];
    ++fit.iterations;
  };
  // The root search balances to 1e-10 (enough for the score), the final flows to 1e-13.
  auto score = [&](double gamma) {
    balance(gamma, 1e-10);
    const double mg = block_sum(n, 0.0, [&](std::uint32_t i) {
      double a = 0;
      for (std::uint32_t j = 0; j < n; ++j) a += mu[static_cast<std::size_t>(i) * n + j] * (j == i ? 0.0 : G(i, j));
      return a;
    });
    return (mg - tg) / total;
  };
  // Bracket the root, then Illinois regula falsi.
  double scale = 1.0;
  if (deterrence == DeterrenceKind::exponential) scale = total / std::max(tg, 1e-300);  // ~ 1 / mean distance
  double a = 0.0, fa = score(a), b = scale, fb = score(b);
  for (int k = 0; k < 60 && fa * fb > 0; ++k) {
    if (fa > 0) {  // root above: move right
      a = b, fa = fb;
      b = b * 2 + scale;
      fb = score(b);
    } else {
      b = a, fb = fa;
      a = a * 2 - scale;
      fa = score(a);
    }
  }
  require(fa * fb <= 0, "observed", "the deterrence exponent could not be bracketed");
  int side = 0;
  double c = a;
  for (int it = 0; it < 200; ++it) {
    c = (a * fb - b * fa) / (fb - fa);
    const double fc = score(c);
    if (std::abs(b - a) < 1e-10 * std::max(1.0, std::abs(c)) || fc == 0) break;
    if (fc * fb > 0) {
      b = c, fb = fc;
      if (side == -1) fa /= 2;
      side = -1;
    } else {
      a = c, fa = fc;
      if (side == 1) fb /= 2;
      side = 1;
    }
    if (std::abs(fc) < 1e-11) break;
  }
  balance(c, 1e-13);
  fit.gamma = c;
  fit.loglik = block_sum(n, 0.0, [&](std::uint32_t i) {
    double acc = 0;
    for (std::uint32_t j = 0; j < n; ++j)
      if (j != i) acc += poisson_term(T(i, j), mu[static_cast<std::size_t>(i) * n + j]);
    return acc;
  }) - lgamma_sum;
  return fit;
}

}  // namespace urbplex::mobility
