// A small RAII layer over the HDF5 C API (private to src/io), and the one
// place where what a file holds is checked against what the schema expects.
//
// HDF5's serial library is not thread-safe: every entry point of the store
// takes lock(). Errors of the C API become urbplex::IoError with the message
// of the innermost HDF5 error; HDF5's own printing to stderr is switched off.
//
// Reading a file that someone else may have written (a damaged or hostile
// one) never trusts it: before any read, an attribute's dataspace and type
// class, and a dataset's rank, extent, type class, storage layout and stored
// size are checked, so no read can write outside its buffer and no declared
// size allocates memory the file does not back. Soft and external links, and
// datasets whose data live in other files, are refused unless the caller of
// the store opted in (LinkPolicy).
//
// Integrity: every non-empty array (rank >= 1) urbplex writes is chunked
// with HDF5's Fletcher32 filter (verified by HDF5 itself on every read, also
// from h5py), and every dataset, scalars included, carries an xxh3_64 digest
// of its contents, written by urbplex only, so
// that data rewritten by another tool (a permuted parent map) is detected too.
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "urbplex/core/errors.hpp"

namespace urbplex::io::h5 {

std::unique_lock<std::mutex> lock();

// Whether soft/external links and external storage may be followed by the
// current store call (held under lock(); restored when the guard dies).
class LinkPolicy {
 public:
  explicit LinkPolicy(bool allow);
  ~LinkPolicy();
  LinkPolicy(const LinkPolicy&) = delete;
  LinkPolicy& operator=(const LinkPolicy&) = delete;
  static bool allowed();

 private:
  bool previous_;
};

// Throws IoError("<what>: <hdf5 message>") when id < 0.
hid_t check(hid_t id, const std::string& what);
void check_status(herr_t status, const std::string& what);

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      closer_ = o.closer_;
      o.id_ = -1;
    }
    return *this;
  }
  ~Handle() { reset(); }
  void reset() {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = -1;
  }
  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

Handle open_file(const std::string& path, bool writable);
Handle create_file(const std::string& path);  // object headers with checksums (format >= 1.8)
Handle open_group(hid_t parent, const std::string& name);
Handle create_group(hid_t parent, const std::string& name);  // intermediate groups too
Handle open_or_create_group(hid_t parent, const std::string& name);
// Whether every component of `path` exists; a soft or external link on the
// way throws IoError unless LinkPolicy allows it.
bool exists(hid_t parent, const std::string& path);
void remove(hid_t parent, const std::string& name);
std::vector<std::string> children(hid_t group);
bool is_dataset(hid_t parent, const std::string& name);

// What a stored dataset is, checked to be readable in place: a hard link to a
// dataset with a simple dataspace, stored in this file (no external or
// virtual storage), and with at least as many stored bytes as its extent
// needs (or a plausible compression ratio), so reading it cannot allocate
// memory the file does not back.
struct DatasetInfo {
  std::vector<std::uint64_t> shape;
  std::uint64_t elements = 0;
  H5T_class_t type_class = H5T_NO_CLASS;
  std::size_t type_size = 0;
  bool is_signed = false;
};
DatasetInfo inspect(hid_t parent, const std::string& name);

// n-D datasets of a native type; written chunked with Fletcher32 and a digest.
// compress adds byte shuffling and deflate (zlib level 4) before the checksum:
// for large, repetitive series such as traffic link counts.
void write(hid_t parent, const std::string& name, hid_t mem_type, const void* data,
           const std::vector<std::uint64_t>& shape, bool compress = false);
// Reads `expected` elements into data after checking the dataset's class
// against mem_type's, its extent, its checksum and its digest.
void read(hid_t parent, const std::string& name, hid_t mem_type, void* data, std::uint64_t expected);

template <class T>
hid_t native();
template <> inline hid_t native<double>() { return H5T_NATIVE_DOUBLE; }
template <> inline hid_t native<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> inline hid_t native<std::uint32_t>() { return H5T_NATIVE_UINT32; }
template <> inline hid_t native<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <> inline hid_t native<std::int64_t>() { return H5T_NATIVE_INT64; }

template <class T>
void write_vector(hid_t parent, const std::string& name, const T* data, std::uint64_t n, bool compress = false) {
  write(parent, name, native<T>(), data, {n}, compress);
}
// A 1-D dataset of exactly `expected` elements.
template <class T>
std::vector<T> read_vector(hid_t parent, const std::string& name, std::uint64_t expected) {
  std::vector<T> out;
  const DatasetInfo info = inspect(parent, name);
  if (info.shape.size() != 1)
    throw IoError("dataset '" + name + "' has rank " + std::to_string(info.shape.size()) + ", expected 1");
  if (info.elements != expected)
    throw IoError("dataset '" + name + "' has " + std::to_string(info.elements) + " elements, expected " +
                  std::to_string(expected));
  out.resize(expected);
  read(parent, name, native<T>(), out.data(), expected);
  return out;
}
// A 1-D dataset of whatever length it has (bounded by its stored size).
template <class T>
std::vector<T> read_vector(hid_t parent, const std::string& name) {
  const DatasetInfo info = inspect(parent, name);
  if (info.shape.size() != 1)
    throw IoError("dataset '" + name + "' has rank " + std::to_string(info.shape.size()) + ", expected 1");
  return read_vector<T>(parent, name, info.elements);
}

// Links, inspected without following them (src/io/h5_links.cpp).
// Whether `name` is a link in `group` (its target is not resolved).
bool link_exists(hid_t group, const std::string& name);
H5L_type_t link_type(hid_t parent, const std::string& name);
struct ExternalTarget {
  std::string file;    // as written in the link (relative to the linking file's folder)
  std::string object;  // path inside that file
};
ExternalTarget external_target(hid_t group, const std::string& name);
void create_external_link(hid_t group, const std::string& name, const std::string& file, const std::string& object);
// Recreates a soft or external link of `from` in `to` as the same link (never
// the object it points to).
void copy_link(hid_t from, const std::string& name, hid_t to);

// Attributes: UTF-8 variable-length strings, int64, uint64 and double scalars.
// Reads check that the attribute is a scalar of the expected type class.
void set_attr(hid_t obj, const std::string& name, const std::string& value);
void set_attr(hid_t obj, const std::string& name, std::int64_t value);
void set_attr_u64(hid_t obj, const std::string& name, std::uint64_t value);
// xxh3_64 of strings, each prefixed by its length (so that "ab"+"c" and "a"+"bc" differ).
std::uint64_t digest_strings(const std::vector<std::string>& parts);
void set_attr(hid_t obj, const std::string& name, double value);
bool has_attr(hid_t obj, const std::string& name);
std::string get_string_attr(hid_t obj, const std::string& name);
std::int64_t get_int_attr(hid_t obj, const std::string& name);
std::uint64_t get_u64_attr(hid_t obj, const std::string& name);
double get_double_attr(hid_t obj, const std::string& name);

}  // namespace urbplex::io::h5
