// Error types of urbplex and the argument checks that raise them.
//
// std::invalid_argument becomes Python ValueError, IoError becomes OSError,
// Cancelled becomes KeyboardInterrupt, OutOfMemory and std::bad_alloc become
// MemoryError (see python/src/module.cpp).
#pragma once
#include <stdexcept>
#include <string>

namespace urbplex {

// A file could not be read or written, or is damaged.
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A file was written by a newer urbplex schema than this build understands.
struct SchemaError : IoError {
  using IoError::IoError;
};

// A long computation was stopped through its RunControl (e.g. Ctrl-C).
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("computation cancelled") {}
};

// A computation would need more memory than this process can get (an
// up-front estimate, see core/memory.hpp), or an allocation failed.
struct OutOfMemory : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws std::invalid_argument("argument '<arg>': <what>").
[[noreturn]] inline void fail(const char* arg, const std::string& what) {
  throw std::invalid_argument(std::string("argument '") + arg + "': " + what);
}

// Throws std::invalid_argument("argument '<arg>': <what>") unless ok. The
// message is built before the call: in loops write `if (!ok) fail(...)`.
inline void require(bool ok, const char* arg, const std::string& what) {
  if (!ok) fail(arg, what);
}

}  // namespace urbplex
