#include "urbplex/mobility/trajectory_preprocessing.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/region_errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/mobility/locations.hpp"

namespace urbplex::mobility {

namespace {

double median(std::vector<double>& v) {  // numpy's: the mean of the two middle values for even sizes
  const std::size_t n = v.size(), h = n / 2;
  std::nth_element(v.begin(), v.begin() + h, v.end());
  const double upper = v[h];
  if (n % 2) return upper;
  return 0.5 * (*std::max_element(v.begin(), v.begin() + h) + upper);
}

void check(const TrajectoryPoints& p) {
  const std::size_t n = p.lat.size();
  require(p.lng.size() == n && p.time.size() == n, "points", "lat, lng and time must have one length");
  require(!p.user_start.empty() && p.user_start.front() == 0 && p.user_start.back() == n, "user_start",
          "must be offsets from 0 to the number of points");
  for (std::size_t u = 1; u < p.user_start.size(); ++u)
    require(p.user_start[u] >= p.user_start[u - 1], "user_start", "must be non-decreasing");
  for (std::size_t i = 0; i < n; ++i) {
    if (!(std::isfinite(p.lat[i]) && std::abs(p.lat[i]) <= 90 && std::isfinite(p.lng[i])))
      fail("points", "point " + std::to_string(i) + " has no valid latitude/longitude");
    if (!std::isfinite(p.time[i])) fail("time", "point " + std::to_string(i) + " has no time");
  }
}

// Runs f(u, out) for every user in parallel (dynamic: users differ in size), then
// concatenates the per-user outputs in user order.
template <class Out, class F>
Out per_user(const TrajectoryPoints& p, RunControl& control, F&& f) {
  const auto users = static_cast<std::int64_t>(p.user_start.size() - 1);
  std::vector<Out> parts(users);
  control.set_total(users);
  const int threads = parallel::threads_for(p.lat.size() * 64);  // a haversine (~60 ns) per point
  parallel::RegionErrors errors;  // out of memory in a worker: MemoryError, not an abort
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::int64_t u = 0; u < users; ++u) {
    if (control.stop_requested() || errors.failed()) continue;
    errors.guard([&] { f(static_cast<std::uint64_t>(u), parts[u]); });
    control.advance();
    if (omp_get_thread_num() == 0) control.checkpoint();
  }
  errors.rethrow();
  control.throw_if_stopped();
  control.finish();
  Out all;
  for (auto& part : parts) all.append(part);
  return all;
}

struct IndexList {
  std::vector<std::uint64_t> idx;
  void append(const IndexList& o) { idx.insert(idx.end(), o.idx.begin(), o.idx.end()); }
};

struct StopList : Stops {
  void append(const StopList& o) {
    auto cat = [](auto& a, const auto& b) { a.insert(a.end(), b.begin(), b.end()); };
    cat(lat, o.lat), cat(lng, o.lng), cat(start, o.start), cat(leave, o.leave), cat(user, o.user);
    cat(first, o.first), cat(last, o.last);
  }
};

struct CompressedList : Compressed {
  void append(const CompressedList& o) {
    auto cat = [](auto& a, const auto& b) { a.insert(a.end(), b.begin(), b.end()); };
    cat(lat, o.lat), cat(lng, o.lng), cat(time, o.time), cat(user, o.user);
  }
};

}  // namespace

std::vector<std::uint64_t> filter_by_speed(const TrajectoryPoints& p, double max_speed_kmh, double radius,
                                           RunControl& control) {
  check(p);
  require(max_speed_kmh > 0, "max_speed_kmh", "must be > 0");
  return per_user<IndexList>(p, control, [&](std::uint64_t u, IndexList& out) {
           const std::uint64_t lo = p.user_start[u], hi = p.user_start[u + 1];
           if (lo == hi) return;
           out.idx.push_back(lo);
           std::uint64_t kept = lo;
           for (std::uint64_t i = lo + 1; i < hi; ++i) {
             // The user's last point is always kept; others go when they are
             // reached faster than max_speed_kmh (or at the same instant).
             if (i + 1 < hi) {
               const double dt = p.time[i] - p.time[kept];
               const double d = great_circle(p.lat[kept], p.lng[kept], p.lat[i], p.lng[i], radius);
               if (!(dt > 0) || d / dt * 3600.0 > max_speed_kmh) continue;
             }
             out.idx.push_back(i);
             kept = i;
           }
         }).idx;
}

Stops detect_stops(const TrajectoryPoints& p, const StopOptions& o, RunControl& control) {
  check(p);
  require(o.radius_km > 0 && std::isfinite(o.radius_km), "radius_km", "must be finite and > 0");
  require(o.min_minutes >= 0 && std::isfinite(o.min_minutes), "minutes", "must be finite and >= 0");
  require(o.max_gap_minutes > 0, "max_gap_minutes", "must be > 0");
  return per_user<StopList>(p, control, [&](std::uint64_t u, StopList& out) {
    const std::uint64_t lo = p.user_start[u], hi = p.user_start[u + 1];
    if (hi - lo < 2) return;
    std::vector<double> lats, lngs;  // the candidate's points (anchor first)
    std::uint64_t anchor = lo;
    lats.assign(1, p.lat[lo]);
    lngs.assign(1, p.lng[lo]);
    for (std::uint64_t i = lo + 1; i < hi; ++i) {
      const bool last = i + 1 == hi;
      if ((p.time[i] - p.time[i - 1]) / 60.0 > o.max_gap_minutes) {  // no data: restart here
        anchor = i;
        lats.clear();
        lngs.clear();
      }
      const double dt = (p.time[i] - p.time[anchor]) / 60.0;
      const double dr = great_circle(p.lat[anchor], p.lng[anchor], p.lat[i], p.lng[i], o.earth_radius_km);
      if (dr > o.radius_km || last) {
        if (!lats.empty() && dt > o.min_minutes) {  // stayed long enough, up to the point that left
          const std::uint64_t n_pts = lats.size();
          out.lat.push_back(median(lats));
          out.lng.push_back(median(lngs));
          out.start.push_back(p.time[anchor]);
          out.leave.push_back(p.time[i]);
          out.user.push_back(u);
          out.first.push_back(i - n_pts);
          out.last.push_back(i - 1);
        }
        anchor = i;  // the point that left (or the last one) anchors the next candidate
        lats.clear();
        lngs.clear();
      }
      lats.push_back(p.lat[i]);
      lngs.push_back(p.lng[i]);
    }
  });
}

Compressed compress(const TrajectoryPoints& p, double radius_km, double radius, RunControl& control) {
  check(p);
  require(radius_km > 0 && std::isfinite(radius_km), "radius_km", "must be finite and > 0");
  return per_user<CompressedList>(p, control, [&](std::uint64_t u, CompressedList& out) {
    const std::uint64_t lo = p.user_start[u], hi = p.user_start[u + 1];
    std::vector<double> lats, lngs;
    std::uint64_t first = lo;
    auto flush = [&] {
      out.lat.push_back(median(lats));
      out.lng.push_back(median(lngs));
      out.time.push_back(p.time[first]);
      out.user.push_back(u);
    };
    for (std::uint64_t i = lo; i < hi; ++i) {
      if (i > first && great_circle(p.lat[first], p.lng[first], p.lat[i], p.lng[i], radius) > radius_km) {
        flush();
        first = i;
        lats.clear();
        lngs.clear();
      }
      lats.push_back(p.lat[i]);
      lngs.push_back(p.lng[i]);
    }
    if (!lats.empty()) flush();
  });
}

}  // namespace urbplex::mobility
