// One file per stored object (schema 2), so that a save costs the object it
// writes, not the store it writes into.
//
// The store file a user names is an index: its groups graphs/, hierarchies/
// and runs/ hold one external link per object, "<folder>/<kind>-<16 hex>.h5"
// -> "/obj", into a folder beside it (the root attribute "objects", set to
// "<store file name>.d" when the store is created). h5py follows these links
// like any HDF5 external link. Object files are written once and never
// modified: a save writes the new object's file, then replaces the index
// (copy, change, rename: the index is a few hundred bytes per object), then
// removes the file of an object it replaced. A reader that opened the index
// before that removal finds the object file gone and reopens the index.
//
// A store of schema 1 (every object inside the one file) and a file written by
// io::export_store hold hard groups instead; they load as they are, and the
// first save into one moves its objects out into files (once).
#pragma once
#include <string>

#include "h5.hpp"

namespace urbplex::io {

inline constexpr const char* kObjectGroup = "/obj";     // an object's group inside its file
inline constexpr const char* kFolderAttr = "objects";  // the index's folder of object files

// The object file named in the link was not there: the index changed under
// the reader (retry with a fresh index), or the folder was not moved with it.
class ObjectFileMissing : public IoError {
 public:
  using IoError::IoError;
};

// The folder of object files of the index at `resolved_index` (symlinks
// resolved), "" when the index records none (a schema-1 store, an export).
std::string objects_folder_name(hid_t index);
std::string folder_path(const std::string& resolved_index, const std::string& folder_name);

// Whether <kind>/<name> exists in the index (not following its link).
bool has_object(hid_t index, const std::string& kind, const std::string& name);

// The group holding <kind>/<name>: the hard group in the index, or "/obj" of
// the file its external link names when that link is one of the index's own
// (a plain file name inside its folder of objects). Any other link is
// followed only when h5::LinkPolicy allows. `where` names the store in errors.
h5::Handle open_stored_object(hid_t index, const std::string& index_path, const std::string& kind,
                              const std::string& name);

// The object file an index link names, when it is one of the index's own ("" otherwise).
std::string own_object_file(hid_t index, const std::string& index_path, const std::string& kind,
                            const std::string& name);

// Whether s is "<kind>-<16 lowercase hex>.h5", as new_object_file_name writes them.
bool is_object_file_name(const std::string& s, const std::string& kind);

// A fresh, unused file name for an object of `kind` in `folder`.
std::string new_object_file_name(const std::string& folder, const std::string& kind);

}  // namespace urbplex::io
