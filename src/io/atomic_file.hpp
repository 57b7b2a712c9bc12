// Atomic, serialised update of an HDF5 file.
//
// A writer first takes an advisory lock (flock on a hidden `.<name>.lock`
// beside the target, waited for up to URBPLEX_LOCK_TIMEOUT seconds, default
// 120), so that concurrent processes saving into one file serialise and no
// update is lost. The wait happens before the process-wide HDF5 mutex is
// taken (loads of other files go on meanwhile) and polls the interrupt hook
// (Ctrl-C in Python) every 50 ms. The lock file is created with mode 0666
// less the umask (group-writable in a shared setgid folder) and, when it
// exists but is not ours to write, locked through a read-only descriptor.
// On a filesystem without locks (NFS without a lock manager: ENOLCK),
// URBPLEX_LOCKING=off saves without one: safe only with one writer at a time.
// The lock sits beside the file a symlink resolves to, so that two links to
// one store share it. Under the lock it removes temporaries left by writers that
// died (any `.<name>.tmp*`: no live writer can own one while we hold the
// lock), works on a temporary copy of the target, and renames it over the
// target on commit(). Until then the target is untouched; if anything throws
// the temporary is removed. When objects were replaced, commit() first
// rewrites the file compactly (HDF5 never reuses the space of a deleted
// object), so repeated overwrites do not grow it; soft and external links at
// its root are carried over as links (never the data they point to).
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
  FileLock() = default;  // holds nothing (locking turned off)
  explicit FileLock(const std::string& resolved_target);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  int fd_ = -1;
};

// The lock a save of `path` takes (symlinks resolved); wait for it before
// taking h5::lock().
FileLock lock_for_writing(const std::string& path);

// Polled while waiting for a lock; returns true to stop (the wait then throws
// urbplex::Cancelled). The Python bindings install a Ctrl-C check.
void set_interrupt_check(bool (*check)());
// Whether that check says stop (false when none is installed); large writes poll it.
bool interrupt_requested();

class AtomicFile {
 public:
  // `held` is the lock_for_writing(target) the caller keeps until this is gone.
  // fresh: start from an empty file, not a copy of the target.
  AtomicFile(const std::string& target, const FileLock& held, bool fresh = false);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  hid_t file() const { return file_.get(); }
  // An object was deleted: rewrite compactly on commit.
  void note_removed() { removed_ = true; }
  void commit();

 private:
  std::string target_;
  std::string temp_;
  h5::Handle file_;
  bool removed_ = false;
  bool committed_ = false;
};

// Opens an existing urbplex file for reading (a regular file, of a schema
// version this library reads); refuses paths with NUL bytes.
h5::Handle open_for_reading(const std::string& path);

// fsync of a file or folder by name (errors ignored: best effort on filesystems without it).
void fsync_path(const std::string& path);

// The file a path names, symlinks resolved (the path itself when it does not exist).
std::string resolve_target(const std::string& path);

}  // namespace urbplex::io
