// urbplex._core: the compiled core. One init function per C++ module.
#include <pybind11/pybind11.h>

#include "urbplex/core/errors.hpp"
#include "urbplex/core/parallel.hpp"
#include "urbplex/core/version.hpp"

namespace py = pybind11;

void init_graph(py::module_& m);
void init_hierarchy(py::module_& m);
void init_generators(py::module_& m);
void init_io(py::module_& m);
void init_percolation(py::module_& m);
void init_percolation_models(py::module_& m);
void init_percolation_processes(py::module_& m);
void init_scaling(py::module_& m);
void init_scaling_models(py::module_& m);
void init_mobility(py::module_& m);
void init_trip_distribution(py::module_& m);
void init_trajectories(py::module_& m);
void init_multiscale(py::module_& m);
void init_routing(py::module_& m);
void init_traffic(py::module_& m);
void init_agents(py::module_& m);

PYBIND11_MODULE(_core, m) {
  m.doc() = "urbplex compiled core (use the urbplex package, not this module)";
  m.attr("__version__") = urbplex::version();
  m.attr("git_describe") = urbplex::git_describe();

  // Deliberately leaked: it must outlive every translator call, even at exit.
  static PyObject* schema_error = PyErr_NewException("urbplex.SchemaError", PyExc_OSError, nullptr);
  m.attr("SchemaError") = py::handle(schema_error);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const urbplex::SchemaError& e) {
      PyErr_SetString(schema_error, e.what());
    } catch (const urbplex::IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const urbplex::Cancelled& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    } catch (const urbplex::OutOfMemory& e) {
      PyErr_SetString(PyExc_MemoryError, e.what());
    } catch (const std::bad_alloc&) {
      PyErr_SetString(PyExc_MemoryError, "urbplex ran out of memory (std::bad_alloc)");
    }
  });

  // The parallel runtime (include/urbplex/core/parallel.hpp): thread limit of
  // later calls in this process (ensemble workers set 1, so that processes,
  // not threads, share the cores), and what it is derived from.
  m.def("set_num_threads", &urbplex::parallel::set_max_threads, py::arg("n"));
  m.def("get_num_threads", &urbplex::parallel::max_threads);
  m.def("available_cpus", &urbplex::parallel::available_cpus);
  m.def("machine_busy", &urbplex::parallel::machine_busy);
  m.def("min_parallel_work", [] {
    return py::make_tuple(urbplex::parallel::kMinParallelWork, urbplex::parallel::kMinParallelWorkBusy);
  });

  init_graph(m);
  init_hierarchy(m);
  init_generators(m);
  init_io(m);
  init_percolation(m);
  init_percolation_models(m);
  init_percolation_processes(m);
  init_scaling(m);
  init_scaling_models(m);
  init_mobility(m);
  init_trip_distribution(m);
  init_trajectories(m);
  init_multiscale(m);
  init_routing(m);
  init_traffic(m);
  init_agents(m);
}
