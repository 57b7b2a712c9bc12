// A save into a store (schema 2, src/io/object_files.hpp): each object added
// goes into a new file of its own in the store's folder of objects, and the
// index is replaced atomically (AtomicFile) to link it. The cost of a save
// follows the objects it writes plus the index (small), not the store.
//
// Order, so that a crash at any point leaves the old store whole and nothing
// behind: the name of every object file the save creates or replaces is
// first appended to a journal (".pending" in the folder, synced); the new
// object files are written, flushed and synced; the index is renamed into
// place; the replaced files are removed, then the journal. The next save
// after a crash removes the journal's files that the index does not name
// (new ones if the index was not replaced, old ones if it was).
// A store of schema 1 has its objects moved out into files at its first save.
#pragma once
#include <string>
#include <vector>

#include "atomic_file.hpp"
#include "h5.hpp"

namespace urbplex::io {

class StoreWriter {
 public:
  // `held` is lock_for_writing(path), kept by the caller until this is gone.
  StoreWriter(const std::string& path, const FileLock& held);
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;
  ~StoreWriter();

  // A new object <kind>/<name>: the group to fill, in a file of its own. An
  // existing object of that name is refused unless overwrite (then replaced).
  hid_t add(const std::string& kind, const std::string& name, bool overwrite);
  // The index being written (to read objects already stored, e.g. a graph_ref).
  hid_t index() const { return index_.file(); }
  void commit();

 private:
  struct ObjectFile {
    std::string path;
    h5::Handle file, group;
  };
  void journal(const std::string& file_name);
  void close_journal(bool remove);
  ObjectFile& new_object_file(const std::string& kind, const std::string& name);
  void move_out(const std::string& kind, const std::string& name);  // a schema-1 object into its own file
  void link(const std::string& kind, const std::string& name, const ObjectFile& object);

  std::string path_;         // as the user named the store
  std::string folder_name_;  // relative to the index's folder
  std::string folder_;       // its path
  AtomicFile index_;
  std::vector<ObjectFile> written_;
  std::vector<std::string> replaced_;  // files of replaced objects, removed after the commit
  int journal_fd_ = -1;
  bool committed_ = false;
};

}  // namespace urbplex::io
