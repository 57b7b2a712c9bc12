#include "urbplex/io/store.hpp"

#include <cstring>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>
#include <stdexcept>

#include "atomic_file.hpp"
#include "h5.hpp"
#include "object_files.hpp"
#include "store_writer.hpp"
#include "urbplex/core/version.hpp"

namespace urbplex::io {
namespace {

void check_name(const std::string& name) {
  require(name.find('\0') == std::string::npos, "name", "contains a NUL character");
  require(!name.empty() && name.find('/') == std::string::npos && name != "." && name != "..", "name",
          "must be a non-empty string without '/', got '" + name + "'");
}

void write_graph(hid_t group, const Graph& g, const std::string& meta) {
  h5::set_attr_u64(group, "n", g.num_vertices());
  h5::set_attr(group, "directed", static_cast<std::int64_t>(g.directed()));
  // Large arrays are stored with shuffle + deflate: CSR offsets and sorted
  // edge lists shrink several-fold; below 64 KiB it would not pay for the
  // chunk index.
  auto big = [](std::size_t n, std::size_t size) { return n * size >= (64u << 10); };
  h5::write_vector(group, "offsets", g.offsets().data(), g.offsets().size(), big(g.offsets().size(), 8));
  h5::write_vector(group, "targets", g.targets().data(), g.targets().size(), big(g.targets().size(), 4));
  h5::write_vector(group, "edge_ids", g.arc_edges().data(), g.arc_edges().size(), big(g.arc_edges().size(), 4));
  h5::write_vector(group, "edge_source", g.edge_sources().data(), g.edge_sources().size(),
                   big(g.edge_sources().size(), 4));
  h5::write_vector(group, "edge_target", g.edge_targets().data(), g.edge_targets().size(),
                   big(g.edge_targets().size(), 4));
  // Each column: its doubles in node/ or edge/; a non-float type as the
  // attribute "type:<name>" of that group, and a category column's strings,
  // NUL-separated UTF-8 bytes, in node_categories/<name> (no attribute size limit).
  for (const char* kind : {"node", "edge"}) {
    const AttributeTable& table = kind[0] == 'n' ? g.node_attributes() : g.edge_attributes();
    h5::Handle sub = h5::create_group(group, kind);
    h5::Handle cats;
    for (const auto& name : table.names()) {
      const auto col = table.values(name);
      h5::write_vector(sub, name, col.data(), col.size(), big(col.size(), 8));
      const AttributeType type = table.type(name);
      if (type == AttributeType::float64) continue;
      h5::set_attr(sub, "type:" + name, std::string(attribute_type_name(type)));
      if (type != AttributeType::category) continue;
      if (cats.get() < 0) cats = h5::create_group(group, std::string(kind) + "_categories");
      std::vector<std::uint8_t> bytes;
      for (const auto& c : table.categories(name)) {
        bytes.insert(bytes.end(), c.begin(), c.end());
        bytes.push_back(0);
      }
      h5::write_vector(cats, name, bytes.data(), bytes.size());
    }
  }
  if (!meta.empty()) h5::set_attr(group, "meta", meta);
}

namespace {
std::vector<std::string> split_nul(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::string> out;
  std::string cur;
  for (std::uint8_t b : bytes) {
    if (b == 0) {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(b));
    }
  }
  if (!cur.empty()) throw IoError("a category list does not end with NUL");
  return out;
}
}  // namespace

// Every declared size is checked against the datasets' extents (which
// inspect() checked against the bytes the file stores) before allocating.
Graph read_graph(hid_t group, const std::string& where) {
  try {
    const std::uint64_t n = h5::get_u64_attr(group, "n");
    if (n >= (1ull << 32) - 1) throw IoError("n = " + std::to_string(n) + " is out of range");
    const bool directed = h5::get_int_attr(group, "directed") != 0;
    const auto offsets = h5::read_vector<offset_t>(group, "offsets", n + 1);
    const std::uint64_t m = h5::inspect(group, "edge_source").elements;
    const auto src = h5::read_vector<vertex_t>(group, "edge_source", m);
    const auto dst = h5::read_vector<vertex_t>(group, "edge_target", m);
    const auto targets = h5::read_vector<vertex_t>(group, "targets", directed ? m : 2 * m);
    Graph g = Graph::from_edges(static_cast<std::uint32_t>(n), src, dst, directed);
    // The stored CSR must be the one the edge list builds: a cheap integrity check.
    if (!std::equal(offsets.begin(), offsets.end(), g.offsets().begin(), g.offsets().end()) ||
        !std::equal(targets.begin(), targets.end(), g.targets().begin(), g.targets().end()))
      throw IoError("the CSR arrays do not match the edge list");
    for (const char* kind : {"node", "edge"}) {
      if (!h5::exists(group, kind)) continue;
      h5::Handle sub = h5::open_group(group, kind);
      const std::uint64_t expected = kind[0] == 'n' ? n : g.num_edges();
      for (const auto& name : h5::children(sub)) {
        auto values = h5::read_vector<double>(sub, name, expected);
        AttributeType type = AttributeType::float64;
        std::vector<std::string> categories;
        if (h5::has_attr(sub, "type:" + name)) type = attribute_type_from_name(h5::get_string_attr(sub, "type:" + name));
        if (type == AttributeType::category) {
          const std::string cat_group = std::string(kind) + "_categories";
          if (!h5::exists(group, cat_group + "/" + name)) throw IoError("category column '" + name + "' has no list");
          h5::Handle cats = h5::open_group(group, cat_group);
          categories = split_nul(h5::read_vector<std::uint8_t>(cats, name));
        }
        if (kind[0] == 'n')
          g = g.with_node_attribute(name, std::move(values), type, std::move(categories));
        else
          g = g.with_edge_attribute(name, std::move(values), type, std::move(categories));
      }
    }
    return g;
  } catch (const IoError& e) {
    throw IoError(where + " is damaged: " + e.what());
  } catch (const std::invalid_argument& e) {
    throw IoError(where + " is damaged: " + e.what());
  } catch (const std::bad_alloc&) {
    throw IoError(where + " is damaged: its sizes do not fit in memory");
  }
}

h5::Handle open_object(hid_t index, const std::string& path, const std::string& kind, const std::string& name) {
  check_name(name);
  if (!has_object(index, kind, name)) {
    std::string have;
    if (h5::exists(index, kind)) {
      h5::Handle g = h5::open_group(index, kind);
      for (const auto& c : h5::children(g)) have += (have.empty() ? "" : ", ") + c;
    }
    throw std::invalid_argument("argument 'name': '" + path + "' has no " + kind + " named '" + name +
                                "' (has: " + (have.empty() ? "none" : have) + ")");
  }
  return open_stored_object(index, path, kind, name);
}

// Opens the index and <kind>/<name> and calls read(index, group). A save may
// remove an object's file between a reader's opening the index and opening
// the object (it was replaced): the reader then starts again from the new
// index. Only a file still missing on a fresh index is an error.
template <class Read>
auto read_object(const std::string& path, const std::string& kind, const std::string& name, Read&& read) {
  for (int attempt = 0;; ++attempt) {
    h5::Handle index = open_for_reading(path);
    try {
      h5::Handle group = open_object(index, path, kind, name);
      return read(hid_t(index), hid_t(group));
    } catch (const ObjectFileMissing&) {
      if (attempt >= 8) throw;
    }
  }
}

std::string join(const std::vector<std::string>& xs) {
  std::string s;
  for (const auto& x : xs) s += (s.empty() ? "" : ",") + x;
  return s;
}
std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

hid_t hdf5_type(Array::DType t) {
  switch (t) {
    case Array::DType::F64: return H5T_NATIVE_DOUBLE;
    case Array::DType::F32: return H5T_NATIVE_FLOAT;
    case Array::DType::I64: return H5T_NATIVE_INT64;
    case Array::DType::I32: return H5T_NATIVE_INT32;
    case Array::DType::I8: return H5T_NATIVE_INT8;
    case Array::DType::U64: return H5T_NATIVE_UINT64;
    case Array::DType::U32: return H5T_NATIVE_UINT32;
    case Array::DType::U8: return H5T_NATIVE_UINT8;
  }
  return H5T_NATIVE_DOUBLE;
}

}  // namespace

std::size_t Array::itemsize(DType t) {
  switch (t) {
    case DType::F64: case DType::I64: case DType::U64: return 8;
    case DType::F32: case DType::I32: case DType::U32: return 4;
    case DType::I8: case DType::U8: return 1;
  }
  return 8;
}

void save_graph(const std::string& path, const std::string& name, const Graph& g, bool overwrite,
                const std::string& meta) {
  check_name(name);
  FileLock held = lock_for_writing(path);  // waited for outside the HDF5 mutex
  auto lk = h5::lock();
  StoreWriter w(path, held);
  write_graph(w.add("graphs", name, overwrite), g, meta);
  w.commit();
}

Graph load_graph(const std::string& path, const std::string& name, bool allow_links) {
  auto lk = h5::lock();
  h5::LinkPolicy links(allow_links);
  return read_object(path, "graphs", name,
                     [&](hid_t, hid_t group) { return read_graph(group, "graph '" + name + "' in '" + path + "'"); });
}

std::string graph_meta(const std::string& path, const std::string& name, bool allow_links) {
  auto lk = h5::lock();
  h5::LinkPolicy links(allow_links);
  return read_object(path, "graphs", name, [](hid_t, hid_t group) {
    return h5::has_attr(group, "meta") ? h5::get_string_attr(group, "meta") : std::string();
  });
}

namespace {

template <class T>
bool same_span(std::span<const T> a, std::span<const T> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;  // NaN-safe
}

bool same_table(const AttributeTable& a, const AttributeTable& b) {
  // The store lists columns by name, so compare them as sets.
  auto sorted_names = [](const AttributeTable& t) {
    auto n = t.names();
    std::sort(n.begin(), n.end());
    return n;
  };
  if (sorted_names(a) != sorted_names(b)) return false;
  for (const auto& n : a.names())
    if (a.type(n) != b.type(n) || a.categories(n) != b.categories(n) || !same_span(a.values(n), b.values(n)))
      return false;
  return true;
}

bool same_graph(const Graph& a, const Graph& b) {
  return a.directed() == b.directed() && same_span(a.offsets(), b.offsets()) &&
         same_span(a.edge_sources(), b.edge_sources()) && same_span(a.edge_targets(), b.edge_targets()) &&
         same_table(a.node_attributes(), b.node_attributes()) && same_table(a.edge_attributes(), b.edge_attributes());
}

}  // namespace

std::string hdf5_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

void save_hierarchy(const std::string& path, const std::string& name, const Hierarchy& h, bool overwrite,
                    const std::string& meta, const std::string& graph_ref) {
  check_name(name);
  if (!graph_ref.empty()) check_name(graph_ref);
  FileLock held = lock_for_writing(path);  // waited for outside the HDF5 mutex
  auto lk = h5::lock();
  StoreWriter w(path, held);
  if (!graph_ref.empty()) {
    if (!has_object(w.index(), "graphs", graph_ref))
      fail("graph", "'" + graph_ref + "' is not a graph in '" + path + "'");
    h5::Handle stored = open_stored_object(w.index(), path, "graphs", graph_ref);
    if (!same_graph(read_graph(stored, "graph '" + graph_ref + "' in '" + path + "'"), h.level(0)))
      fail("graph", "the graph '" + graph_ref + "' in '" + path + "' is not level 0 of this hierarchy");
  }
  const hid_t group = w.add("hierarchies", name, overwrite);
  if (!meta.empty()) h5::set_attr(group, "meta", meta);
  h5::set_attr(group, "num_levels", static_cast<std::int64_t>(h.num_levels()));
  h5::set_attr(group, "extensive_nodes", join(h.rules().extensive_nodes));
  h5::set_attr(group, "intensive_edges", join(h.rules().intensive_edges));
  h5::set_attr(group, "weight", h.rules().weight);
  for (std::size_t k = 0; k < h.num_levels(); ++k) {
    h5::Handle level = h5::create_group(group, "level_" + std::to_string(k));
    if (k == 0 && !graph_ref.empty())
      h5::set_attr(level, "graph_ref", graph_ref);  // stored once, in /graphs
    else
      write_graph(level, h.level(k), "");
    h5::set_attr(level, "method", h.info(k).method);
    h5::set_attr(level, "scale", h.info(k).scale);
    if (k + 1 < h.num_levels()) {
      const auto p = h.parent(k);
      h5::write_vector(level, "parent", p.data(), p.size());
    }
  }
  w.commit();
}

namespace {
Hierarchy read_hierarchy(hid_t f, hid_t group, const std::string& path, const std::string& where) {
  try {
    const auto levels = h5::get_int_attr(group, "num_levels");
    if (levels < 1 || levels > 1000) throw IoError("num_levels is out of range");
    CoarsenRules rules;
    rules.extensive_nodes = split(h5::get_string_attr(group, "extensive_nodes"));
    rules.intensive_edges = split(h5::get_string_attr(group, "intensive_edges"));
    rules.weight = h5::get_string_attr(group, "weight");
    std::vector<Graph> graphs;
    std::vector<std::vector<std::uint32_t>> parents;
    std::vector<LevelInfo> info;
    for (std::int64_t k = 0; k < levels; ++k) {
      const std::string lname = "level_" + std::to_string(k);
      if (!h5::exists(group, lname)) throw IoError(lname + " is missing");
      h5::Handle level = h5::open_group(group, lname);
      if (k == 0 && h5::has_attr(level, "graph_ref")) {
        const std::string ref = h5::get_string_attr(level, "graph_ref");
        check_name(ref);
        if (!has_object(f, "graphs", ref)) throw IoError(lname + " refers to graph '" + ref + "', which is missing");
        h5::Handle stored = open_stored_object(f, path, "graphs", ref);
        graphs.push_back(read_graph(stored, "graph '" + ref + "' in '" + path + "' (level 0 of " + where + ")"));
      } else {
        graphs.push_back(read_graph(level, where + " " + lname));
      }
      info.push_back({h5::get_string_attr(level, "method"), h5::get_double_attr(level, "scale")});
      if (k + 1 < levels) parents.push_back(h5::read_vector<std::uint32_t>(level, "parent", graphs.back().num_vertices()));
    }
    return Hierarchy::from_parts(std::move(graphs), std::move(parents), std::move(info), std::move(rules));
  } catch (const ObjectFileMissing&) {
    throw;  // read_object retries with a fresh index
  } catch (const IoError& e) {
    throw IoError(where + " is damaged: " + e.what());
  } catch (const std::invalid_argument& e) {
    throw IoError(where + " is damaged: " + e.what());
  } catch (const std::bad_alloc&) {
    throw IoError(where + " is damaged: its sizes do not fit in memory");
  }
}

}  // namespace

Hierarchy load_hierarchy(const std::string& path, const std::string& name, bool allow_links) {
  auto lk = h5::lock();
  h5::LinkPolicy links(allow_links);
  const std::string where = "hierarchy '" + name + "' in '" + path + "'";
  return read_object(path, "hierarchies", name, [&](hid_t f, hid_t group) { return read_hierarchy(f, group, path, where); });
}

std::pair<std::string, std::string> hierarchy_meta(const std::string& path, const std::string& name,
                                                   bool allow_links) {
  auto lk = h5::lock();
  h5::LinkPolicy links(allow_links);
  return read_object(path, "hierarchies", name, [](hid_t, hid_t group) {
    std::string meta = h5::has_attr(group, "meta") ? h5::get_string_attr(group, "meta") : std::string();
    std::string ref;
    if (h5::exists(group, "level_0")) {
      h5::Handle level = h5::open_group(group, "level_0");
      if (h5::has_attr(level, "graph_ref")) ref = h5::get_string_attr(level, "graph_ref");
    }
    return std::pair<std::string, std::string>{meta, ref};
  });
}

namespace {

void check_run(const std::string& name, const Run& run) {
  check_name(name);
  require(!run.model.empty(), "model", "must be a non-empty string");
  for (const auto& [dname, a] : run.datasets) {
    check_name(dname);
    std::uint64_t count = 1;
    for (auto d : a.shape) count *= d;
    require(count * Array::itemsize(a.dtype) == a.bytes.size(), "datasets",
            "'" + dname + "' has " + std::to_string(a.bytes.size()) + " bytes for its shape and type");
  }
}

// The digest of a run's attributes (model, parameters, seed, provenance, meta):
// datasets carry their own, and HDF5 checksums only its object headers, not
// attribute values, so one flipped bit of the parameters JSON ("level" ->
// "ldvel") would otherwise load silently.
constexpr const char* kAttrsDigest = "attrs_xxh3_64";

std::uint64_t run_attrs_digest(const Run& run) {
  return h5::digest_strings({run.model, run.parameters_json, std::to_string(run.seed), run.created,
                             run.urbplex_version, run.git_describe, run.meta_json});
}

void write_run(StoreWriter& w, const std::string& name, Run& run, bool overwrite) {
  if (run.created.empty()) run.created = now_iso8601();
  const hid_t group = w.add("runs", name, overwrite);
  h5::set_attr(group, "model", run.model);
  h5::set_attr(group, "parameters", run.parameters_json);
  h5::set_attr_u64(group, "seed", run.seed);
  h5::set_attr(group, "created", run.created);
  h5::set_attr(group, "urbplex_version", std::string(version()));
  h5::set_attr(group, "git_describe", std::string(git_describe()));
  if (!run.meta_json.empty()) h5::set_attr(group, "meta", run.meta_json);
  run.urbplex_version = version(), run.git_describe = git_describe();
  h5::set_attr_u64(group, kAttrsDigest, run_attrs_digest(run));
  for (const auto& [dname, a] : run.datasets) h5::write(group, dname, hdf5_type(a.dtype), a.bytes.data(), a.shape, a.compress);
}

}  // namespace

void save_run(const std::string& path, const std::string& name, Run run, bool overwrite) {
  check_run(name, run);
  FileLock held = lock_for_writing(path);  // waited for outside the HDF5 mutex
  auto lk = h5::lock();
  StoreWriter w(path, held);
  write_run(w, name, run, overwrite);
  w.commit();
}

void save_runs(const std::string& path, std::vector<std::pair<std::string, Run>> runs, bool overwrite) {
  std::set<std::string> seen;
  for (const auto& [name, run] : runs) {
    check_run(name, run);
    if (!seen.insert(name).second) fail("name", "'" + name + "' appears twice in one batch");
  }
  FileLock held = lock_for_writing(path);  // waited for outside the HDF5 mutex
  auto lk = h5::lock();
  StoreWriter w(path, held);
  for (auto& [name, run] : runs) write_run(w, name, run, overwrite);
  w.commit();
}

namespace {
Run read_run(hid_t group, bool with_data, const std::string& where) {
  try {
    Run run;
    run.model = h5::get_string_attr(group, "model");
    run.parameters_json = h5::get_string_attr(group, "parameters");
    run.seed = h5::get_u64_attr(group, "seed");
    run.created = h5::get_string_attr(group, "created");
    run.urbplex_version = h5::get_string_attr(group, "urbplex_version");
    run.git_describe = h5::get_string_attr(group, "git_describe");
    if (h5::has_attr(group, "meta")) run.meta_json = h5::get_string_attr(group, "meta");
    // Runs written before the digest existed have none: they load as before.
    if (h5::has_attr(group, kAttrsDigest) && h5::get_u64_attr(group, kAttrsDigest) != run_attrs_digest(run))
      throw IoError("its attributes (model, parameters, seed, provenance or metadata) do not match their "
                    "checksum");
    // Without data, the arrays' shapes and types are listed but not read.
    for (const auto& dname : h5::children(group)) {
      // inspect() checks the link, the layout and the bytes the file stores.
      const h5::DatasetInfo info = h5::inspect(group, dname);
      Array a;
      a.shape = info.shape;
      bool known = false;
      for (auto t : {Array::DType::F64, Array::DType::F32, Array::DType::I64, Array::DType::I32, Array::DType::I8,
                     Array::DType::U64, Array::DType::U32, Array::DType::U8}) {
        const hid_t ht = hdf5_type(t);
        const bool is_float = t == Array::DType::F64 || t == Array::DType::F32;
        const bool is_signed = t == Array::DType::I64 || t == Array::DType::I32 || t == Array::DType::I8;
        if (info.type_class == (is_float ? H5T_FLOAT : H5T_INTEGER) && info.type_size == H5Tget_size(ht) &&
            (is_float || info.is_signed == is_signed)) {
          a.dtype = t;
          known = true;
          break;
        }
      }
      if (!known) throw IoError("dataset '" + dname + "' has an unsupported type");
      if (with_data) {
        a.bytes.resize(info.elements * Array::itemsize(a.dtype));
        h5::read(group, dname, hdf5_type(a.dtype), a.bytes.data(), info.elements);
      }
      run.datasets.emplace(dname, std::move(a));
    }
    return run;
  } catch (const IoError& e) {
    throw IoError(where + " is damaged: " + e.what());
  } catch (const std::bad_alloc&) {
    throw IoError(where + " is damaged: its sizes do not fit in memory");
  }
}

}  // namespace

Run load_run(const std::string& path, const std::string& name, bool with_data, bool allow_links) {
  auto lk = h5::lock();
  h5::LinkPolicy links(allow_links);
  const std::string where = "run '" + name + "' in '" + path + "'";
  return read_object(path, "runs", name, [&](hid_t, hid_t group) { return read_run(group, with_data, where); });
}

std::vector<std::string> list(const std::string& path, const std::string& kind) {
  require(kind == "graphs" || kind == "hierarchies" || kind == "runs", "kind",
          "must be 'graphs', 'hierarchies' or 'runs', got '" + kind + "'");
  auto lk = h5::lock();
  h5::Handle f = open_for_reading(path);
  if (!h5::exists(f, kind)) return {};
  h5::Handle g = h5::open_group(f, kind);
  return h5::children(g);
}

std::map<std::string, std::string> file_info(const std::string& path) {
  auto lk = h5::lock();
  h5::Handle f = open_for_reading(path);
  return {{"urbplex_version", h5::has_attr(f, "urbplex_version") ? h5::get_string_attr(f, "urbplex_version") : ""},
          {"schema_version", std::to_string(h5::get_int_attr(f, "schema_version"))}};
}

}  // namespace urbplex::io
