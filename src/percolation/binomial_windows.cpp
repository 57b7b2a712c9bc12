// See include/urbplex/percolation/binomial_windows.hpp.
#include "urbplex/percolation/binomial_windows.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "urbplex/core/errors.hpp"

namespace urbplex::percolation {

BinomialWindows::BinomialWindows(std::uint64_t N, std::span<const double> p) {
  offset_.push_back(0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double q = p[i];
    if (!(q >= 0.0 && q <= 1.0))
      fail("p", "value " + std::to_string(q) + " at index " + std::to_string(i) + " is not in [0, 1]");
    if (q == 0.0 || q == 1.0 || N == 0) {
      first_.push_back(q == 1.0 ? N : 0);
      weight_.push_back(1.0);
      offset_.push_back(weight_.size());
      continue;
    }
    // From the mode outwards, by the ratio of neighbouring weights.
    const auto mode = static_cast<std::uint64_t>(std::min<double>(N, std::floor((N + 1) * q)));
    const double w_mode = std::exp(std::lgamma(N + 1.0) - std::lgamma(mode + 1.0) - std::lgamma(N - mode + 1.0) +
                                   mode * std::log(q) + (N - mode) * std::log1p(-q));
    const double odds = q / (1.0 - q);
    std::vector<double> below, above;  // k = mode - 1, mode - 2, ... and mode + 1, mode + 2, ...
    double w = w_mode;
    for (std::uint64_t k = mode; k > 0; --k) {
      w *= static_cast<double>(k) / (odds * static_cast<double>(N - k + 1));
      below.push_back(w);
      if (w < 1e-17 * w_mode) break;
    }
    w = w_mode;
    for (std::uint64_t k = mode; k < N; ++k) {
      w *= odds * static_cast<double>(N - k) / static_cast<double>(k + 1);
      above.push_back(w);
      if (w < 1e-17 * w_mode) break;
    }
    first_.push_back(mode - below.size());
    weight_.insert(weight_.end(), below.rbegin(), below.rend());
    weight_.push_back(w_mode);
    weight_.insert(weight_.end(), above.begin(), above.end());
    offset_.push_back(weight_.size());
  }
}

}  // namespace urbplex::percolation
