// Counter-based random streams (Salmon et al., "Parallel random numbers: as
// easy as 1, 2, 3", SC'11), through Random123's Philox4x32-10.
//
// A stream is keyed by (seed, entity): the key holds the 64-bit seed, the
// first two counter words hold the entity (agent, realization, vertex...) and
// the last two count the blocks drawn. Whichever thread draws the stream of an
// entity, it gets the same numbers, so results do not depend on the thread
// count or the schedule.
#pragma once
#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace urbplex {

class Rng {
 public:
  using result_type = std::uint64_t;

  Rng(std::uint64_t seed, std::uint64_t entity) {
    key_[0] = static_cast<std::uint32_t>(seed);
    key_[1] = static_cast<std::uint32_t>(seed >> 32);
    ctr_[0] = static_cast<std::uint32_t>(entity);
    ctr_[1] = static_cast<std::uint32_t>(entity >> 32);
    ctr_[2] = 0;
    ctr_[3] = 0;
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return block_[used_++];
  }
  result_type operator()() {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  // Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_pos() { return (static_cast<double>((*this)() >> 11) + 1.0) * 0x1.0p-53; }
  // Uniform integer in [0, n) without modulo bias (Lemire 2019). n > 0.
  std::uint64_t below(std::uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>((*this)()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>((*this)()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  double exponential(double rate) { return -std::log(uniform_pos()) / rate; }
  // Number of failures before the first success, success probability p in (0, 1].
  std::uint64_t geometric(double p) {
    if (p >= 1.0) return 0;
    const double g = std::floor(std::log(uniform_pos()) / std::log1p(-p));
    return g >= 1.8e19 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(g);
  }

 private:
  void refill() {
    r123::Philox4x32 gen;
    const r123::Philox4x32::ctr_type out = gen(ctr_, key_);
    for (int i = 0; i < 4; ++i) block_[i] = out[i];
    if (++ctr_[2] == 0) ++ctr_[3];
    used_ = 0;
  }

  r123::Philox4x32::key_type key_{};
  r123::Philox4x32::ctr_type ctr_{};
  std::uint32_t block_[4]{};
  int used_ = 4;
};

}  // namespace urbplex
