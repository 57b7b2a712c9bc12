// Up-front memory estimates: a call that cannot fit is refused before it
// allocates, with the bytes it needs, instead of dying in an allocation
// (inside an OpenMP region a std::bad_alloc would terminate the process) or
// swapping the machine for minutes.
#pragma once
#include <cstdint>
#include <string>

namespace urbplex::memory {

// Bytes this process can still allocate: the smallest of the memory the
// system has available (MemAvailable), the address-space and data limits
// (RLIMIT_AS, RLIMIT_DATA) less what is mapped, and the cgroup limit less its
// usage. A large number where none of these is known.
std::uint64_t available_bytes();

// Throws OutOfMemory("<what> needs about <bytes> (...), but only <avail> are
// available") when bytes exceed what is available.
void require_available(double bytes, const std::string& what);

// "1.5 GB"-style text.
std::string human_bytes(double bytes);

}  // namespace urbplex::memory
