// Progress reporting and cancellation for long loops.
//
// Workers call advance() (thread-safe, cheap) and check stop_requested();
// the controlling thread (OpenMP thread 0, or the only thread) calls
// checkpoint(), which at most every `interval` seconds hands the progress to a
// poll callback. The Python bindings use that callback to update a progress
// bar and to check for Ctrl-C under the GIL; returning false stops the run.
// Exceptions must not leave an OpenMP region, so parallel loops skip their
// remaining work once a stop is requested and call throw_if_stopped() after.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "urbplex/core/errors.hpp"

namespace urbplex {

class RunControl {
 public:
  // poll(done, total) returns false to request a stop.
  using Poll = std::function<bool(std::uint64_t done, std::uint64_t total)>;

  RunControl() = default;
  explicit RunControl(Poll poll, double interval_seconds = 0.05)
      : poll_(std::move(poll)), interval_(interval_seconds) {}

  // The shared no-op control used when the caller passes none.
  static RunControl& none() {
    static thread_local RunControl ctl;
    return ctl;
  }

  void set_total(std::uint64_t total) { total_.store(total, std::memory_order_relaxed); }
  void advance(std::uint64_t n = 1) { done_.fetch_add(n, std::memory_order_relaxed); }
  bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }
  void request_stop() { stop_.store(true, std::memory_order_relaxed); }

  // Call from one thread only. Cheap when no poll callback is set.
  void checkpoint() {
    if (!poll_ || stop_requested()) return;
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() < interval_) return;
    last_ = now;
    if (!poll_(done_.load(std::memory_order_relaxed), total_.load(std::memory_order_relaxed)))
      request_stop();
  }
  // Final report, then throws Cancelled if a stop was requested.
  void finish() {
    throw_if_stopped();
    if (poll_ && !poll_(done_.load(), total_.load())) request_stop();
    throw_if_stopped();
  }
  void throw_if_stopped() const {
    if (stop_requested()) throw Cancelled();
  }
  // Counter for loops that call checkpoint() every `every` iterations.
  bool due(std::uint64_t i, std::uint64_t every = 4096) const { return (i % every) == 0; }

 private:
  Poll poll_;
  double interval_ = 0.05;
  std::chrono::steady_clock::time_point last_{};
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> total_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace urbplex
