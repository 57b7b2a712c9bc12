// The HDF5 store: graphs, hierarchies and run results with provenance.
//
// Layout (schema_version 1), readable with h5py alone:
//   /                      attrs urbplex_version, schema_version
//   /graphs/<name>/        offsets, targets, edge_ids, edge_source, edge_target,
//                          node/<attr>, edge/<attr>; attrs n, directed
//   /hierarchies/<name>/   level_<k>/ (a graph group, attrs method, scale) and
//                          level_<k>/parent for every level but the top
//   /runs/<name>/          result datasets; attrs model, parameters (JSON),
//                          seed, created, urbplex_version, git_describe
// Every save is atomic: the file (or a copy of the existing one) is written
// beside the target under a temporary name and renamed over it, so a crash
// leaves the old file whole. Saves from several processes serialise on an
// advisory lock, temporaries of dead writers are removed by the next save,
// and replaced objects do not grow the file (src/io/atomic_file.hpp).
// Every dataset is checksummed (Fletcher32 and an xxh3 digest). Reading
// never runs code from the file, checks every attribute and dataset against
// the schema before touching memory, and refuses soft and external links
// unless allow_links is set (src/io/h5.hpp).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "urbplex/core/graph.hpp"
#include "urbplex/core/hierarchy.hpp"

namespace urbplex::io {

inline constexpr int kSchemaVersion = 1;
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
// The root attributes: urbplex_version and schema_version.
std::map<std::string, std::string> file_info(const std::string& path);

// Polled every 50 ms while a save waits for another process's lock; returning
// true stops the wait with urbplex::Cancelled (the bindings check Ctrl-C).
void set_interrupt_check(bool (*check)());

}  // namespace urbplex::io
