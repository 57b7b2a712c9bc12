// Exceptions out of OpenMP regions. An exception that leaves a parallel
// region calls std::terminate (a std::bad_alloc in a worker's buffers
// aborted the process under `ulimit -v`): each worker runs its parts through
// guard(), which keeps the first exception, and skips its remaining work once
// failed(); the caller rethrows after the region, where pybind11 turns it into
// the Python exception (MemoryError for bad_alloc). Every thread must still
// reach the region's worksharing loops: guard the bodies, not the loops.
#pragma once
#include <atomic>
#include <exception>

namespace urbplex::parallel {

class RegionErrors {
 public:
  // Runs f(); an exception is kept (the first one) and failed() turns true.
  template <class F>
  void guard(F&& f) noexcept {
    try {
      f();
    } catch (...) {
#pragma omp critical(urbplex_region_errors)
      if (!first_) first_ = std::current_exception();
      failed_.store(true, std::memory_order_relaxed);
    }
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  // After the region: the kept exception, if any.
  void rethrow() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  std::exception_ptr first_;
  std::atomic<bool> failed_{false};
};

}  // namespace urbplex::parallel
