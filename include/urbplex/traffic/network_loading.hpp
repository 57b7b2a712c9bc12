// Mesoscopic dynamic network loading: platoons of vehicles on a street
// network, with queues, spillback and route choice.
//
// Models:
//  * Links: Newell's simplified car-following model (Newell, "A simplified
//    car-following theory: a lower order model", Transp. Res. B 36, 195, 2002),
//    which is the LWR kinematic-wave model with a triangular fundamental
//    diagram (Daganzo, Transp. Res. B 40, 396, 2006). A platoon of dn
//    vehicles moves at the free speed u unless its leader on the link, one
//    reaction time dn * tau earlier, is closer than the jam spacing dn / kappa:
//        x(t + dt) = min(x(t) + u dt, x_leader(t) - dn / kappa),  dt = tau dn.
//    Backward wave speed w = 1 / (tau kappa), capacity q = u w kappa / (u + w).
//  * Nodes: an incremental node model (Flotterod & Rohde, "Operational
//    macroscopic modeling of complex urban road intersections", Transp. Res. B
//    45, 903, 2011): each time step, every receiving link with room (its last
//    platoon beyond dn / kappa, inflow capacity left) takes one platoon from
//    the heads of the sending links that want it, chosen with probability
//    proportional to their merge priority; receiving links are served in a
//    random order. Sending links keep FIFO, so a blocked head blocks its link
//    (spillback).
//  * Lanes: a link of n lanes holds n platoons side by side; a platoon
//    follows the one n places ahead of it (UXsim's lane rotation), so jam
//    density and capacity are n times a lane's, and up to n platoons enter,
//    leave or arrive per step.
//  * Junctions: a node capacity (veh/s) bounds the flow through the node, a
//    bucket refilled each step as a link's bottleneck; fixed-time signals
//    (Webster, "Traffic signal settings", Road Research Technical Paper 39,
//    HMSO 1958) let a link leave its end node only during its phases: phase k
//    of a signal with green times g_0..g_m-1 runs while the time since the
//    offset, modulo the cycle sum(g), lies in [g_0 + .. + g_k-1, .. + g_k).
//  * Route choice: fixed routes (the shortest path on free-flow times or on
//    given link costs, e.g. a static assignment's), routes given per platoon, or
//    dynamic user optimum as in Kuwahara & Akamatsu's reactive assignment: every
//    route interval, each destination's link preferences move a fraction
//    `duo_weight` towards the shortest-path tree on the current (instantaneous)
//    link travel times; at a node a platoon picks its next link with
//    probability proportional to those preferences.
// These are the semantics of UXsim (Seo, "UXsim: an open source macroscopic
// and mesoscopic traffic simulator in Python", JOSS 2025), so one scenario
// gives the same traffic in both.
//
// Randomness (merges, route draws) comes from counter-based streams keyed by
// (seed, node or platoon, step): the result depends on the seed only, not on
// the thread count.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace urbplex::traffic {

struct Link {
  std::uint32_t from = 0, to = 0;
  double length = 0;          // m
  double free_speed = 20;     // m/s
  double jam_density = 0.2;   // veh/m
  double merge_priority = 1;  // relative share at the downstream merge
  // Bottlenecks at the link's ends, veh/s; infinity: none.
  double capacity_out = std::numeric_limits<double>::infinity();
  double capacity_in = std::numeric_limits<double>::infinity();
  std::uint32_t lanes = 1;
  // Phases of its end node's signal during which it may leave (bit k: phase
  // k); ignored where the end node has no signal.
  std::uint64_t green_phases = ~std::uint64_t{0};
};

// At most this many phases per signal (a link's phases are a 64-bit mask).
inline constexpr std::size_t kMaxSignalPhases = 64;

enum class RouteChoice { fixed, duo, given };

struct Scenario {
  std::uint32_t nodes = 0;
  std::vector<Link> links;
  // Platoons: origin and destination nodes, departure time (s).
  std::vector<std::uint32_t> origin, destination;
  std::vector<double> departure;
  double reaction_time = 1.0;  // tau, s per vehicle
  std::uint32_t platoon = 5;   // dn, vehicles per platoon
  double horizon = 3600;       // s; the run stops there
  RouteChoice route_choice = RouteChoice::duo;
  // fixed: link costs of the route search (empty: free-flow times).
  std::vector<double> route_cost;
  // given: each platoon's links in order (platoons + 1 offsets into given_links).
  std::vector<std::uint64_t> given_start;
  std::vector<std::uint32_t> given_links;
  double route_interval = 300;  // s between route updates (duo)
  double duo_weight = 0.5;      // how far preferences move per update (duo)
  double record_interval = 300; // s per bin of the link time series
  std::uint64_t seed = 0;
  // Per node (empty: none anywhere): flow capacity through the node, veh/s
  // (infinity: none).
  std::vector<double> node_capacity;
  // Fixed-time signals (empty: none anywhere): node v's green times (s) are
  // signal_green[signal_start[v] .. signal_start[v + 1]) (none: no signal);
  // its phase 0 first starts at signal_offset[v] s (modulo the cycle).
  std::vector<std::uint64_t> signal_start;
  std::vector<double> signal_green, signal_offset;
};

// The step in which a platoon departing at t s (steps of dt s) is released:
// the first step starting at or after t (a float hair below a step's start
// counts as that step).
inline std::int64_t departure_step(double t, double dt) {
  return static_cast<std::int64_t>(std::ceil(t / dt - 1e-9));
}

struct Result {
  double dt = 0;  // s per step
  std::uint32_t steps = 0;
  // Per platoon: step of departure from the origin queue into the network, step
  // of arrival (-1: not arrived by the horizon), and the links used in order.
  std::vector<std::int64_t> entered, arrived;
  // Per platoon: the free-flow shortest travel time from origin to destination (s).
  std::vector<double> free_flow_time;
  std::vector<std::uint64_t> route_start;  // platoons + 1 offsets into route_links
  std::vector<std::uint32_t> route_links;
  std::vector<std::uint32_t> route_entry;  // step each route link was entered (as route_links)
  // Per link and bin (links x bins, row-major): vehicles that entered, left,
  // and vehicle-seconds and vehicle-metres spent on the link in the bin.
  std::uint32_t bins = 0;
  std::vector<double> inflow, outflow, vehicle_seconds, vehicle_metres;
  // Per link, cumulative vehicles in and out after each step (links x steps),
  // kept only when record_cumulative was asked for (they grow with the horizon).
  std::vector<std::uint32_t> cumulative_in, cumulative_out;
  // Route choice's work (duo): destination searches run, nodes they settled.
  std::uint64_t route_searches = 0, route_nodes_settled = 0;
};

// Bad input (ValueError in Python) names the link or platoon by index.
Result simulate(const Scenario& scenario, bool record_cumulative = false,
                RunControl& control = RunControl::none());

namespace detail {
// Throws std::invalid_argument naming the first bad link, platoon or route.
void validate(const Scenario& scenario);
// simulate's loop without set_total / finish: for callers that run several
// loadings under one control (day-to-day assignment).
Result load(const Scenario& scenario, bool record_cumulative, RunControl& control);
}  // namespace detail

}  // namespace urbplex::traffic
