#include "object_files.hpp"

#include <filesystem>
#include <random>
#include <system_error>

#include "atomic_file.hpp"

namespace fs = std::filesystem;

namespace urbplex::io {
namespace {

bool plain_name(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos && s.find('\0') == std::string::npos;
}

}  // namespace

bool is_object_file_name(const std::string& s, const std::string& kind) {
  const std::string prefix = kind + "-";
  if (s.size() != prefix.size() + 16 + 3 || s.compare(0, prefix.size(), prefix) != 0) return false;
  for (std::size_t i = prefix.size(); i < prefix.size() + 16; ++i)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  return s.compare(s.size() - 3, 3, ".h5") == 0;
}

namespace {

fs::path dir_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

}  // namespace

std::string objects_folder_name(hid_t index) {
  if (!h5::has_attr(index, kFolderAttr)) return "";
  std::string name = h5::get_string_attr(index, kFolderAttr);
  if (!plain_name(name)) throw IoError("the index's folder of objects '" + name + "' is not a plain folder name");
  return name;
}

std::string folder_path(const std::string& resolved_index, const std::string& folder_name) {
  return (dir_of(fs::path(resolved_index)) / folder_name).string();
}

bool has_object(hid_t index, const std::string& kind, const std::string& name) {
  if (!h5::exists(index, kind)) return false;
  h5::Handle group = h5::open_group(index, kind);
  return h5::link_exists(group, name);
}

std::string own_object_file(hid_t index, const std::string& index_path, const std::string& kind,
                            const std::string& name) {
  h5::Handle group = h5::open_group(index, kind);
  if (h5::link_type(group, name) != H5L_TYPE_EXTERNAL) return "";
  const std::string folder = objects_folder_name(index);
  if (folder.empty()) return "";
  const h5::ExternalTarget t = h5::external_target(group, name);
  const std::string prefix = folder + "/";
  if (t.object != kObjectGroup || t.file.compare(0, prefix.size(), prefix) != 0 ||
      !is_object_file_name(t.file.substr(prefix.size()), kind))
    return "";
  return (dir_of(fs::path(resolve_target(index_path))) / t.file).string();
}

h5::Handle open_stored_object(hid_t index, const std::string& index_path, const std::string& kind,
                              const std::string& name) {
  const std::string full = kind + "/" + name;
  h5::Handle group = h5::open_group(index, kind);
  if (h5::link_type(group, name) == H5L_TYPE_HARD) return h5::open_group(index, full);
  const std::string file = own_object_file(index, index_path, kind, name);
  if (file.empty()) return h5::open_group(index, full);  // a foreign link: h5::LinkPolicy decides
  const auto missing = [&] {
    return ObjectFileMissing("the file of " + full + ", '" + file +
                             "', is missing (a store is its file and the folder of objects beside it: move or "
                             "copy both, or use urbplex.io.export_store for a single file)");
  };
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(file, ec))) throw missing();
  h5::Handle object_file;
  try {
    object_file = open_for_reading(file);  // a regular file, an urbplex schema
  } catch (const IoError&) {
    if (!fs::exists(fs::symlink_status(file, ec))) throw missing();  // removed by a save meanwhile
    throw;
  }
  return h5::open_group(object_file, kObjectGroup);  // HDF5 keeps the file open while the group is
}

std::string new_object_file_name(const std::string& folder, const std::string& kind) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  for (;;) {
    std::uint64_t x = rng();
    std::string name = kind + "-";
    for (int i = 0; i < 16; ++i, x >>= 4) name += hex[x & 15];
    name += ".h5";
    std::error_code ec;
    if (!fs::exists(fs::path(folder) / name, ec)) return name;
  }
}

}  // namespace urbplex::io
