// A small RAII layer over the HDF5 C API (private to src/io).
//
// HDF5's serial library is not thread-safe: every entry point of the store
// takes lock(). Errors of the C API become urbplex::IoError with the message
// of the innermost HDF5 error; HDF5's own printing to stderr is switched off.
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "urbplex/core/errors.hpp"

namespace urbplex::io::h5 {

std::unique_lock<std::mutex> lock();

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
Handle create_file(const std::string& path);
Handle open_group(hid_t parent, const std::string& name);
Handle create_group(hid_t parent, const std::string& name);  // intermediate groups too
Handle open_or_create_group(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& path);
void remove(hid_t parent, const std::string& name);
std::vector<std::string> children(hid_t group);

// 1-D and n-D datasets of a native type.
void write(hid_t parent, const std::string& name, hid_t mem_type, const void* data,
           const std::vector<std::uint64_t>& shape);
std::vector<std::uint64_t> shape_of(hid_t parent, const std::string& name);
hid_t native_type_of(hid_t parent, const std::string& name);  // a copy; caller closes with H5Tclose
void read(hid_t parent, const std::string& name, hid_t mem_type, void* data, std::uint64_t expected_elements);

template <class T>
hid_t native();
template <> inline hid_t native<double>() { return H5T_NATIVE_DOUBLE; }
template <> inline hid_t native<std::uint32_t>() { return H5T_NATIVE_UINT32; }
template <> inline hid_t native<std::uint64_t>() { return H5T_NATIVE_UINT64; }
template <> inline hid_t native<std::int64_t>() { return H5T_NATIVE_INT64; }

template <class T>
void write_vector(hid_t parent, const std::string& name, const T* data, std::uint64_t n) {
  write(parent, name, native<T>(), data, {n});
}
template <class T>
std::vector<T> read_vector(hid_t parent, const std::string& name) {
  const auto shape = shape_of(parent, name);
  if (shape.size() != 1) throw IoError("dataset '" + name + "' is not one-dimensional");
  std::vector<T> out(shape[0]);
  read(parent, name, native<T>(), out.data(), shape[0]);
  return out;
}

// Attributes: UTF-8 variable-length strings, int64, uint64 and double scalars.
void set_attr(hid_t obj, const std::string& name, const std::string& value);
void set_attr(hid_t obj, const std::string& name, std::int64_t value);
void set_attr_u64(hid_t obj, const std::string& name, std::uint64_t value);
void set_attr(hid_t obj, const std::string& name, double value);
bool has_attr(hid_t obj, const std::string& name);
std::string get_string_attr(hid_t obj, const std::string& name);
std::int64_t get_int_attr(hid_t obj, const std::string& name);
std::uint64_t get_u64_attr(hid_t obj, const std::string& name);
double get_double_attr(hid_t obj, const std::string& name);

}  // namespace urbplex::io::h5
