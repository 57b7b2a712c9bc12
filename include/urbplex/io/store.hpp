// The HDF5 store: graphs, hierarchies and run results with provenance.
//
// Layout (schema_version 2), readable with h5py alone:
//   <store>                 the index: attrs urbplex_version, schema_version,
//                           objects (the folder of object files, "<store>.d")
//   <store>/graphs/<name>   an external link to <store>.d/graphs-<hex>.h5:/obj
//   <store>/hierarchies/<name>, <store>/runs/<name>: likewise
// and in each object file, /obj holds the object:
//   graph:       offsets, targets, edge_ids, edge_source, edge_target,
//                node/<attr>, edge/<attr>; attrs n, directed
//   hierarchy:   level_<k>/ (a graph group, attrs method, scale) and
//                level_<k>/parent for every level but the top
//   run:         result datasets; attrs model, parameters (JSON), seed,
//                created, urbplex_version, git_describe, attrs_xxh3_64
// A store is its file and the folder beside it: move or copy both, or
// export_store() to one self-contained file (hard groups, as schema 1 wrote
// every store; such files load as they are, and the first save into one
// moves its objects out into files).
//
// Every save is atomic and costs the objects it writes, not the store: each
// new object is written to a file of its own, then the small index is
// replaced by a renamed copy, then replaced objects' files are removed
// (src/io/store_writer.hpp), so a crash leaves the old store whole. Saves
// from several processes serialise on an advisory lock; temporaries of dead
// writers are removed by the next save. Readers retry when a save removed an
// object file between their opening the index and the object.
// Every dataset is checksummed (Fletcher32 and an xxh3 digest), and run
// attributes carry a digest. Reading never runs code from the file, checks
// every attribute and dataset against the schema before touching memory, and
// refuses soft and external links other than the index's own unless
// allow_links is set (src/io/h5.hpp).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/hierarchy.hpp"

namespace urbplex::io {

inline constexpr int kSchemaVersion = 2;
inline constexpr int kMinSchemaVersion = 1;  // the oldest schema this library reads

// A typed n-dimensional array of a run (row-major bytes).
struct Array {
  enum class DType { F64, F32, I64, I32, I8, U64, U32, U8 };
  DType dtype = DType::F64;
  std::vector<std::uint64_t> shape;
  std::vector<unsigned char> bytes;
  bool compress = false;  // stored with shuffle + deflate (large, repetitive series)
  static std::size_t itemsize(DType t);
};

struct Run {
  std::string model;
  std::string parameters_json = "{}";
  std::uint64_t seed = 0;
  std::string created;          // ISO 8601, set on save when empty
  std::string urbplex_version;  // set on save
  std::string git_describe;     // set on save
  std::string meta_json;        // free JSON (Python: units, lineage, environment); "" = none
  std::map<std::string, Array> datasets;
};

// overwrite=false refuses to replace an existing object of the same name.
// meta: free text stored with the graph (the Python layer keeps JSON there:
// CRS, units, lineage); graph_meta() reads it back ("" when absent).
void save_graph(const std::string& path, const std::string& name, const Graph& g, bool overwrite = false,
                const std::string& meta = "");
Graph load_graph(const std::string& path, const std::string& name, bool allow_links = false);
std::string graph_meta(const std::string& path, const std::string& name, bool allow_links = false);
// graph_ref: the name of a graph in /graphs that equals level 0; level 0 is
// then stored as a reference to it (attribute graph_ref of level_0), not a
// second copy. Refused if the stored graph differs from level 0.
void save_hierarchy(const std::string& path, const std::string& name, const Hierarchy& h, bool overwrite = false,
                    const std::string& meta = "", const std::string& graph_ref = "");
Hierarchy load_hierarchy(const std::string& path, const std::string& name, bool allow_links = false);
// meta and graph_ref of a stored hierarchy ("" when absent).
std::pair<std::string, std::string> hierarchy_meta(const std::string& path, const std::string& name,
                                                   bool allow_links = false);
// The version of the HDF5 library linked in (e.g. "1.10.8").
std::string hdf5_version();
void save_run(const std::string& path, const std::string& name, Run run, bool overwrite = false);
// Several runs in one atomic write (all or none land): how ensembles flush a batch.
void save_runs(const std::string& path, std::vector<std::pair<std::string, Run>> runs, bool overwrite = false);
// with_data=false reads the attributes (model, parameters, seed, provenance) and
// lists the datasets (shape, type) without reading their bytes.
Run load_run(const std::string& path, const std::string& name, bool with_data = true, bool allow_links = false);

// Names stored under kind = "graphs", "hierarchies" or "runs".
std::vector<std::string> list(const std::string& path, const std::string& kind);
// Every object of the store at `path` copied into the single self-contained
// file `out` (hard groups, no folder of objects), atomically: for sharing.
void export_store(const std::string& path, const std::string& out, bool overwrite = false);

// Removes the files in the store's folder of objects that its index does not
// name (left by a crash between an object's rename and the index's); returns
// their paths. Unsafe when another index shares the folder (a copy of the
// store file alone, made with cp).
std::vector<std::string> vacuum_store(const std::string& path);

// The root attributes: urbplex_version and schema_version.
std::map<std::string, std::string> file_info(const std::string& path);

// Polled every 50 ms while a save waits for another process's lock; returning
// true stops the wait with urbplex::Cancelled (the bindings check Ctrl-C).
void set_interrupt_check(bool (*check)());

}  // namespace urbplex::io
