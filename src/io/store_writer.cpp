#include "store_writer.hpp"

#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <system_error>

#include "object_files.hpp"
#include "urbplex/core/version.hpp"
#include "urbplex/io/store.hpp"

namespace fs = std::filesystem;

namespace urbplex::io {
namespace {

constexpr const char* kKinds[] = {"graphs", "hierarchies", "runs"};

constexpr const char* kJournal = ".pending";

// The file names of the index's own objects.
std::set<std::string> named_files(hid_t index, const std::string& path) {
  std::set<std::string> named;
  for (const char* kind : kKinds) {
    if (!h5::exists(index, kind)) continue;
    h5::Handle group = h5::open_group(index, kind);
    for (const auto& name : h5::children(group)) {
      const std::string file = own_object_file(index, path, kind, name);
      if (!file.empty()) named.insert(fs::path(file).filename().string());
    }
  }
  return named;
}

bool any_object_file_name(const std::string& s) {
  for (const char* kind : kKinds)
    if (is_object_file_name(s, kind)) return true;
  return false;
}

// A writer that died left its journal: of the files it names (the objects it
// was writing and those it was replacing), the ones the index does not name
// are not part of the store.
void recover(const std::string& folder, hid_t index, const std::string& path) {
  const fs::path journal = fs::path(folder) / kJournal;
  std::error_code ec;
  if (!fs::exists(journal, ec)) return;
  const std::set<std::string> named = named_files(index, path);
  std::ifstream in(journal);
  for (std::string line; std::getline(in, line);)
    if (any_object_file_name(line) && !named.count(line)) fs::remove(fs::path(folder) / line, ec);
  in.close();
  fs::remove(journal, ec);
}

void mark_root(hid_t file) {
  h5::set_attr(file, "schema_version", static_cast<std::int64_t>(kSchemaVersion));
  h5::set_attr(file, "urbplex_version", std::string(version()));
}

}  // namespace

StoreWriter::StoreWriter(const std::string& path, const FileLock& held) : path_(path), index_(path, held) {
  const std::string resolved = resolve_target(path);
  folder_name_ = objects_folder_name(index_.file());
  if (folder_name_.empty()) {
    folder_name_ = fs::path(resolved).filename().string() + ".d";
    h5::set_attr(index_.file(), kFolderAttr, folder_name_);
  }
  folder_ = folder_path(resolved, folder_name_);
  std::error_code ec;
  if (!fs::is_directory(folder_, ec)) {
    // 0777 less the umask, the group of a setgid parent: as the lock file.
    if (!fs::create_directory(folder_, ec) && !fs::is_directory(folder_))
      throw IoError("cannot create the store's folder of objects '" + folder_ + "': " + ec.message());
  }
  recover(folder_, index_.file(), path_);
  // A schema-1 store (or an export): its objects move out into files, once.
  for (const char* kind : kKinds) {
    if (!h5::exists(index_.file(), kind)) continue;
    h5::Handle group = h5::open_group(index_.file(), kind);
    for (const auto& name : h5::children(group))
      if (h5::link_type(group, name) == H5L_TYPE_HARD) move_out(kind, name);
  }
  if (h5::get_int_attr(index_.file(), "schema_version") != kSchemaVersion)
    h5::set_attr(index_.file(), "schema_version", static_cast<std::int64_t>(kSchemaVersion));
  // String attributes are checked against the bytes on disk when read (src/io/global_heap.hpp).
  h5::check_status(H5Fflush(index_.file(), H5F_SCOPE_LOCAL), "cannot flush the index of '" + path_ + "'");
}

void StoreWriter::journal(const std::string& file_name) {
  if (journal_fd_ < 0) {
    journal_fd_ = ::open((fs::path(folder_) / kJournal).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (journal_fd_ < 0)
      throw IoError("cannot write the journal of '" + folder_ + "': " + std::strerror(errno));
  }
  const std::string line = file_name + "\n";
  // Synced before the file exists: a crash from here on is undone by the next save.
  if (::write(journal_fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fsync(journal_fd_) != 0)
    throw IoError("cannot write the journal of '" + folder_ + "': " + std::strerror(errno));
}

StoreWriter::ObjectFile& StoreWriter::new_object_file(const std::string& kind, const std::string& name) {
  ObjectFile o;
  o.path = (fs::path(folder_) / new_object_file_name(folder_, kind)).string();
  journal(fs::path(o.path).filename().string());
  written_.push_back(std::move(o));  // listed before it exists: the destructor removes it on failure
  ObjectFile& w = written_.back();
  w.file = h5::create_file(w.path);
  mark_root(w.file);
  h5::set_attr(w.file, "object", kind + "/" + name);
  return w;
}

void StoreWriter::link(const std::string& kind, const std::string& name, const ObjectFile& object) {
  h5::Handle group = h5::open_or_create_group(index_.file(), kind);
  h5::create_external_link(group, name, folder_name_ + "/" + fs::path(object.path).filename().string(),
                           kObjectGroup);
}

void StoreWriter::move_out(const std::string& kind, const std::string& name) {
  ObjectFile& o = new_object_file(kind, name);
  const std::string full = kind + "/" + name;
  h5::check_status(H5Ocopy(index_.file(), full.c_str(), o.file, kObjectGroup + 1, H5P_DEFAULT, H5P_DEFAULT),
                   "cannot move '" + full + "' into a file of its own");
  h5::remove(index_.file(), full);
  index_.note_removed();
  link(kind, name, o);
}

hid_t StoreWriter::add(const std::string& kind, const std::string& name, bool overwrite) {
  const std::string full = kind + "/" + name;
  if (has_object(index_.file(), kind, name)) {
    if (!overwrite)
      throw std::invalid_argument("argument 'name': '" + full + "' already exists in '" + path_ +
                                  "' (pass overwrite=True to replace it)");
    const std::string old = own_object_file(index_.file(), path_, kind, name);
    if (!old.empty()) {
      journal(fs::path(old).filename().string());
      replaced_.push_back(old);
    }
    h5::remove(index_.file(), full);
    index_.note_removed();
  }
  ObjectFile& o = new_object_file(kind, name);
  o.group = h5::create_group(o.file, kObjectGroup);
  link(kind, name, o);
  return o.group.get();
}

void StoreWriter::commit() {
  for (ObjectFile& o : written_) {
    o.group.reset();
    h5::check_status(H5Fflush(o.file, H5F_SCOPE_GLOBAL), "cannot flush '" + o.path + "'");
    o.file.reset();
    fsync_path(o.path);
  }
  fsync_path(folder_);
  index_.commit();  // from here on the store is the new one
  committed_ = true;
  std::error_code ec;
  for (const auto& old : replaced_) fs::remove(old, ec);  // a reader still holding it open keeps its data
  close_journal(/*remove=*/true);
}

void StoreWriter::close_journal(bool remove) {
  if (journal_fd_ < 0) return;
  ::close(journal_fd_);
  journal_fd_ = -1;
  std::error_code ec;
  if (remove) fs::remove(fs::path(folder_) / kJournal, ec);
}

StoreWriter::~StoreWriter() {
  if (committed_) return;
  std::error_code ec;
  for (ObjectFile& o : written_) {
    o.group.reset();
    o.file.reset();
    fs::remove(o.path, ec);
  }
  close_journal(/*remove=*/true);  // the index is unchanged: nothing it names was touched
}

void export_store(const std::string& path, const std::string& out, bool overwrite) {
  std::error_code ec;
  if (!overwrite && fs::exists(out, ec))
    throw std::invalid_argument("argument 'out': '" + out + "' exists (pass overwrite=True to replace it)");
  if (resolve_target(path) == resolve_target(out))
    throw std::invalid_argument("argument 'out': is the store itself");
  FileLock held = lock_for_writing(out);
  auto lk = h5::lock();
  h5::Handle lcpl(h5::check(H5Pcreate(H5P_LINK_CREATE), "property list"), H5Pclose);
  H5Pset_create_intermediate_group(lcpl, 1);
  // The store is read without its lock, as any reader: a save that replaces
  // an object meanwhile removes its file, and the export starts again from
  // the new index (as io::load_* do).
  for (int attempt = 0;; ++attempt) {
    try {
      h5::Handle index = open_for_reading(path);
      AtomicFile f(out, held, /*fresh=*/true);
      for (const char* kind : kKinds) {
        if (!h5::exists(index, kind)) continue;
        h5::Handle group = h5::open_group(index, kind);
        for (const auto& name : h5::children(group)) {
          h5::Handle object = open_stored_object(index, path, kind, name);
          const std::string full = std::string(kind) + "/" + name;
          h5::check_status(H5Ocopy(object, ".", f.file(), full.c_str(), H5P_DEFAULT, lcpl),
                           "cannot copy '" + full + "' into '" + out + "'");
        }
      }
      f.commit();
      return;
    } catch (const ObjectFileMissing&) {
      if (attempt >= 8) throw;
    }
  }
}

std::vector<std::string> vacuum_store(const std::string& path) {
  FileLock held = lock_for_writing(path);
  auto lk = h5::lock();
  h5::Handle index = open_for_reading(path);
  const std::string folder_name = objects_folder_name(index);
  if (folder_name.empty()) return {};
  const std::set<std::string> named = named_files(index, path);
  std::vector<std::string> removed;
  std::error_code ec;
  for (fs::directory_iterator it(folder_path(resolve_target(path), folder_name), ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!it->is_regular_file() || named.count(name) || !any_object_file_name(name)) continue;
    std::error_code rm;
    if (fs::remove(it->path(), rm)) removed.push_back(it->path().string());
  }
  return removed;
}

}  // namespace urbplex::io
