// Atomic, serialised update of an HDF5 file.
//
// A writer first takes an advisory lock (flock on a hidden `.<name>.lock`
// beside the target, waited for up to URBPLEX_LOCK_TIMEOUT seconds, default
// 120), so that concurrent processes saving into one file serialise and no
// update is lost. Under the lock it removes temporaries left by writers that
// died (any `.<name>.tmp*`: no live writer can own one while we hold the
// lock), works on a temporary copy of the target, and renames it over the
// target on commit(). Until then the target is untouched; if anything throws
// the temporary is removed. When objects were replaced, commit() first
// rewrites the file compactly (HDF5 never reuses the space of a deleted
// object), so repeated overwrites do not grow it.
//
// A symlinked target is resolved: the save replaces the file the link points
// to and the link stays. (A hard-linked target is replaced by a new inode:
// other hard links keep the old contents, as with any atomic-rename writer.)
#pragma once
#include <string>

#include "h5.hpp"

namespace urbplex::io {

class FileLock {
 public:
  explicit FileLock(const std::string& target);
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  int fd_ = -1;
};

class AtomicFile {
 public:
  explicit AtomicFile(const std::string& target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  hid_t file() const { return file_.get(); }
  // An object was deleted: rewrite compactly on commit.
  void note_removed() { removed_ = true; }
  void commit();

 private:
  std::string target_;
  FileLock lock_;
  std::string temp_;
  h5::Handle file_;
  bool removed_ = false;
  bool committed_ = false;
};

// Opens an existing urbplex file for reading (a regular file, of a schema
// version this library reads); refuses paths with NUL bytes.
h5::Handle open_for_reading(const std::string& path);

// The file a path names, symlinks resolved (the path itself when it does not exist).
std::string resolve_target(const std::string& path);

}  // namespace urbplex::io
