// Helpers shared by the binding files: RunControl wired to Python (GIL,
// Ctrl-C, progress callback) and numpy conversions.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>
#include <vector>

#include "urbplex/core/run_control.hpp"

namespace py = pybind11;

namespace urbplex::bind {

template <class T>
using carray = py::array_t<T, py::array::c_style | py::array::forcecast>;

// A RunControl whose poll takes the GIL, checks for Ctrl-C and calls
// progress(done, total) when progress is not None. Create it while holding
// the GIL, run the computation under py::gil_scoped_release, and let it die
// with the GIL held again.
inline RunControl python_control(py::object progress) {
  return RunControl([progress = std::move(progress)](std::uint64_t done, std::uint64_t total) {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();  // re-raised as KeyboardInterrupt by the Cancelled translator
      return false;
    }
    if (!progress.is_none()) progress(done, total);
    return true;
  });
}

template <class T>
std::span<const T> span_of(const carray<T>& a) {
  return {a.data(), static_cast<std::size_t>(a.size())};
}

// Moves a vector into a numpy array without copying (the capsule owns it).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({heap->size()}, {sizeof(T)}, heap->data(), owner);
}

// A read-only numpy view of memory owned by `base`.
template <class T>
py::array_t<T> view(std::span<const T> s, py::handle base) {
  py::array_t<T> a({s.size()}, {sizeof(T)}, s.data(), base);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

}  // namespace urbplex::bind
