// Bindings of io/store.
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>

#include "common.hpp"
#include "urbplex/io/store.hpp"

using namespace urbplex;
using namespace urbplex::bind;
using io::Array;

namespace {

Array::DType dtype_of(const py::dtype& dt) {
  const char kind = dt.kind();
  const auto size = dt.itemsize();
  if (kind == 'f' && size == 8) return Array::DType::F64;
  if (kind == 'f' && size == 4) return Array::DType::F32;
  if (kind == 'i' && size == 8) return Array::DType::I64;
  if (kind == 'i' && size == 4) return Array::DType::I32;
  if (kind == 'i' && size == 1) return Array::DType::I8;
  if (kind == 'u' && size == 8) return Array::DType::U64;
  if (kind == 'u' && size == 4) return Array::DType::U32;
  if ((kind == 'u' || kind == 'b') && size == 1) return Array::DType::U8;
  throw std::invalid_argument("argument 'datasets': unsupported dtype " + py::str(dt).cast<std::string>() +
                              " (use float64/32, int64/32/8, uint64/32/8 or bool)");
}

const char* numpy_name(Array::DType t) {
  switch (t) {
    case Array::DType::F64: return "float64";
    case Array::DType::F32: return "float32";
    case Array::DType::I64: return "int64";
    case Array::DType::I32: return "int32";
    case Array::DType::I8: return "int8";
    case Array::DType::U64: return "uint64";
    case Array::DType::U32: return "uint32";
    case Array::DType::U8: return "uint8";
  }
  return "float64";
}

// A Run from the Python side's pieces (arrays copied: the write happens without the GIL);
// the datasets named in `compress` are stored compressed.
io::Run run_of(const std::string& model, const std::string& parameters, std::uint64_t seed, const py::dict& datasets,
               const std::vector<std::string>& compress = {}, const std::string& meta = "") {
  io::Run run;
  run.model = model;
  run.meta_json = meta;
  run.parameters_json = parameters;
  run.seed = seed;
  for (auto [key, value] : datasets) {
    auto arr = py::array::ensure(value, py::array::c_style);
    if (!arr) throw std::invalid_argument("argument 'datasets': value of '" + py::str(key).cast<std::string>() + "' is not an array");
    io::Array a;
    a.dtype = dtype_of(arr.dtype());
    for (py::ssize_t d = 0; d < arr.ndim(); ++d) a.shape.push_back(static_cast<std::uint64_t>(arr.shape(d)));
    a.bytes.resize(static_cast<std::size_t>(arr.nbytes()));
    if (arr.nbytes() > 0) std::memcpy(a.bytes.data(), arr.data(), a.bytes.size());
    const auto name = py::str(key).cast<std::string>();
    a.compress = std::find(compress.begin(), compress.end(), name) != compress.end();
    run.datasets.emplace(name, std::move(a));
  }
  return run;
}

}  // namespace

void init_io(py::module_& m) {
  m.attr("SCHEMA_VERSION") = io::kSchemaVersion;
  // A save waiting for another process's lock stops on Ctrl-C (KeyboardInterrupt).
  io::set_interrupt_check([]() -> bool {
#if PY_VERSION_HEX >= 0x030D0000
    if (!Py_IsInitialized() || Py_IsFinalizing()) return false;
#else
    if (!Py_IsInitialized() || _Py_IsFinalizing()) return false;
#endif
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();  // re-raised as KeyboardInterrupt by the Cancelled translator
      return true;
    }
    return false;
  });
  m.def("save_graph", &io::save_graph, py::arg("path"), py::arg("name"), py::arg("graph"), py::arg("overwrite"),
        py::arg("meta") = "", py::call_guard<py::gil_scoped_release>());
  m.def("graph_meta", &io::graph_meta, py::arg("path"), py::arg("name"), py::arg("allow_links") = false,
        py::call_guard<py::gil_scoped_release>());
  m.def("load_graph", &io::load_graph, py::arg("path"), py::arg("name"), py::arg("allow_links") = false,
        py::call_guard<py::gil_scoped_release>());
  m.def("save_hierarchy", &io::save_hierarchy, py::arg("path"), py::arg("name"), py::arg("hierarchy"),
        py::arg("overwrite"), py::arg("meta") = "", py::arg("graph_ref") = "", py::call_guard<py::gil_scoped_release>());
  m.def("hierarchy_meta", &io::hierarchy_meta, py::arg("path"), py::arg("name"), py::arg("allow_links") = false,
        py::call_guard<py::gil_scoped_release>());
  m.def("hdf5_version", &io::hdf5_version);
  m.def("load_hierarchy", &io::load_hierarchy, py::arg("path"), py::arg("name"), py::arg("allow_links") = false,
        py::call_guard<py::gil_scoped_release>());
  m.def("list", &io::list, py::arg("path"), py::arg("kind"), py::call_guard<py::gil_scoped_release>());
  m.def("file_info", &io::file_info, py::arg("path"), py::call_guard<py::gil_scoped_release>());
  m.def("export_store", &io::export_store, py::arg("path"), py::arg("out"), py::arg("overwrite") = false,
        py::call_guard<py::gil_scoped_release>());
  m.def("vacuum_store", &io::vacuum_store, py::arg("path"), py::call_guard<py::gil_scoped_release>());

  m.def(
      "save_run",
      [](const std::string& path, const std::string& name, const std::string& model, const std::string& parameters,
         std::uint64_t seed, const py::dict& datasets, bool overwrite, const std::vector<std::string>& compress,
         const std::string& meta) {
        io::Run run = run_of(model, parameters, seed, datasets, compress, meta);
        py::gil_scoped_release rel;
        io::save_run(path, name, std::move(run), overwrite);
      },
      py::arg("path"), py::arg("name"), py::arg("model"), py::arg("parameters"), py::arg("seed"), py::arg("datasets"),
      py::arg("overwrite"), py::arg("compress") = std::vector<std::string>{}, py::arg("meta") = "");

  m.def(
      "save_runs",
      [](const std::string& path, const py::list& runs, bool overwrite) {
        std::vector<std::pair<std::string, io::Run>> batch;
        for (const auto& item : runs) {
          auto t = item.cast<py::tuple>();
          if (t.size() < 5 || t.size() > 7)
            throw std::invalid_argument(
                "argument 'runs': expected (name, model, parameters, seed, datasets[, compress[, meta]]) tuples");
          const auto compress = t.size() >= 6 ? t[5].cast<std::vector<std::string>>() : std::vector<std::string>{};
          const auto meta = t.size() == 7 ? t[6].cast<std::string>() : std::string();
          batch.emplace_back(t[0].cast<std::string>(), run_of(t[1].cast<std::string>(), t[2].cast<std::string>(),
                                                              t[3].cast<std::uint64_t>(), t[4].cast<py::dict>(), compress,
                                                              meta));
        }
        py::gil_scoped_release rel;
        io::save_runs(path, std::move(batch), overwrite);
      },
      py::arg("path"), py::arg("runs"), py::arg("overwrite"));

  m.def(
      "load_run",
      [](const std::string& path, const std::string& name, bool with_data, bool allow_links) {
        io::Run run;
        {
          py::gil_scoped_release rel;
          run = io::load_run(path, name, with_data, allow_links);
        }
        py::dict data;
        for (auto& [dname, a] : run.datasets) {
          std::vector<py::ssize_t> shape(a.shape.begin(), a.shape.end());
          py::array arr(py::dtype(numpy_name(a.dtype)), shape);
          if (!a.bytes.empty()) std::memcpy(arr.mutable_data(), a.bytes.data(), a.bytes.size());
          data[py::str(dname)] = arr;
        }
        py::dict meta;
        meta["model"] = run.model;
        meta["parameters"] = run.parameters_json;
        meta["seed"] = run.seed;
        meta["created"] = run.created;
        meta["urbplex_version"] = run.urbplex_version;
        meta["git_describe"] = run.git_describe;
        meta["meta"] = run.meta_json;
        return py::make_tuple(meta, data);
      },
      py::arg("path"), py::arg("name"), py::arg("with_data") = true, py::arg("allow_links") = false);
}
