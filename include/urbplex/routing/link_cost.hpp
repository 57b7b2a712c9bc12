// Link cost functions of static assignment: the generalized cost of a link
// as a function of its flow x, with its derivative and its integral from 0 to
// x (the link's term of Beckmann's objective). Any monotone, non-decreasing
// cost can be used by implementing LinkCost and passing it in
// Network::link_cost; BprCost is the default, ConicalCost (Spiess 1990) and
// AkcelikCost (Akcelik 1991) are the other two built in.
#pragma once
#include <cmath>
#include <cstddef>
#include <span>

namespace urbplex::routing {

// The three functions are called from several threads at once (Algorithm B
// and the gap evaluation run in parallel): they must not change shared state.
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

// Conical congestion function (H. Spiess, "Conical volume-delay functions",
// Transp. Sci. 24, 153, 1990), v = x / cap, beta = (2 alpha - 1) / (2 alpha - 2):
//   c(x) = t0 (2 + sqrt(alpha^2 (1 - v)^2 + beta^2) - alpha (1 - v) - beta) + fixed.
// c(0) = t0 and c(cap) = 2 t0 like BPR's, but it is defined, finite and
// strictly increasing beyond capacity, with a bounded slope (alpha > 1).
class ConicalCost final : public LinkCost {
 public:
  ConicalCost(std::span<const double> capacity, std::span<const double> free_flow_time, std::span<const double> alpha,
              std::span<const double> fixed = {})
      : cap_(capacity), t0_(free_flow_time), alpha_(alpha), fixed_(fixed) {}

  double cost(std::size_t l, double x) const override {
    const double a = alpha_[l], b = beta(a), u = 1 - x / cap_[l];
    return t0_[l] * (2 + std::sqrt(a * a * u * u + b * b) - a * u - b) + fixed(l);
  }
  double derivative(std::size_t l, double x) const override {
    const double a = alpha_[l], b = beta(a), u = 1 - x / cap_[l];
    return t0_[l] / cap_[l] * (a - a * a * u / std::sqrt(a * a * u * u + b * b));
  }
  double integral(std::size_t l, double x) const override {
    // int_0^x: (2 - beta) x - alpha cap (V - V^2/2) + cap (F(1) - F(1 - V)), V = x / cap,
    // F(u) = u sqrt(alpha^2 u^2 + beta^2) / 2 + beta^2 / (2 alpha) asinh(alpha u / beta).
    const double a = alpha_[l], b = beta(a), c = cap_[l], v = x / c;
    auto F = [&](double u) { return u * std::sqrt(a * a * u * u + b * b) / 2 + b * b / (2 * a) * std::asinh(a * u / b); };
    return t0_[l] * ((2 - b) * x - a * c * (v - v * v / 2) + c * (F(1.0) - F(1.0 - v))) + fixed(l) * x;
  }

 private:
  static double beta(double a) { return (2 * a - 1) / (2 * a - 2); }
  double fixed(std::size_t l) const { return fixed_.empty() ? 0.0 : fixed_[l]; }
  std::span<const double> cap_, t0_, alpha_, fixed_;
};

// Akcelik's time-dependent delay function (R. Akcelik, "Travel time functions
// for transport planning purposes", Australian Road Research 21(3), 49, 1991):
//   c(x) = t0 + (T / 4) [z + sqrt(z^2 + 8 J v / (cap T))] + fixed,
// v = x / cap the degree of saturation, z = v - 1, T the length of the flow
// period and J the delay parameter (0.1 freeways ... 1.6 secondary streets);
// T in the unit of t0 and cap per that unit.
class AkcelikCost final : public LinkCost {
 public:
  AkcelikCost(std::span<const double> capacity, std::span<const double> free_flow_time, std::span<const double> delay_j,
              double period, std::span<const double> fixed = {})
      : cap_(capacity), t0_(free_flow_time), j_(delay_j), period_(period), fixed_(fixed) {}

  double cost(std::size_t l, double x) const override {
    const double v = x / cap_[l], z = v - 1;
    return t0_[l] + period_ / 4 * (z + std::sqrt(z * z + k(l) * v)) + fixed(l);
  }
  double derivative(std::size_t l, double x) const override {
    const double v = x / cap_[l], z = v - 1;
    return period_ / (4 * cap_[l]) * (1 + (2 * z + k(l)) / (2 * std::sqrt(z * z + k(l) * v)));
  }
  double integral(std::size_t l, double x) const override {
    // With v = x / cap and w = v - 1 + k/2: z^2 + k v = w^2 + s, s = k - k^2/4, and
    // int sqrt(w^2 + s) dw = (w R + s ln(w + R)) / 2, R = sqrt(w^2 + s) (w + R > 0 here).
    const double c = cap_[l], kk = k(l), s = kk - kk * kk / 4, v = x / c;
    auto G = [&](double w) {
      const double R = std::sqrt(std::max(w * w + s, 0.0));
      return (w * R + s * std::log(w + R)) / 2;
    };
    const double delay = v * v / 2 - v + G(v - 1 + kk / 2) - G(kk / 2 - 1);
    return (t0_[l] + fixed(l)) * x + period_ / 4 * c * delay;
  }

 private:
  double k(std::size_t l) const { return 8 * j_[l] / (cap_[l] * period_); }
  double fixed(std::size_t l) const { return fixed_.empty() ? 0.0 : fixed_[l]; }
  std::span<const double> cap_, t0_, j_;
  double period_;
  std::span<const double> fixed_;
};

}  // namespace urbplex::routing
