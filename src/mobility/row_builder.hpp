// Builds a FlowMatrix row by row in parallel (OpenMP over origins): each row
// is computed into a scratch buffer, then stored dense or as its entries
// >= min_flow. Rows are independent, so the result does not depend on the
// thread count. An exception thrown by a row stops the loop and is rethrown
// after it (exceptions must not cross an OpenMP region).
#pragma once
#include <omp.h>

#include <exception>
#include <vector>

#include "urbplex/core/run_control.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/mobility/flows.hpp"

namespace urbplex::mobility::detail {

template <class RowFn>  // void(std::uint32_t origin, double* row, std::vector<...>& scratch)
FlowMatrix build_rows(std::uint32_t n, double min_flow, RunControl& control, RowFn&& row_fn) {
  FlowMatrix out;
  out.n = n;
  out.sparse = min_flow > 0.0;
  std::vector<std::vector<std::uint32_t>> idx;
  std::vector<std::vector<double>> val;
  if (out.sparse) {
    idx.resize(n);
    val.resize(n);
  } else {
    out.dense.assign(static_cast<std::size_t>(n) * n, 0.0);
  }
  control.set_total(n);
  std::exception_ptr error;
#pragma omp parallel num_threads(parallel::threads_for(static_cast<std::uint64_t>(n) * n * 8))
  {
    std::vector<double> buffer;
    const bool controller = omp_get_thread_num() == 0;
#pragma omp for schedule(dynamic, 8)
    for (std::int64_t s = 0; s < static_cast<std::int64_t>(n); ++s) {
      if (control.stop_requested()) continue;
      const auto i = static_cast<std::uint32_t>(s);
      try {  // an exception (out of memory too) must not leave the OpenMP region
        if (out.sparse && buffer.empty()) buffer.resize(n);
        double* row = out.sparse ? buffer.data() : out.dense.data() + static_cast<std::size_t>(i) * n;
        row_fn(i, row);
        if (out.sparse) {
          for (std::uint32_t j = 0; j < n; ++j)
            if (row[j] >= min_flow && row[j] > 0) {
              idx[i].push_back(j);
              val[i].push_back(row[j]);
            }
        }
      } catch (...) {
#pragma omp critical(urbplex_row_error)
        if (!error) error = std::current_exception();
        control.request_stop();
        continue;
      }
      control.advance();
      if (controller) control.checkpoint();
    }
  }
  if (error) std::rethrow_exception(error);
  control.throw_if_stopped();
  if (out.sparse) {
    out.indptr.assign(n + 1, 0);
    for (std::uint32_t i = 0; i < n; ++i) out.indptr[i + 1] = out.indptr[i] + idx[i].size();
    out.indices.reserve(out.indptr[n]);
    out.values.reserve(out.indptr[n]);
    for (std::uint32_t i = 0; i < n; ++i) {
      out.indices.insert(out.indices.end(), idx[i].begin(), idx[i].end());
      out.values.insert(out.values.end(), val[i].begin(), val[i].end());
      std::vector<std::uint32_t>().swap(idx[i]);
      std::vector<double>().swap(val[i]);
    }
  }
  return out;
}

}  // namespace urbplex::mobility::detail
