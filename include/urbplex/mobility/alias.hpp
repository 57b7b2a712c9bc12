// Walker's alias method (Vose's stable construction, IEEE TSE 17, 1991):
// O(n) to build, O(1) per draw from a discrete distribution.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/rng.hpp"

namespace urbplex::mobility {

// Fills prob[0..n) and alias[0..n) for the weights w (non-negative, not all
// zero). Returns false when every weight is zero.
bool build_alias(std::span<const double> w, std::span<float> prob, std::span<std::uint32_t> alias);

inline std::uint32_t draw_alias(std::span<const float> prob, std::span<const std::uint32_t> alias, Rng& rng) {
  const std::uint64_t r = rng();
  const auto i = static_cast<std::uint32_t>((static_cast<unsigned __int128>(r >> 24) * prob.size()) >> 40);
  const float u = static_cast<float>(r & 0xFFFFFF) * 0x1.0p-24f;
  return u < prob[i] ? i : alias[i];
}

}  // namespace urbplex::mobility
