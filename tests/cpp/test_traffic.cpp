// Dynamic network loading (traffic/network_loading): kinematic-wave capacity
// at a bottleneck, vehicle conservation, free-flow travel times, given routes
// and the day-to-day equilibrium on two routes.
#include <gtest/gtest.h>

#include <cmath>

#include "urbplex/traffic/day_to_day.hpp"
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

TEST(Traffic, DayToDaySplitsTwoRoutesAtTheEquilibrium) {
  // Route 1 (nodes 0-1-3, 300 s) has a 0.4 veh/s bottleneck, route 2 (0-2-3,
  // 420 s) none; 0.8 veh/s for an hour. At the dynamic user equilibrium route 2
  // carries 0.4 veh/s after the first 120 s: 0.483 of the vehicles.
  Scenario s;
  s.nodes = 4;
  Link bottleneck{0, 1, 3000.0};
  bottleneck.capacity_out = 0.4;
  s.links = {bottleneck, Link{1, 3, 3000.0}, Link{0, 2, 4200.0}, Link{2, 3, 4200.0}};
  s.platoon = 1;
  s.horizon = 7200;
  s.route_interval = 60;
  s.seed = 1;
  for (int t = 0; t < 3600; ++t)
    if (t % 5 != 4) s.origin.push_back(0), s.destination.push_back(3), s.departure.push_back(t);  // 0.8 veh/s
  const DayToDayResult r = day_to_day(s, 30);
  ASSERT_EQ(r.relative_gap.size(), 30u);
  EXPECT_GT(r.relative_gap.front(), 1.0);
  EXPECT_LT(r.relative_gap.back(), 0.08);
  std::size_t on2 = 0;
  for (std::size_t p = 0; p < s.origin.size(); ++p) on2 += r.last.route_links[r.last.route_start[p]] == 2;
  EXPECT_NEAR(static_cast<double>(on2) / static_cast<double>(s.origin.size()), 0.483, 0.03);
  // Its routes given back load the same day.
  Scenario given = s;
  given.route_choice = RouteChoice::given;
  given.given_start = r.last.route_start;
  given.given_links = r.last.route_links;
  EXPECT_EQ(simulate(given).arrived, r.last.arrived);
  given.given_links[0] = 3;  // link 2 -> 3 does not leave the origin
  EXPECT_THROW(simulate(given), std::invalid_argument);
  EXPECT_THROW(day_to_day(s, 0), std::invalid_argument);
}
