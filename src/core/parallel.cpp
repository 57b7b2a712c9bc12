#include "urbplex/core/parallel.hpp"

#include <omp.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include <dirent.h>
#include <pthread.h>
#include <unistd.h>

namespace urbplex::parallel {
namespace {

// cgroup v2: "max 100000" or "<quota> <period>"; v1: two files. Returns 0 when unlimited or unknown.
int cgroup_cpu_limit() {
  {
    std::ifstream f("/sys/fs/cgroup/cpu.max");
    std::string quota;
    double period = 0;
    if (f >> quota >> period && quota != "max" && period > 0) {
      const double q = std::strtod(quota.c_str(), nullptr);
      if (q > 0) return static_cast<int>(std::ceil(q / period));
    }
  }
  std::ifstream fq("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), fp("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  double q = 0, p = 0;
  if (fq >> q && fp >> p && q > 0 && p > 0) return static_cast<int>(std::ceil(q / p));
  return 0;
}

int default_limit() {
  // An explicit OMP_NUM_THREADS is the user's word, up to the CPUs this process
  // may use: more threads than CPUs only wait on each other (and 10^6 of them
  // exhaust memory). The Python package warns when it caps a request.
  if (std::getenv("OMP_NUM_THREADS") != nullptr) return std::min(omp_get_max_threads(), available_cpus());
  return available_cpus();
}

// A child forked after a parallel region inherits libgomp's state but not its
// worker threads: the next region with a team would wait for them forever
// (GCC bug 52303). Such a child runs every region on its own thread.
std::atomic<bool> forked_child{false};

std::atomic<int>& limit() {
  static std::atomic<int> value{[] {
    ::pthread_atfork(nullptr, nullptr, [] { forked_child.store(true); });
    const int n = default_limit();
    if (std::getenv("OMP_NUM_THREADS") != nullptr) omp_set_num_threads(n);  // regions without a num_threads clause too
    return n;
  }()};
  return value;
}

// Runnable tasks of the whole system (/proc/loadavg: "0.5 0.4 0.3 R/T last_pid").
int runnable_tasks() {
  std::ifstream f("/proc/loadavg");
  double a, b, c;
  std::string rt;
  if (!(f >> a >> b >> c >> rt)) return -1;
  return std::atoi(rt.c_str());
}

// Runnable threads of this process (state R in /proc/self/task/<tid>/stat).
int own_runnable_tasks() {
  DIR* dir = ::opendir("/proc/self/task");
  if (!dir) return -1;
  int count = 0;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream f(std::string("/proc/self/task/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(f, line)) continue;
    const auto close = line.rfind(')');  // the command name may hold spaces
    if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'R') ++count;
  }
  ::closedir(dir);
  return count;
}

}  // namespace

bool machine_busy() {
  using clock = std::chrono::steady_clock;
  static std::atomic<std::int64_t> next_sample{0};
  static std::atomic<bool> busy{false};
  const std::int64_t now = clock::now().time_since_epoch().count();
  std::int64_t due = next_sample.load(std::memory_order_relaxed);
  if (now < due || !next_sample.compare_exchange_strong(due, now + std::chrono::duration_cast<clock::duration>(
                                                                     std::chrono::milliseconds(200)).count()))
    return busy.load(std::memory_order_relaxed);
  const int all = runnable_tasks(), own = own_runnable_tasks();
  static const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  const bool now_busy = all >= 0 && own >= 0 && (all - own) + max_threads() > online;
  // Hysteresis. Busy after two busy samples in a row: a CPU-bound competitor is
  // always runnable, a transient task (a kernel worker, a short command) is not.
  // Quiet again only after four quiet samples (0.8 s) in a row: one sample can
  // miss a competitor (the two /proc reads are not atomic, and our own spinning
  // workers may be counted in one and not the other), and a wrong "quiet" costs
  // a stalled join per region while a wrong "busy" only runs mid-sized regions
  // serially for a moment.
  // A new process does not start optimistic: its first sample decides at once
  // (a short script or a notebook cell would otherwise pay a stalled join per
  // region for the 200-400 ms before two busy samples).
  static std::atomic<int> streak{0};  // > 0: busy samples in a row; < 0: quiet ones
  static std::atomic<bool> first{true};
  int s = streak.load(std::memory_order_relaxed);
  s = now_busy ? std::max(s, 0) + 1 : std::min(s, 0) - 1;
  if (first.exchange(false) && now_busy) s = 2;
  streak.store(std::clamp(s, -1000, 1000), std::memory_order_relaxed);
  bool b = busy.load(std::memory_order_relaxed);
  if (s >= 2) b = true;
  if (s <= -4) b = false;
  busy.store(b, std::memory_order_relaxed);
  return b;
}

int available_cpus() {
  int cpus = 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = CPU_COUNT(&set);
  if (cpus <= 0) cpus = omp_get_num_procs();
  const int quota = cgroup_cpu_limit();
  if (quota > 0) cpus = std::min(cpus, quota);
  return std::max(cpus, 1);
}

int max_threads() {
  const int n = limit().load(std::memory_order_relaxed);  // first use registers the fork handler
  if (forked_child.load(std::memory_order_relaxed)) return 1;
  return std::max(1, std::min(n, omp_get_max_threads()));
}

bool in_forked_child() { return forked_child.load(std::memory_order_relaxed); }

void set_max_threads(int n) {
  if (n < 0) throw std::invalid_argument("argument 'n': must be >= 1 (or 0 for the default), got " + std::to_string(n));
  if (n == 0) {
    limit().store(default_limit());
    return;
  }
  n = std::min(n, available_cpus());  // capped: see default_limit
  limit().store(n);
  omp_set_num_threads(n);
}

int threads_for(std::uint64_t work) {
  if (work < kMinParallelWork || max_threads() == 1) return 1;
  if (work < kMinParallelWorkBusy && machine_busy()) return 1;
  const std::uint64_t useful = work / (kMinParallelWork / 2);
  return static_cast<int>(std::min<std::uint64_t>(static_cast<std::uint64_t>(max_threads()), useful));
}

}  // namespace urbplex::parallel
