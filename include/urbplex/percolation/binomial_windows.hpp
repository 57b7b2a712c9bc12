// The canonical transform of one realization: Q(p) = sum_k C(N, k) p^k
// (1-p)^(N-k) Q_k (Newman & Ziff, PRE 64, 016706, 2001, Eq. 2), with the
// binomial weights of each p of a grid computed once and kept only where they
// matter (within 1e-17 of the mode's weight: about 12 sqrt(N p (1 - p))
// terms), so that every realization gets its own canonical values cheaply and
// error bars come from the spread of the realizations.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace urbplex::percolation {

class BinomialWindows {
 public:
  BinomialWindows(std::uint64_t steps, std::span<const double> p);

  std::size_t size() const { return first_.size(); }
  // Q(p_i) for every grid point i, added to out[i] (out has size() values).
  template <class T>
  void add(std::span<const T> micro, double* out) const {
    add_fn([&](std::uint64_t k) { return static_cast<double>(micro[k]); }, out);
  }
  // The same for Q_k = value(k).
  template <class F>
  void add_fn(F value, double* out) const {
    for (std::size_t i = 0; i < first_.size(); ++i) {
      const std::uint64_t lo = first_[i];
      double s = 0;
      for (std::size_t j = offset_[i]; j < offset_[i + 1]; ++j) s += weight_[j] * value(lo + j - offset_[i]);
      out[i] += s;
    }
  }
  // f(i, first k, weights) for every grid point i: for sums that share a window.
  template <class F>
  void for_each_window(F f) const {
    for (std::size_t i = 0; i < first_.size(); ++i)
      f(i, first_[i], std::span<const double>(weight_.data() + offset_[i], offset_[i + 1] - offset_[i]));
  }
  // P(Binomial(N, p_i) >= k0) for every grid point i, added to out[i]: the
  // canonical value of an indicator that switches on at step k0.
  void add_tail(std::uint64_t k0, double* out) const {
    for (std::size_t i = 0; i < first_.size(); ++i) {
      const std::uint64_t lo = first_[i], len = offset_[i + 1] - offset_[i];
      if (k0 >= lo + len) continue;  // beyond the window: weight below 1e-17
      const std::size_t from = offset_[i] + (k0 > lo ? k0 - lo : 0);
      double s = 0;
      for (std::size_t j = from; j < offset_[i + 1]; ++j) s += weight_[j];
      out[i] += s;
    }
  }

 private:
  std::vector<std::uint64_t> first_;   // first k of each window
  std::vector<std::size_t> offset_;    // window i is weight_[offset_[i], offset_[i + 1])
  std::vector<double> weight_;
};

}  // namespace urbplex::percolation
