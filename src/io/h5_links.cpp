// Links of a store, read and written without following them: the index of a
// store (schema 2) holds one external link per object (src/io/object_files.hpp).
#include <vector>

#include "h5.hpp"

namespace urbplex::io::h5 {

namespace {
// The link queries changed signature in HDF5 1.12.
#if H5_VERSION_GE(1, 12, 0)
using LinkInfo = H5L_info2_t;
#else
using LinkInfo = H5L_info_t;
#endif

LinkInfo link_info(hid_t parent, const std::string& name) {
  LinkInfo info;
#if H5_VERSION_GE(1, 12, 0)
  const herr_t status = H5Lget_info2(parent, name.c_str(), &info, H5P_DEFAULT);
#else
  const herr_t status = H5Lget_info(parent, name.c_str(), &info, H5P_DEFAULT);
#endif
  check_status(status, "cannot inspect link '" + name + "'");
  return info;
}
}  // namespace

H5L_type_t link_type(hid_t parent, const std::string& name) { return link_info(parent, name).type; }

bool link_exists(hid_t group, const std::string& name) {
  const htri_t e = H5Lexists(group, name.c_str(), H5P_DEFAULT);
  if (e < 0) H5Eclear2(H5E_DEFAULT);
  return e > 0;
}

namespace {
std::vector<char> link_value(hid_t group, const std::string& name) {
  const LinkInfo info = link_info(group, name);
  if (info.type == H5L_TYPE_HARD) throw IoError("'" + name + "' is a hard link, not a soft or external one");
  if (info.u.val_size == 0 || info.u.val_size > (1u << 16))
    throw IoError("link '" + name + "' has an implausible value size (" + std::to_string(info.u.val_size) + ")");
  std::vector<char> buf(info.u.val_size + 1, '\0');
  check_status(H5Lget_val(group, name.c_str(), buf.data(), info.u.val_size, H5P_DEFAULT),
               "cannot read link '" + name + "'");
  return buf;
}
}  // namespace

ExternalTarget external_target(hid_t group, const std::string& name) {
  if (link_type(group, name) != H5L_TYPE_EXTERNAL) throw IoError("'" + name + "' is not an external link");
  std::vector<char> buf = link_value(group, name);
  const char* file = nullptr;
  const char* object = nullptr;
  unsigned flags = 0;
  check_status(H5Lunpack_elink_val(buf.data(), buf.size() - 1, &flags, &file, &object),
               "cannot read external link '" + name + "'");
  if (file == nullptr || object == nullptr) throw IoError("external link '" + name + "' is damaged");
  return {file, object};
}

void create_external_link(hid_t group, const std::string& name, const std::string& file, const std::string& object) {
  check_status(H5Lcreate_external(file.c_str(), object.c_str(), group, name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
               "cannot create the link '" + name + "'");
}

void copy_link(hid_t from, const std::string& name, hid_t to) {
  const H5L_type_t type = link_type(from, name);
  if (type == H5L_TYPE_EXTERNAL) {
    const ExternalTarget t = external_target(from, name);
    create_external_link(to, name, t.file, t.object);
  } else if (type == H5L_TYPE_SOFT) {
    const std::vector<char> value = link_value(from, name);
    check_status(H5Lcreate_soft(value.data(), to, name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                 "cannot create the link '" + name + "'");
  } else {
    throw IoError("'" + name + "' is " + (type == H5L_TYPE_HARD ? "a hard link" : "a user-defined link") +
                  ", which copy_link does not copy");
  }
}

}  // namespace urbplex::io::h5
