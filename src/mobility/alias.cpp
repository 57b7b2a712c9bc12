#include "urbplex/mobility/alias.hpp"

#include <vector>

namespace urbplex::mobility {

bool build_alias(std::span<const double> w, std::span<float> prob, std::span<std::uint32_t> alias) {
  const std::size_t n = w.size();
  double total = 0;
  for (double v : w) total += v;
  if (!(total > 0)) return false;
  thread_local std::vector<double> scaled;
  thread_local std::vector<std::uint32_t> small, large;
  scaled.resize(n);
  small.clear();
  large.clear();
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = w[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    prob[s] = static_cast<float>(scaled[s]);
    alias[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (std::uint32_t i : large) prob[i] = 1.0f, alias[i] = i;
  for (std::uint32_t i : small) prob[i] = 1.0f, alias[i] = i;  // round-off leftovers
  return true;
}

}  // namespace urbplex::mobility
