// Day-to-day dynamic user equilibrium by the method of successive averages.
//
// The same day is loaded again and again (network_loading.hpp). After each
// day, every link's experienced travel time is measured per entry interval
// (route_interval s) from the platoons' link entry steps; each platoon's
// time-dependent shortest path for its departure time is found on those times
// (a label-setting search with link times interpolated between interval
// midpoints); and a share 1/(k + 1) of the platoons, drawn with the platoon's
// own counter-based stream, switch to it after day k when it is faster than
// their route. That is MSA on route flows for simulation-based dynamic traffic
// assignment (Sbayti, Lu & Mahmassani, "Efficient implementation of method of
// successive averages in simulation-based dynamic traffic assignment models
// for large-scale network applications", Transp. Res. Rec. 2029, 22, 2007),
// with day 1 on the fixed routes of the scenario (free-flow or route_cost
// shortest paths). The convergence measure is their relative gap,
//     gap = sum_p dn (T_p - T*_p) / sum_p dn T*_p,
// T_p the experienced trip time of platoon p (censored at the horizon when it
// did not arrive), T*_p the time-dependent shortest trip time at its departure.
#pragma once
#include <cstdint>
#include <vector>

#include "urbplex/traffic/network_loading.hpp"

namespace urbplex::traffic {

struct DayToDayResult {
  Result last;  // the loading of the last day
  // Per day: vehicle-seconds of the arrived trips, share of vehicles arrived,
  // relative gap, share of platoons that switched route after the day.
  std::vector<double> total_travel_time, completed, relative_gap, switched;
};

// scenario.route_choice is ignored (day 1 uses fixed routes; route_cost, when
// set, gives their link costs); route_interval is the resolution of the
// measured link travel times. Deterministic for a seed, any thread count.
DayToDayResult day_to_day(const Scenario& scenario, std::uint32_t days, bool record_cumulative = false,
                          RunControl& control = RunControl::none());

}  // namespace urbplex::traffic
