#include "atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>

#include "urbplex/core/version.hpp"
#include "urbplex/io/store.hpp"

namespace fs = std::filesystem;

namespace urbplex::io {
namespace {

void check_root(hid_t file, const std::string& path) {
  if (!h5::has_attr(file, "schema_version"))
    throw IoError("'" + path + "' is an HDF5 file but not an urbplex store (no schema_version attribute)");
  const auto schema = h5::get_int_attr(file, "schema_version");
  if (schema > kSchemaVersion)
    throw SchemaError("'" + path + "' has schema_version " + std::to_string(schema) + ", newer than the " +
                      std::to_string(kSchemaVersion) + " this urbplex " + version() + " reads; upgrade urbplex");
}

void fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string temp_name(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  return (dir / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()) + "-" +
                 std::to_string(counter++)))
      .string();
}

}  // namespace

h5::Handle open_for_reading(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw IoError("'" + path + "' does not exist");
  h5::Handle f = h5::open_file(path, false);
  check_root(f, path);
  return f;
}

AtomicFile::AtomicFile(const std::string& target) : target_(target) {
  const fs::path t(target);
  std::error_code ec;
  if (t.has_parent_path() && !fs::is_directory(t.parent_path(), ec))
    throw IoError("cannot write '" + target + "': directory '" + t.parent_path().string() + "' does not exist");
  temp_ = temp_name(t);
  if (fs::exists(t, ec)) {
    open_for_reading(target).reset();  // refuse to rewrite a damaged or foreign file
    fs::copy_file(t, temp_, fs::copy_options::overwrite_existing, ec);
    if (ec) throw IoError("cannot copy '" + target + "' to a temporary file: " + ec.message());
    file_ = h5::open_file(temp_, true);
  } else {
    file_ = h5::create_file(temp_);
    h5::set_attr(file_, "schema_version", static_cast<std::int64_t>(kSchemaVersion));
  }
  h5::set_attr(file_, "urbplex_version", std::string(version()));
}

void AtomicFile::commit() {
  h5::check_status(H5Fflush(file_, H5F_SCOPE_GLOBAL), "cannot flush '" + temp_ + "'");
  file_.reset();
  fsync_path(temp_);
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec) throw IoError("cannot move the new file into place at '" + target_ + "': " + ec.message());
  committed_ = true;
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  file_.reset();
  std::error_code ec;
  fs::remove(temp_, ec);
}

}  // namespace urbplex::io
