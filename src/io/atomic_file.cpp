#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/version.hpp"
#include "object_files.hpp"
#include "urbplex/io/store.hpp"

namespace fs = std::filesystem;

namespace urbplex::io {
namespace {

void check_path(const std::string& path) {
  if (path.find('\0') != std::string::npos)
    throw std::invalid_argument("argument 'path': contains a NUL character");
  if (path.empty()) throw std::invalid_argument("argument 'path': is empty");
}

void check_root(hid_t file, const std::string& path) {
  if (!h5::has_attr(file, "schema_version"))
    throw IoError("'" + path + "' is an HDF5 file but not an urbplex store (no schema_version attribute)");
  std::int64_t schema = 0;
  try {
    schema = h5::get_int_attr(file, "schema_version");
  } catch (const IoError& e) {
    throw SchemaError("'" + path + "' has an unreadable schema_version (" + e.what() + ")");
  }
  if (schema > kSchemaVersion)
    throw SchemaError("'" + path + "' has schema_version " + std::to_string(schema) + ", newer than the " +
                      std::to_string(kSchemaVersion) + " this urbplex " + version() + " reads; upgrade urbplex");
  if (schema < kMinSchemaVersion)
    throw SchemaError("'" + path + "' has schema_version " + std::to_string(schema) +
                      ", which no urbplex release wrote (this one reads " + std::to_string(kMinSchemaVersion) + " to " +
                      std::to_string(kSchemaVersion) + ")");
}

}  // namespace

void fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

namespace {

fs::path dir_of(const fs::path& target) { return target.has_parent_path() ? target.parent_path() : fs::path("."); }

std::string hidden_sibling(const fs::path& target, const std::string& suffix) {
  return (dir_of(target) / ("." + target.filename().string() + suffix)).string();
}

std::string temp_name(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  return hidden_sibling(target, ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// Under the lock, every temporary of this target belongs to a writer that died.
void remove_stale_temporaries(const fs::path& target) {
  const std::string prefix = "." + target.filename().string() + ".tmp";
  std::error_code ec;
  for (fs::directory_iterator it(dir_of(target), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0) fs::remove(it->path(), ec);
  }
}

std::atomic<bool (*)()> interrupt_check{nullptr};

bool locking_off() {
  const char* s = std::getenv("URBPLEX_LOCKING");
  return s != nullptr && (std::string(s) == "off" || std::string(s) == "0" || std::string(s) == "no");
}

double lock_timeout() {
  if (const char* s = std::getenv("URBPLEX_LOCK_TIMEOUT")) {
    char* end = nullptr;
    const double v = std::strtod(s, &end);
    if (end != s && v >= 0) return v;
  }
  return 120.0;
}

}  // namespace

std::string resolve_target(const std::string& path) {
  check_path(path);
  fs::path p(path);
  std::error_code ec;
  for (int hops = 0; fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
    if (hops > 40) throw IoError("cannot write '" + path + "': too many levels of symbolic links");
    const fs::path link = fs::read_symlink(p, ec);
    if (ec) throw IoError("cannot read the symbolic link '" + p.string() + "': " + ec.message());
    p = link.is_absolute() ? link : dir_of(p) / link;
  }
  return p.lexically_normal().string();
}

FileLock::FileLock(const std::string& target) {
  const std::string path = hidden_sibling(fs::path(target), ".lock");
  // 0666 less the umask: in a shared group folder (umask 002) the next user can lock too.
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0 && errno == EACCES) fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // flock needs no write access
  if (fd_ < 0)
    throw IoError("cannot create the lock file '" + path + "': " + std::strerror(errno) +
                  " (saving needs write access to the folder)");
  const double timeout = lock_timeout();
  const auto start = std::chrono::steady_clock::now();
  auto last_poll = start;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      ::close(fd_);
      fd_ = -1;
      if (err == ENOLCK || err == EOPNOTSUPP)
        throw IoError("cannot lock '" + path + "': " + std::strerror(err) +
                      "; this filesystem has no file locks (NFS without a lock manager?). Set "
                      "URBPLEX_LOCKING=off to save without a lock, safe only when one process writes at a time");
      throw IoError("cannot lock '" + path + "': " + std::strerror(err));
    }
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - start).count() > timeout) {
      ::close(fd_);
      fd_ = -1;
      throw IoError("another process has held the lock on '" + target + "' for more than " +
                    std::to_string(static_cast<int>(timeout)) +
                    " s (set URBPLEX_LOCK_TIMEOUT to wait longer; lock file '" + path + "')");
    }
    if (now - last_poll >= std::chrono::milliseconds(50)) {
      last_poll = now;
      if (auto check = interrupt_check.load(); check != nullptr && check()) {
        ::close(fd_);
        fd_ = -1;
        throw Cancelled();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

void set_interrupt_check(bool (*check)()) { interrupt_check.store(check); }

bool interrupt_requested() {
  auto check = interrupt_check.load();
  return check != nullptr && check();
}

h5::Handle open_for_reading(const std::string& path) {
  check_path(path);
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) throw IoError("'" + path + "' does not exist");
  // A FIFO or device would block or stream forever.
  if (!fs::is_regular_file(status)) throw IoError("'" + path + "' is not a regular file");
  h5::Handle f = h5::open_file(path, false);
  check_root(f, path);
  return f;
}

namespace {
std::string writable_target(const std::string& target) {
  const fs::path t(resolve_target(target));
  std::error_code ec;
  if (t.has_parent_path() && !fs::is_directory(t.parent_path(), ec))
    throw IoError("cannot write '" + target + "': directory '" + t.parent_path().string() + "' does not exist");
  if (fs::exists(t, ec) && !fs::is_regular_file(t, ec))
    throw IoError("cannot write '" + target + "': it is not a regular file");
  return t.string();
}
}  // namespace

FileLock lock_for_writing(const std::string& path) {
  if (locking_off()) return FileLock();
  return FileLock(writable_target(path));
}

AtomicFile::AtomicFile(const std::string& target, const FileLock& /*held*/, bool fresh)
    : target_(writable_target(target)) {
  const fs::path t(target_);
  std::error_code ec;
  remove_stale_temporaries(t);
  if (fs::exists(t, ec) && ::access(target_.c_str(), W_OK) != 0)
    throw IoError("cannot save into '" + target + "': the file is read-only (" + std::strerror(errno) +
                  "); make it writable (chmod u+w) or save into another file");
  temp_ = temp_name(t);
  try {
    if (!fresh && fs::exists(t, ec)) {
      open_for_reading(target_).reset();  // refuse to rewrite a damaged or foreign file
      fs::copy_file(t, temp_, fs::copy_options::overwrite_existing, ec);
      if (ec) throw IoError("cannot copy '" + target + "' to a temporary file: " + ec.message());
      fs::permissions(temp_, fs::perms::owner_write, fs::perm_options::add, ec);
      file_ = h5::open_file(temp_, true);
    } else {
      file_ = h5::create_file(temp_);
      h5::set_attr(file_, "schema_version", static_cast<std::int64_t>(kSchemaVersion));
    }
    // Only when it changes: a rewritten string attribute leaves its old heap
    // collection (4 KiB) behind, and the index would grow with every save.
    if (!h5::has_attr(file_, "urbplex_version") || h5::get_string_attr(file_, "urbplex_version") != version())
      h5::set_attr(file_, "urbplex_version", std::string(version()));
  } catch (...) {  // the destructor does not run for a constructor that throws
    file_.reset();
    fs::remove(temp_, ec);
    throw;
  }
}

void AtomicFile::commit() {
  if (removed_) {
    // Copy every object into a fresh file: the space of deleted ones is not carried over.
    // (Flushed first: string attributes are checked against the bytes on disk when read.)
    h5::check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), "cannot flush '" + temp_ + "'");
    const std::string compact = temp_name(fs::path(target_));
    try {
      h5::Handle out = h5::create_file(compact);
      h5::set_attr(out, "schema_version", static_cast<std::int64_t>(kSchemaVersion));
      h5::set_attr(out, "urbplex_version", std::string(version()));
      if (h5::has_attr(file_, kFolderAttr)) h5::set_attr(out, kFolderAttr, h5::get_string_attr(file_, kFolderAttr));
      for (const auto& name : h5::children(file_)) {
        if (h5::link_type(file_, name) != H5L_TYPE_HARD) {
          h5::copy_link(file_, name, out);  // copying by name would copy the data a link points to
          continue;
        }
        h5::check_status(H5Ocopy(file_, name.c_str(), out, name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                         "cannot copy '" + name + "' while compacting");
      }
      h5::check_status(H5Fflush(out, H5F_SCOPE_GLOBAL), "cannot flush '" + compact + "'");
    } catch (...) {
      std::error_code ec;
      fs::remove(compact, ec);
      throw;
    }
    file_.reset();
    std::error_code ec;
    fs::remove(temp_, ec);
    temp_ = compact;
  } else {
    h5::check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), "cannot flush '" + temp_ + "'");
    file_.reset();
  }
  fsync_path(temp_);
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec) throw IoError("cannot move the new file into place at '" + target_ + "': " + ec.message());
  fsync_path(dir_of(fs::path(target_)).string());
  committed_ = true;
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  file_.reset();
  std::error_code ec;
  fs::remove(temp_, ec);
}

}  // namespace urbplex::io
