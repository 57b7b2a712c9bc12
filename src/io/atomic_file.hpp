// Atomic update of an HDF5 file: work on a temporary file beside the target
// (a copy of it when it exists), then rename it over the target. Until
// commit() the target is untouched; if anything throws or the process dies,
// the target stays as it was (a dead process may leave a .tmp file behind).
#pragma once
#include <string>

#include "h5.hpp"

namespace urbplex::io {

class AtomicFile {
 public:
  explicit AtomicFile(const std::string& target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  hid_t file() const { return file_.get(); }
  void commit();

 private:
  std::string target_;
  std::string temp_;
  h5::Handle file_;
  bool committed_ = false;
};

// Opens an existing urbplex file for reading and checks its schema version.
h5::Handle open_for_reading(const std::string& path);

}  // namespace urbplex::io
