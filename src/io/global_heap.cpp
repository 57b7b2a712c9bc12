#include "global_heap.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "h5.hpp"

namespace urbplex::io::h5 {
namespace {

constexpr const char* kProbeTag = "urbplex: raw variable-length reference";
constexpr std::uint64_t kObjectHeader = 8;  // index u16, refcount u16, reserved u32; then the size

// A "conversion" from a variable-length type to our tagged opaque type of the
// same size that leaves the bytes alone: H5Aread into that type hands back the
// reference as stored in the file, and never reads the heap. HDF5 offers it to
// every new conversion path; it accepts only our probe type.
herr_t keep_raw_bytes(hid_t src, hid_t dst, H5T_cdata_t* cdata, std::size_t, std::size_t, std::size_t, void*, void*,
                      hid_t) {
  if (cdata->command != H5T_CONV_INIT) return 0;  // CONV: bytes stay; FREE: nothing held
  if (H5Tget_class(dst) != H5T_OPAQUE) return -1;
  char* tag = H5Tget_tag(dst);
  const bool ours = tag && std::strcmp(tag, kProbeTag) == 0;
  if (tag) H5free_memory(tag);
  if (!ours || H5Tget_size(src) != H5Tget_size(dst)) return -1;
  cdata->need_bkg = H5T_BKG_NO;
  return 0;
}

void register_probe() {
  static const bool registered = [] {
    Handle vlen(check(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
    H5Tset_size(vlen, H5T_VARIABLE);
    Handle opaque(check(H5Tcreate(H5T_OPAQUE, 1), "opaque type"), H5Tclose);
    check_status(H5Tregister(H5T_PERS_SOFT, "urbplex_raw_vlen", vlen, opaque, keep_raw_bytes),
                 "cannot register the variable-length probe");
    return true;
  }();
  (void)registered;
}

std::uint64_t little_endian(const unsigned char* p, std::size_t bytes) {
  std::uint64_t v = 0;
  for (std::size_t k = bytes; k-- > 0;) v = (v << 8) | p[k];
  return v;
}

[[noreturn]] void damaged(const std::string& name, const std::string& why) {
  throw IoError("attribute '" + name + "' is a variable-length string whose heap is damaged (" + why +
                "); refused before HDF5 reads it");
}

}  // namespace

void check_vlen_reference(hid_t attr, const std::string& name) {
  register_probe();
  Handle file(check(H5Iget_file_id(attr), "file of attribute '" + name + "'"), H5Fclose);
  Handle fcpl(check(H5Fget_create_plist(file), "file creation properties"), H5Pclose);
  std::size_t sizeof_addr = 0, sizeof_size = 0;
  hsize_t userblock = 0;
  check_status(H5Pget_sizes(fcpl, &sizeof_addr, &sizeof_size), "file address sizes");
  check_status(H5Pget_userblock(fcpl, &userblock), "file user block");
  if (sizeof_addr == 0 || sizeof_addr > 8 || sizeof_size == 0 || sizeof_size > 8)
    damaged(name, "unsupported address or length size");

  // The reference: sequence length u32, collection address, object index u32.
  Handle probe(check(H5Tcreate(H5T_OPAQUE, 4 + sizeof_addr + 4), "opaque type"), H5Tclose);
  check_status(H5Tset_tag(probe, kProbeTag), "opaque tag");
  std::vector<unsigned char> ref(4 + sizeof_addr + 4);
  check_status(H5Aread(attr, probe, ref.data()), "cannot read attribute '" + name + "'");
  const std::uint64_t length = little_endian(ref.data(), 4);
  const std::uint64_t address = little_endian(ref.data() + 4, sizeof_addr);
  const std::uint64_t index = little_endian(ref.data() + 4 + sizeof_addr, 4);
  if (address == 0) return;  // HDF5 reads no heap for a null reference

  // The collection, read straight from the file HDF5 has open: through its own
  // descriptor, not by name. A writer in another process may have renamed a new
  // file over the name since this one was opened; reading that file's bytes
  // against this file's addresses reported false damage (2% of loads during saves).
  int fd = -1;
  {
    Handle fapl(check(H5Fget_access_plist(file), "file access properties"), H5Pclose);
    void* handle = nullptr;
    if (H5Pget_driver(fapl) == H5FD_SEC2 && H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) >= 0 && handle)
      fd = *static_cast<int*>(handle);
  }
  if (fd < 0) damaged(name, "the file's descriptor is unavailable");
  struct stat st {};
  if (::fstat(fd, &st) != 0) damaged(name, "file size unknown");
  const auto file_size = static_cast<std::uint64_t>(st.st_size);
  auto read_at = [fd](unsigned char* out, std::uint64_t bytes, std::uint64_t offset) {
    std::uint64_t done = 0;
    while (done < bytes) {
      const ssize_t got = ::pread(fd, out + done, bytes - done, static_cast<off_t>(offset + done));
      if (got <= 0) return false;
      done += static_cast<std::uint64_t>(got);
    }
    return true;
  };
  const std::uint64_t header = 8 + sizeof_size;  // "GCOL", version, 3 reserved, collection size
  const std::uint64_t start = userblock + address;
  if (start < address || start > file_size || file_size - start < header) damaged(name, "collection outside the file");
  std::vector<unsigned char> head(header);
  if (!read_at(head.data(), header, start) || std::memcmp(head.data(), "GCOL", 4) != 0 || head[4] != 1)
    damaged(name, "no collection signature");
  const std::uint64_t size = little_endian(head.data() + 8, sizeof_size);
  if (size < header || size > file_size - start) damaged(name, "collection size beyond the file");
  std::vector<unsigned char> chunk(size);
  if (!read_at(chunk.data(), size, start)) damaged(name, "collection unreadable");

  // Walk the objects as HDF5 1.10's deserializer does, checking every step.
  const std::uint64_t object_header = kObjectHeader + sizeof_size;
  std::uint64_t p = header;
  bool found = false;
  while (p < size) {
    if (size - p < object_header) break;  // a tail too small for a header is free space
    const std::uint64_t idx = little_endian(chunk.data() + p, 2);
    const std::uint64_t object_size = little_endian(chunk.data() + p + kObjectHeader, sizeof_size);
    std::uint64_t need = object_size;  // object 0 is the free space, its size counts its header
    if (idx > 0) {
      if (object_size > size) damaged(name, "object larger than its collection");
      need = object_header + ((object_size + 7) & ~std::uint64_t{7});
    }
    if (need == 0 || need > size - p) damaged(name, "object overruns its collection");
    if (idx == index && idx > 0) {
      if (found) damaged(name, "object stored twice");
      if (object_size > length) damaged(name, "object longer than the string");
      found = true;
    }
    p += need;
  }
  if (!found) damaged(name, "object " + std::to_string(index) + " missing");
}

}  // namespace urbplex::io::h5
