// Dynamic network loading (traffic/network_loading): kinematic-wave capacity
// at a bottleneck, vehicle conservation, and free-flow travel times.
#include <gtest/gtest.h>

#include <cmath>

#include "urbplex/traffic/network_loading.hpp"

using namespace urbplex::traffic;

namespace {

// A -> B -> C, 1 km each; the second link has half the jam density.
Scenario bottleneck(double flow, double duration) {
  Scenario s;
  s.nodes = 3;
  s.links = {Link{0, 1, 1000.0, 20.0, 0.2}, Link{1, 2, 1000.0, 20.0, 0.1}};
  s.horizon = 4000;
  s.route_choice = RouteChoice::fixed;
  const double dt = s.reaction_time * s.platoon;
  double acc = 0;
  for (int step = 0; step < static_cast<int>(duration / dt); ++step) {
    acc += flow * dt;
    while (acc >= s.platoon) {
      s.origin.push_back(0);
      s.destination.push_back(2);
      s.departure.push_back(step * dt);
      acc -= s.platoon;
    }
  }
  return s;
}

}  // namespace

TEST(Traffic, BottleneckDischargesAtItsKinematicWaveCapacity) {
  const Scenario s = bottleneck(0.75, 1500);
  const Result r = simulate(s, true);
  // q = u w kappa / (u + w), w = 1 / (tau kappa): 2/3 veh/s for kappa = 0.1.
  const double w = 1.0 / (s.reaction_time * 0.1), q = 20.0 * w * 0.1 / (20.0 + w);
  const auto at = [&](double t) { return r.cumulative_out[1 * r.steps + static_cast<std::size_t>(t / r.dt)]; };
  EXPECT_NEAR((at(1400.0) - at(400.0)) / 1000.0, q, 5.0 / 1000.0);  // within one platoon over 1000 s
  // Every vehicle that entered left again, and all arrived.
  EXPECT_EQ(r.cumulative_in[r.steps - 1], r.cumulative_out[2 * r.steps - 1]);
  for (auto a : r.arrived) EXPECT_GE(a, 0);
}

TEST(Traffic, UncongestedTripsTakeTheFreeFlowTime) {
  const Scenario s = bottleneck(0.3, 600);  // below both capacities
  const Result r = simulate(s);
  for (std::size_t p = 0; p < s.origin.size(); ++p) {
    const auto dep = static_cast<std::int64_t>(std::floor(s.departure[p] / r.dt));
    EXPECT_DOUBLE_EQ((r.arrived[p] - dep) * r.dt, 100.0);  // 2 km at 20 m/s
  }
}

TEST(Traffic, BadInputIsRefused) {
  Scenario s = bottleneck(0.3, 100);
  s.links[1].jam_density = 0;
  EXPECT_THROW(simulate(s), std::invalid_argument);
  s = bottleneck(0.3, 100);
  s.departure[0] = 1e9;
  EXPECT_THROW(simulate(s), std::invalid_argument);
}
