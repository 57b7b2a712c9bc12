#include "h5.hpp"

#include "atomic_file.hpp"
#include "global_heap.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdlib>

#include <algorithm>
#include <limits>

namespace urbplex::io::h5 {
namespace {

// Attribute holding the xxh3_64 digest of a dataset's bytes (native layout).
constexpr const char* kDigest = "xxh3_64";
// Chunks of about 1 MiB: Fletcher32 needs a chunked layout.
constexpr std::uint64_t kChunkBytes = 1u << 20;
// Decompressed bytes allowed per stored byte for filtered (compressed) data:
// above deflate's limit (about 1032:1, reached on runs of zeros such as the
// link series of an empty network at night), far below a decompression bomb's.
constexpr std::uint64_t kMaxCompressionRatio = 4096;
// Longest fixed-length string attribute read.
constexpr std::size_t kMaxStringAttr = 1u << 26;

bool links_allowed = false;  // guarded by lock()

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

const char* link_kind(H5L_type_t t) {
  switch (t) {
    case H5L_TYPE_SOFT: return "a soft link";
    case H5L_TYPE_EXTERNAL: return "an external link";
    default: return "a user-defined link";
  }
}

std::uint64_t digest(const void* data, std::size_t bytes) { return XXH3_64bits(data, bytes); }

H5O_type_t object_type(hid_t parent, const std::string& name) {
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info;
  check_status(H5Oget_info_by_name3(parent, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT),
               "cannot inspect '" + name + "'");
#else
  H5O_info_t info;
  check_status(H5Oget_info_by_name2(parent, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT),
               "cannot inspect '" + name + "'");
#endif
  return info.type;
}

// Well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF),
// so that a damaged string becomes an error naming its attribute here rather
// than a bare UnicodeDecodeError where Python receives it.
bool is_utf8(const std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned c = *p++;
    if (c < 0x80) continue;
    int more = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) more = 1;
    else if (c >= 0xE0 && c <= 0xEF) more = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) more = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return false;
    for (int k = 0; k < more; ++k, lo = 0x80, hi = 0xBF) {
      if (p == end || *p < lo || *p > hi) return false;
      ++p;
    }
  }
  return true;
}

std::string checked_text(std::string s, const std::string& name) {
  if (!is_utf8(s)) throw IoError("attribute '" + name + "' is not valid UTF-8 text (damaged?)");
  return s;
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

LinkPolicy::LinkPolicy(bool allow) : previous_(links_allowed) { links_allowed = allow; }
LinkPolicy::~LinkPolicy() { links_allowed = previous_; }
bool LinkPolicy::allowed() { return links_allowed; }

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) throw IoError(what + ": " + hdf5_message());
  return id;
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) throw IoError(what + ": " + hdf5_message());
}

namespace {

// URBPLEX_LOCKING=off (filesystems without locks) also turns off HDF5's own
// file locks, which every open takes since HDF5 1.10 and which fail there too.
bool locking_off() {
  const char* s = std::getenv("URBPLEX_LOCKING");
  return s != nullptr && (std::string(s) == "off" || std::string(s) == "0" || std::string(s) == "no");
}

Handle access_list() {
  Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), "file access property list"), H5Pclose);
#if H5_VERSION_GE(1, 12, 1) || (H5_VERS_MAJOR == 1 && H5_VERS_MINOR == 10 && H5_VERS_RELEASE >= 7)
  if (locking_off()) check_status(H5Pset_file_locking(fapl, false, true), "file locking");
#endif
  return fapl;
}

std::string lock_hint(const std::string& message) {
  return message.find("unable to lock file") != std::string::npos
             ? " (this filesystem has no file locks: set URBPLEX_LOCKING=off, safe with one writer at a time)"
             : "";
}

}  // namespace

Handle open_file(const std::string& path, bool writable) {
  H5Eclear2(H5E_DEFAULT);
  Handle fapl = access_list();
  const hid_t id = H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl);
  if (id < 0) {
    const std::string message = hdf5_message();
    throw IoError("cannot open '" + path + "' as HDF5 (missing, truncated or not an HDF5 file): " + message +
                  lock_hint(message));
  }
  return {id, H5Fclose};
}

Handle create_file(const std::string& path) {
  Handle fapl = access_list();
  // Format 1.8+ object headers and B-trees carry checksums of their own.
  check_status(H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST), "library version bounds");
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  if (id < 0) {
    const std::string message = hdf5_message();
    throw IoError("cannot create '" + path + "': " + message + lock_hint(message));
  }
  return {id, H5Fclose};
}

bool exists(hid_t parent, const std::string& path) {
  // Check each component: H5Lexists fails on a missing intermediate group,
  // and a soft or external link must be refused before it is traversed.
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
      const H5L_type_t type = link_type(parent, prefix);
      if (type != H5L_TYPE_HARD && !links_allowed)
        throw IoError("'" + prefix + "' is " + link_kind(type) +
                      ", refused (pass allow_links=True to follow links you trust)");
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

Handle open_group(hid_t parent, const std::string& name) {
  if (!exists(parent, name)) throw IoError("group '" + name + "' is missing");
  if (object_type(parent, name) != H5O_TYPE_GROUP) throw IoError("'" + name + "' is not a group");
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
#if H5_VERSION_GE(1, 12, 0)
  auto collect = [](hid_t, const char* name, const H5L_info2_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  check_status(H5Literate2(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), "cannot list group");
#else
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  check_status(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), "cannot list group");
#endif
  for (const auto& n : names)
    if (!is_utf8(n)) throw IoError("a group holds a link whose name is not valid UTF-8 text (damaged?)");
  return names;
}

bool is_dataset(hid_t parent, const std::string& name) {
  if (!exists(parent, name)) return false;
  return object_type(parent, name) == H5O_TYPE_DATASET;
}

namespace {
// Large arrays are written in slabs of about kSlabBytes along the first axis,
// with a Ctrl-C check between them: a save of hundreds of MB stops within a
// slab's time (the unfinished object file is removed by the save).
constexpr std::uint64_t kSlabBytes = 16u << 20;

void write_in_slabs(hid_t dset, hid_t mem_type, const void* data, const std::vector<hsize_t>& dims,
                    std::size_t item, const std::string& name) {
  std::uint64_t row = item;
  for (std::size_t k = 1; k < dims.size(); ++k) row *= dims[k];
  if (dims.empty() || dims[0] * row <= 2 * kSlabBytes) {
    check_status(H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "cannot write '" + name + "'");
    return;
  }
  Handle file_space(check(H5Dget_space(dset), "dataspace of '" + name + "'"), H5Sclose);
  const hsize_t rows = std::max<hsize_t>(kSlabBytes / std::max<std::uint64_t>(row, 1), 1);
  for (hsize_t first = 0; first < dims[0]; first += rows) {
    if (interrupt_requested()) throw Cancelled();
    std::vector<hsize_t> start(dims.size(), 0), extent(dims);
    start[0] = first;
    extent[0] = std::min<hsize_t>(rows, dims[0] - first);
    check_status(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
                 "slab of '" + name + "'");
    Handle mem_space(check(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr), "dataspace"),
                     H5Sclose);
    const auto* at = static_cast<const unsigned char*>(data) + first * row;
    check_status(H5Dwrite(dset, mem_type, mem_space, file_space, H5P_DEFAULT, at), "cannot write '" + name + "'");
  }
}
}  // namespace

void write(hid_t parent, const std::string& name, hid_t mem_type, const void* data,
           const std::vector<std::uint64_t>& shape, bool compress) {
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  std::uint64_t count = 1;
  for (auto d : dims) count *= d;
  const std::size_t item = H5Tget_size(mem_type);
  Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "dataspace"), H5Sclose);
  Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dataset creation property list"), H5Pclose);
  if (count > 0 && !dims.empty()) {
    // Chunks along the first axis, whole along the others.
    std::vector<hsize_t> chunk(dims);
    std::uint64_t row = item;
    for (std::size_t k = 1; k < dims.size(); ++k) row *= dims[k];
    // Rows per chunk: about kChunkBytes, evened out over the chunks needed (a
    // last chunk barely begun would be stored whole).
    const std::uint64_t per = std::clamp<std::uint64_t>(kChunkBytes / std::max<std::uint64_t>(row, 1), 1, dims[0]);
    const std::uint64_t pieces = (dims[0] + per - 1) / per;
    chunk[0] = (dims[0] + pieces - 1) / pieces;
    check_status(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), "chunk layout of '" + name + "'");
    if (compress) {
      check_status(H5Pset_shuffle(dcpl), "shuffle filter of '" + name + "'");
      check_status(H5Pset_deflate(dcpl, 4), "deflate filter of '" + name + "'");
    }
    check_status(H5Pset_fletcher32(dcpl), "checksum filter of '" + name + "'");
  }
  Handle dset(check(H5Dcreate2(parent, name.c_str(), mem_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                    "cannot create dataset '" + name + "'"),
              H5Dclose);
  if (count > 0) write_in_slabs(dset, mem_type, data, dims, item, name);
  Handle aspace(check(H5Screate(H5S_SCALAR), "scalar dataspace"), H5Sclose);
  Handle attr(check(H5Acreate2(dset, kDigest, H5T_NATIVE_UINT64, aspace, H5P_DEFAULT, H5P_DEFAULT),
                    "cannot create the digest of '" + name + "'"),
              H5Aclose);
  const std::uint64_t d = digest(data, count * item);
  check_status(H5Awrite(attr, H5T_NATIVE_UINT64, &d), "cannot write the digest of '" + name + "'");
}

DatasetInfo inspect(hid_t parent, const std::string& name) {
  if (!exists(parent, name)) throw IoError("dataset '" + name + "' is missing");
  if (!is_dataset(parent, name)) throw IoError("'" + name + "' is not a dataset");
  Handle dset(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open dataset '" + name + "'"), H5Dclose);
  Handle space(check(H5Dget_space(dset), "dataspace of '" + name + "'"), H5Sclose);
  DatasetInfo info;
  const H5S_class_t sclass = H5Sget_simple_extent_type(space);
  if (sclass == H5S_SIMPLE) {
    const int rank = H5Sget_simple_extent_ndims(space);
    if (rank < 0 || rank > 32) throw IoError("dataset '" + name + "' has no readable shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    info.shape.assign(dims.begin(), dims.end());
  } else if (sclass != H5S_SCALAR) {
    throw IoError("dataset '" + name + "' has a null dataspace");
  }
  Handle type(check(H5Dget_type(dset), "type of '" + name + "'"), H5Tclose);
  info.type_class = H5Tget_class(type);
  info.type_size = H5Tget_size(type);
  info.is_signed = info.type_class == H5T_INTEGER && H5Tget_sign(type) == H5T_SGN_2;
  if (info.type_size == 0 || info.type_size > 16) throw IoError("dataset '" + name + "' has an unsupported element size");
  // Element count, refusing products that overflow.
  info.elements = 1;
  for (auto d : info.shape) {
    if (d != 0 && info.elements > std::numeric_limits<std::uint64_t>::max() / 16 / d)
      throw IoError("dataset '" + name + "' declares an impossible extent");
    info.elements *= d;
  }
  Handle dcpl(check(H5Dget_create_plist(dset), "creation properties of '" + name + "'"), H5Pclose);
  const H5D_layout_t layout = H5Pget_layout(dcpl);
  if (layout == H5D_VIRTUAL && !links_allowed)
    throw IoError("dataset '" + name + "' is a virtual dataset (data in other files), refused (pass allow_links=True)");
  if (H5Pget_external_count(dcpl) > 0 && !links_allowed)
    throw IoError("dataset '" + name + "' keeps its data in external files, refused (pass allow_links=True)");
  bool compressed = false;
  const int filters = H5Pget_nfilters(dcpl);
  for (int k = 0; k < filters; ++k) {
    unsigned flags = 0, config = 0;
    std::size_t nelmts = 0;
    const H5Z_filter_t f = H5Pget_filter2(dcpl, static_cast<unsigned>(k), &flags, &nelmts, nullptr, 0, nullptr, &config);
    if (f != H5Z_FILTER_FLETCHER32 && f != H5Z_FILTER_SHUFFLE) compressed = true;
  }
  // The bytes the file backs must cover what the extent declares (sparse
  // chunked datasets would otherwise be filled from nothing).
  const std::uint64_t need = info.elements * info.type_size;
  if (need > 0 && layout != H5D_VIRTUAL && H5Pget_external_count(dcpl) == 0) {
    const std::uint64_t stored = H5Dget_storage_size(dset);
    const bool enough = compressed ? stored > 0 && need / kMaxCompressionRatio <= stored : stored >= need;
    if (!enough)
      throw IoError("dataset '" + name + "' declares " + std::to_string(need) + " bytes but the file stores " +
                    std::to_string(stored));
  }
  return info;
}

void read(hid_t parent, const std::string& name, hid_t mem_type, void* data, std::uint64_t expected) {
  const DatasetInfo info = inspect(parent, name);
  if (info.elements != expected)
    throw IoError("dataset '" + name + "' has " + std::to_string(info.elements) + " elements, expected " +
                  std::to_string(expected));
  const H5T_class_t want = H5Tget_class(mem_type);
  if (info.type_class != want)
    throw IoError("dataset '" + name + "' holds " +
                  (info.type_class == H5T_FLOAT ? "floats" : info.type_class == H5T_INTEGER ? "integers" : "non-numbers") +
                  (want == H5T_FLOAT ? ", expected floats" : ", expected integers"));
  if (info.type_class != H5T_INTEGER && info.type_class != H5T_FLOAT)
    throw IoError("dataset '" + name + "' is not numeric");
  if (expected == 0) return;
  Handle dset(check(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), "cannot open dataset '" + name + "'"), H5Dclose);
  if (H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    const std::string msg = hdf5_message();
    throw IoError("cannot read dataset '" + name + "': " + msg +
                  (msg.find("checksum") != std::string::npos || msg.find("filter") != std::string::npos
                       ? " (its checksum does not match: the file is damaged)"
                       : " (damaged file?)"));
  }
  if (H5Aexists(dset, kDigest) > 0) {
    const std::uint64_t stored = get_u64_attr(dset, kDigest);
    if (stored != digest(data, expected * H5Tget_size(mem_type)))
      throw IoError("dataset '" + name +
                    "' does not match its digest: it was changed after urbplex wrote it (by another tool, or damaged)");
  }
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

// Opens an attribute that must hold exactly one value of the given class.
Handle open_scalar_attr(hid_t obj, const std::string& name, H5T_class_t want, const char* what) {
  if (H5Aexists(obj, name.c_str()) <= 0) throw IoError("attribute '" + name + "' is missing");
  Handle attr(check(H5Aopen(obj, name.c_str(), H5P_DEFAULT), "cannot open attribute '" + name + "'"), H5Aclose);
  Handle space(check(H5Aget_space(attr), "dataspace of attribute '" + name + "'"), H5Sclose);
  const H5S_class_t sclass = H5Sget_simple_extent_type(space);
  if (sclass != H5S_SCALAR && !(sclass == H5S_SIMPLE && H5Sget_simple_extent_npoints(space) == 1))
    throw IoError("attribute '" + name + "' is not a single value");
  Handle type(check(H5Aget_type(attr), "type of attribute '" + name + "'"), H5Tclose);
  const H5T_class_t have = H5Tget_class(type);
  if (have != want && !(want == H5T_FLOAT && have == H5T_INTEGER))
    throw IoError(std::string("attribute '") + name + "' is not " + what);
  return attr;
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
  Handle attr = open_scalar_attr(obj, name, H5T_STRING, "a string");
  Handle ftype(check(H5Aget_type(attr), "attribute type"), H5Tclose);
  if (H5Tis_variable_str(ftype) > 0) {
    check_vlen_reference(attr, name);
    Handle type(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5Tget_cset(ftype));
    char* p = nullptr;
    check_status(H5Aread(attr, type, &p), "cannot read attribute '" + name + "'");
    std::string s = p ? p : "";
    if (p) H5free_memory(p);
    return checked_text(std::move(s), name);
  }
  const std::size_t size = H5Tget_size(ftype);
  if (size == 0 || size > kMaxStringAttr) throw IoError("attribute '" + name + "' has an implausible length");
  std::string s(size, '\0');
  check_status(H5Aread(attr, ftype, s.data()), "cannot read attribute '" + name + "'");
  return checked_text(s.substr(0, s.find('\0')), name);
}

std::int64_t get_int_attr(hid_t obj, const std::string& name) {
  Handle attr = open_scalar_attr(obj, name, H5T_INTEGER, "an integer");
  Handle type(check(H5Aget_type(attr), "attribute type"), H5Tclose);
  if (H5Tget_sign(type) == H5T_SGN_NONE) {
    std::uint64_t u = 0;
    check_status(H5Aread(attr, H5T_NATIVE_UINT64, &u), "cannot read attribute '" + name + "'");
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw IoError("attribute '" + name + "' is out of range");
    return static_cast<std::int64_t>(u);
  }
  std::int64_t value = 0;
  check_status(H5Aread(attr, H5T_NATIVE_INT64, &value), "cannot read attribute '" + name + "'");
  return value;
}

std::uint64_t get_u64_attr(hid_t obj, const std::string& name) {
  Handle attr = open_scalar_attr(obj, name, H5T_INTEGER, "an integer");
  Handle type(check(H5Aget_type(attr), "attribute type"), H5Tclose);
  if (H5Tget_sign(type) == H5T_SGN_2) {
    std::int64_t s = 0;
    check_status(H5Aread(attr, H5T_NATIVE_INT64, &s), "cannot read attribute '" + name + "'");
    if (s < 0) throw IoError("attribute '" + name + "' is negative");
    return static_cast<std::uint64_t>(s);
  }
  std::uint64_t value = 0;
  check_status(H5Aread(attr, H5T_NATIVE_UINT64, &value), "cannot read attribute '" + name + "'");
  return value;
}

double get_double_attr(hid_t obj, const std::string& name) {
  Handle attr = open_scalar_attr(obj, name, H5T_FLOAT, "a number");
  double value = 0;
  check_status(H5Aread(attr, H5T_NATIVE_DOUBLE, &value), "cannot read attribute '" + name + "'");
  return value;
}

std::uint64_t digest_strings(const std::vector<std::string>& parts) {
  std::string buffer;
  for (const auto& p : parts) {
    const std::uint64_t size = p.size();
    buffer.append(reinterpret_cast<const char*>(&size), sizeof size);
    buffer += p;
  }
  return digest(buffer.data(), buffer.size());
}

}  // namespace urbplex::io::h5
