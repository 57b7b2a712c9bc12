#include "h5.hpp"

#include <memory>

namespace urbplex::io::h5 {
namespace {

herr_t innermost(unsigned, const H5E_error2_t* err, void* data) {
  auto* msg = static_cast<std::string*>(data);
  if (err->desc && *err->desc) *msg = err->desc;  // the walk goes outward; keep the first
  return 1;                                       // stop after the innermost
}

std::string hdf5_message() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &msg);
  H5Eclear2(H5E_DEFAULT);
  return msg.empty() ? "unknown HDF5 error" : msg;
}

}  // namespace

std::unique_lock<std::mutex> lock() {
  static std::mutex m;
  static bool quiet = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)quiet;
  return std::unique_lock<std::mutex>(m);
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw IoError(what + ": " + hdf5_message());
  return id;
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) throw IoError(what + ": " + hdf5_message());
}

Handle open_file(const std::string& path, bool writable) {
  H5Eclear2(H5E_DEFAULT);
  return {check(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT),
                "cannot open '" + path + "' as HDF5 (missing, truncated or not an HDF5 file)"),
          H5Fclose};
}

Handle create_file(const std::string& path) {
  return {check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "cannot create '" + path + "'"),
          H5Fclose};
}

bool exists(hid_t parent, const std::string& path) {
  // Check each component: H5Lexists fails on a missing intermediate group.
  std::string prefix;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty()) {
      prefix += (prefix.empty() ? "" : "/") + part;
      const htri_t e = H5Lexists(parent, prefix.c_str(), H5P_DEFAULT);
      if (e <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

Handle open_group(hid_t parent, const std::string& name) {
  return {check(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open group '" + name + "'"), H5Gclose};
}

Handle create_group(hid_t parent, const std::string& name) {
  Handle lcpl(check(H5Pcreate(H5P_LINK_CREATE), "property list"), H5Pclose);
  H5Pset_create_intermediate_group(lcpl, 1);
  return {check(H5Gcreate2(parent, name.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT), "cannot create group '" + name + "'"),
          H5Gclose};
}

Handle open_or_create_group(hid_t parent, const std::string& name) {
  return exists(parent, name) ? open_group(parent, name) : create_group(parent, name);
}

void remove(hid_t parent, const std::string& name) {
  check_status(H5Ldelete(parent, name.c_str(), H5P_DEFAULT), "cannot remove '" + name + "'");
}

std::vector<std::string> children(hid_t group) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  check_status(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), "cannot list group");
  return names;
}

void write(hid_t parent, const std::string& name, hid_t mem_type, const void* data,
           const std::vector<std::uint64_t>& shape) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "dataspace"), H5Sclose);
  Handle dset(check(H5Dcreate2(parent, name.c_str(), mem_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                    "cannot create dataset '" + name + "'"),
              H5Dclose);
  bool empty = false;
  for (auto d : dims) empty |= d == 0;
  if (!empty) check_status(H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "cannot write '" + name + "'");
}

std::vector<std::uint64_t> shape_of(hid_t parent, const std::string& name) {
  if (!exists(parent, name)) throw IoError("dataset '" + name + "' is missing");
  Handle dset(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open dataset '" + name + "'"), H5Dclose);
  Handle space(check(H5Dget_space(dset), "dataspace of '" + name + "'"), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) throw IoError("dataset '" + name + "' has no simple shape");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return {dims.begin(), dims.end()};
}

hid_t native_type_of(hid_t parent, const std::string& name) {
  Handle dset(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open dataset '" + name + "'"), H5Dclose);
  Handle type(check(H5Dget_type(dset), "type of '" + name + "'"), H5Tclose);
  return check(H5Tget_native_type(type, H5T_DIR_ASCEND), "native type of '" + name + "'");
}

void read(hid_t parent, const std::string& name, hid_t mem_type, void* data, std::uint64_t expected) {
  std::uint64_t count = 1;
  for (auto d : shape_of(parent, name)) count *= d;
  if (count != expected)
    throw IoError("dataset '" + name + "' has " + std::to_string(count) + " elements, expected " +
                  std::to_string(expected));
  if (count == 0) return;
  Handle dset(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open dataset '" + name + "'"), H5Dclose);
  check_status(H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
               "cannot read dataset '" + name + "' (damaged file?)");
}

namespace {
void write_attr(hid_t obj, const std::string& name, hid_t type, const void* value) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle space(check(H5Screate(H5S_SCALAR), "scalar dataspace"), H5Sclose);
  Handle attr(check(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                    "cannot create attribute '" + name + "'"),
              H5Aclose);
  check_status(H5Awrite(attr, type, value), "cannot write attribute '" + name + "'");
}
Handle open_attr(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) throw IoError("attribute '" + name + "' is missing");
  return {check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"), H5Aclose};
}
template <class T>
T read_attr(hid_t obj, const std::string& name, hid_t type) {
  Handle attr = open_attr(obj, name);
  T value{};
  check_status(H5Aread(attr, type, &value), "cannot read attribute '" + name + "'");
  return value;
}
}  // namespace

void set_attr(hid_t obj, const std::string& name, const std::string& value) {
  Handle type(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const char* p = value.c_str();
  write_attr(obj, name, type, &p);
}
void set_attr(hid_t obj, const std::string& name, std::int64_t value) { write_attr(obj, name, H5T_NATIVE_INT64, &value); }
void set_attr_u64(hid_t obj, const std::string& name, std::uint64_t value) {
  write_attr(obj, name, H5T_NATIVE_UINT64, &value);
}
void set_attr(hid_t obj, const std::string& name, double value) { write_attr(obj, name, H5T_NATIVE_DOUBLE, &value); }
bool has_attr(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

std::string get_string_attr(hid_t obj, const std::string& name) {
  Handle attr = open_attr(obj, name);
  Handle ftype(check(H5Aget_type(attr), "attribute type"), H5Tclose);
  if (H5Tget_class(ftype) != H5T_STRING) throw IoError("attribute '" + name + "' is not a string");
  if (H5Tis_variable_str(ftype) > 0) {
    Handle type(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5Tget_cset(ftype));
    char* p = nullptr;
    check_status(H5Aread(attr, type, &p), "cannot read attribute '" + name + "'");
    std::string s = p ? p : "";
    if (p) H5free_memory(p);
    return s;
  }
  const std::size_t size = H5Tget_size(ftype);
  std::string s(size, '\0');
  check_status(H5Aread(attr, ftype, s.data()), "cannot read attribute '" + name + "'");
  return s.substr(0, s.find('\0'));
}
std::int64_t get_int_attr(hid_t obj, const std::string& name) {
  return read_attr<std::int64_t>(obj, name, H5T_NATIVE_INT64);
}
std::uint64_t get_u64_attr(hid_t obj, const std::string& name) {
  return read_attr<std::uint64_t>(obj, name, H5T_NATIVE_UINT64);
}
double get_double_attr(hid_t obj, const std::string& name) { return read_attr<double>(obj, name, H5T_NATIVE_DOUBLE); }

}  // namespace urbplex::io::h5
