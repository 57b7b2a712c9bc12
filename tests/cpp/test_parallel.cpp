#include <gtest/gtest.h>
#include <omp.h>

#include "urbplex/core/parallel.hpp"

using namespace urbplex;

TEST(Parallel, SmallWorkRunsSerially) {
  parallel::set_max_threads(2);
  EXPECT_EQ(parallel::threads_for(0), 1);
  EXPECT_EQ(parallel::threads_for(parallel::kMinParallelWork - 1), 1);
  // Far above both cut-offs every allowed thread is used.
  EXPECT_EQ(parallel::threads_for(parallel::kMinParallelWorkBusy * 64), std::min(2, omp_get_max_threads()));
  parallel::set_max_threads(0);
}

TEST(Parallel, LimitsAndOmpBothCap) {
  parallel::set_max_threads(1);
  EXPECT_EQ(parallel::max_threads(), 1);
  EXPECT_EQ(parallel::threads_for(parallel::kMinParallelWorkBusy * 64), 1);
  parallel::set_max_threads(0);
  EXPECT_GE(parallel::max_threads(), 1);
  EXPECT_LE(parallel::max_threads(), parallel::available_cpus());
  EXPECT_THROW(parallel::set_max_threads(-2), std::invalid_argument);
}

TEST(Parallel, AvailableCpusWithinTheMachine) {
  EXPECT_GE(parallel::available_cpus(), 1);
  EXPECT_LE(parallel::available_cpus(), omp_get_num_procs());
}
