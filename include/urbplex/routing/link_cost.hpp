// Link cost functions of static assignment: the generalized cost of a link
// as a function of its flow x, with its derivative and its integral from 0 to
// x (the link's term of Beckmann's objective). Any monotone, non-decreasing
// cost can be used by implementing LinkCost (e.g. Spiess's conical costs,
// Transp. Sci. 24, 153, 1990, or Akcelik's, ARRB 1991) and passing it in
// Network::link_cost; BprCost is the default.
#pragma once
#include <cmath>
#include <cstddef>
#include <span>

namespace urbplex::routing {

class LinkCost {
 public:
  virtual ~LinkCost() = default;
  virtual double cost(std::size_t link, double x) const = 0;
  virtual double derivative(std::size_t link, double x) const = 0;
  virtual double integral(std::size_t link, double x) const = 0;
};

// BPR (Bureau of Public Roads 1964) plus a flow-independent term:
//   c(x) = t0 (1 + alpha (x / cap)^beta) + fixed,
// fixed = toll_factor * toll + distance_factor * length for TNTP's
// generalized cost. alpha = 0 or beta = 0 make a constant-cost link (TNTP
// connectors have b = power = 0); otherwise beta >= 1, any real value.
class BprCost final : public LinkCost {
 public:
  BprCost(std::span<const double> capacity, std::span<const double> free_flow_time, std::span<const double> alpha,
          std::span<const double> beta, std::span<const double> fixed = {})
      : cap_(capacity), t0_(free_flow_time), alpha_(alpha), beta_(beta), fixed_(fixed) {}

  double cost(std::size_t l, double x) const override {
    return t0_[l] * (1 + alpha_[l] * power(l, x, beta_[l])) + fixed(l);
  }
  double derivative(std::size_t l, double x) const override {
    const double a = alpha_[l], b = beta_[l];
    if (a == 0 || b == 0) return 0.0;
    if (x <= 0) return b == 1 ? t0_[l] * a / cap_[l] : 0.0;
    return t0_[l] * a * b * std::pow(x / cap_[l], b - 1) / cap_[l];
  }
  double integral(std::size_t l, double x) const override {
    const double b = beta_[l];
    return t0_[l] * (x + alpha_[l] * cap_[l] / (b + 1) * power(l, x, b + 1)) + fixed(l) * x;
  }

 private:
  double power(std::size_t l, double x, double e) const { return e == 0 ? 1.0 : std::pow(x / cap_[l], e); }
  double fixed(std::size_t l) const { return fixed_.empty() ? 0.0 : fixed_[l]; }
  std::span<const double> cap_, t0_, alpha_, beta_, fixed_;
};

}  // namespace urbplex::routing
