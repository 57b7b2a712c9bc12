// The parallel runtime: how many OpenMP threads a region may use.
//
// Two rules keep urbplex fast on a busy machine (a laptop with a browser, a
// shared server, several urbplex calls in a process pool):
//  * Serial cut-off. A parallel region costs a fork and a join. When one of
//    the team is descheduled by a competing process, the join waits for it
//    for up to a scheduler slice (milliseconds). Regions whose work is small
//    therefore run on one thread: threads_for(work) returns 1 below
//    kMinParallelWork estimated operations (one constant, measured with
//    benchmarks/python/bench_threads.py --busy).
//  * Load awareness. When other processes keep the CPUs busy (runnable tasks
//    of other processes + our threads > online CPUs in two samples in a row,
//    from /proc/loadavg at most every 200 ms: a sample reads a /proc file per
//    thread of ours, which a 1 ms call would feel every 50 ms; quiet again
//    after four quiet samples in a row), regions below kMinParallelWorkBusy
//    also run serially: only work much longer than a scheduler slice repays
//    waiting for a descheduled team member.
//  * Thread count from what this process may use: the CPU affinity mask and
//    the cgroup CPU quota (containers), unless OMP_NUM_THREADS says otherwise.
//    omp_get_max_threads() is honoured too, so omp_set_num_threads and
//    threadpoolctl limit urbplex the usual way.
// The wait policy (threads that sleep instead of spin between regions) is set
// by the Python package before libgomp loads; C++ users set OMP_WAIT_POLICY.
#pragma once
#include <cstdint>

namespace urbplex::parallel {

// Estimated serial operations (inner-loop steps, roughly nanoseconds) below
// which a region runs on the calling thread only: about 30 us of work. A
// fork/join costs a few us while the workers still spin (GOMP_SPINCOUNT,
// set by the Python package) and 10-50 us once they sleep.
inline constexpr std::uint64_t kMinParallelWork = 1ull << 15;

// The same cut-off while other processes compete for the CPUs: a few ms of
// work, about a scheduler slice.
inline constexpr std::uint64_t kMinParallelWorkBusy = 1ull << 22;

// True when, at the last sample, other processes' runnable tasks plus our
// threads outnumber the online CPUs. Cached for 200 ms; false where /proc is missing.
bool machine_busy();

// CPUs this process may run on: affinity mask, capped by a cgroup (v1 or v2)
// CPU quota rounded up. At least 1.
int available_cpus();

// Threads a region may use: min(the limit set by set_max_threads, or the
// available CPUs by default; omp_get_max_threads() of the calling thread).
int max_threads();

// Sets the process-wide limit (n >= 1, capped at available_cpus()) and
// omp_set_num_threads for the calling thread. 0 restores the default.
void set_max_threads(int n);

// True in a child forked after this process used OpenMP: every region then
// runs on the calling thread (libgomp's workers did not survive the fork).
bool in_forked_child();

// Threads for a region of about `work` serial operations: 1 below the
// cut-off, else at most one thread per kMinParallelWork / 2, capped by max_threads().
int threads_for(std::uint64_t work);

// The cut-off for a "cold" region: one that follows serial work longer than
// the workers' bounded spin, so they have gone to sleep and waking them costs
// 10-50 us (Algorithm B's gap evaluation after its serial flow shifts: with
// the plain cut-off, 2 threads made Sioux Falls 6-20% slower). About 0.5 ms.
inline constexpr std::uint64_t kMinParallelWorkCold = 1ull << 19;

// threads_for(work) for a cold region: 1 below kMinParallelWorkCold.
inline int threads_for_cold(std::uint64_t work) { return work < kMinParallelWorkCold ? 1 : threads_for(work); }

}  // namespace urbplex::parallel
