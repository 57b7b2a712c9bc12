#include "urbplex/core/memory.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "urbplex/core/errors.hpp"

namespace urbplex::memory {
namespace {

// A "<key>: <value> kB" line of a /proc file, in bytes; 0 when missing.
std::uint64_t proc_kb(const char* file, const std::string& key) {
  std::ifstream f(file);
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(key + ":", 0) == 0) {
      std::istringstream in(line.substr(key.size() + 1));
      std::uint64_t kb = 0;
      in >> kb;
      return kb * 1024;
    }
  return 0;
}

std::uint64_t read_number(const char* file) {
  std::ifstream f(file);
  std::string s;
  if (!(f >> s) || s == "max") return std::numeric_limits<std::uint64_t>::max();
  return std::strtoull(s.c_str(), nullptr, 10);
}

}  // namespace

std::uint64_t available_bytes() {
  std::uint64_t avail = std::numeric_limits<std::uint64_t>::max();
  if (const auto m = proc_kb("/proc/meminfo", "MemAvailable")) avail = m;
  const std::uint64_t mapped = proc_kb("/proc/self/status", "VmSize");
  for (int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit rl{};
    if (getrlimit(resource, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
      avail = std::min<std::uint64_t>(avail, rl.rlim_cur > mapped ? rl.rlim_cur - mapped : 0);
  }
  const std::uint64_t cg_max = read_number("/sys/fs/cgroup/memory.max");
  if (cg_max != std::numeric_limits<std::uint64_t>::max()) {
    const std::uint64_t used = read_number("/sys/fs/cgroup/memory.current");
    avail = std::min<std::uint64_t>(avail, cg_max > used ? cg_max - used : 0);
  }
  return avail;
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
  int u = 0;
  while (bytes >= 1000 && u < 6) bytes /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
  return buf;
}

void require_available(double bytes, const std::string& what) {
  const double avail = static_cast<double>(available_bytes());
  if (bytes > avail)
    throw OutOfMemory(what + " needs about " + human_bytes(bytes) + ", but only " + human_bytes(avail) +
                      " of memory are available to this process");
}

}  // namespace urbplex::memory
