// Bindings of agents/stage.hpp with the built-in C++ rules: the native
// counterpart the benchmarks hold Python rules (urbplex.agents) against.
#include "common.hpp"
#include "urbplex/agents/schelling.hpp"
#include "urbplex/agents/stage.hpp"
#include "urbplex/core/errors.hpp"

using namespace urbplex;
using namespace urbplex::bind;

namespace {

template <class T>
std::span<T> writable(py::array_t<T, py::array::c_style>& a, const char* name, std::size_t n) {
  if (!a.writeable()) fail(name, "must be writable");
  if (static_cast<std::size_t>(a.size()) != n) fail(name, "must have one value per agent row");
  return {a.mutable_data(), n};
}

void schelling_judge(const carray<std::int64_t>& ids, const carray<std::int32_t>& cell,
                     const carray<std::int8_t>& kind, const carray<std::int8_t>& kind_at,
                     const carray<std::int64_t>& indptr, const carray<std::int32_t>& indices, double homophily,
                     py::array_t<bool, py::array::c_style> happy, py::array_t<double, py::array::c_style> share) {
  const auto rows = static_cast<std::size_t>(cell.size());
  if (static_cast<std::size_t>(kind.size()) != rows) fail("kind", "must have one value per agent row");
  const auto cells = static_cast<std::size_t>(kind_at.size());
  if (static_cast<std::size_t>(indptr.size()) != cells + 1) fail("indptr", "must have one more value than cells");
  for (auto i : span_of(ids))
    if (i < 0 || static_cast<std::size_t>(i) >= rows) fail("ids", "agent id out of range");
  for (auto c : span_of(cell))
    if (c < 0 || static_cast<std::size_t>(c) >= cells) fail("cell", "cell out of range");
  for (auto t : span_of(indices))
    if (t < 0 || static_cast<std::size_t>(t) >= cells) fail("indices", "neighbour out of range");
  agents::SchellingJudge rule{span_of(cell), span_of(kind), span_of(kind_at), span_of(indptr), span_of(indices),
                              homophily, writable(happy, "happy", rows), writable(share, "share", rows)};
  RunControl control = python_control(py::none());
  py::gil_scoped_release release;
  agents::apply_parallel(span_of(ids), rule, control);
}

}  // namespace

void init_agents(py::module_& m) {
  m.def("agents_schelling_judge", &schelling_judge, py::arg("ids"), py::arg("cell"), py::arg("kind"),
        py::arg("kind_at"), py::arg("indptr"), py::arg("indices"), py::arg("homophily"), py::arg("happy"),
        py::arg("share"),
        "Schelling's judging rule (agents/schelling.hpp) over `ids`, in parallel; writes happy and share.");
}
