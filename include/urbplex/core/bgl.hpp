// Boost.Graph adaptor: lets Boost algorithms (Dijkstra, BFS, components,
// betweenness) run on urbplex's CSR Graph without copying it.
//
// View<Tag> presents the stored arcs as an IncidenceGraph + VertexListGraph.
// Use DirectedView for traversals (an undirected Graph stores both arcs, so
// this is correct for both kinds) and UndirectedView for algorithms that
// require undirected_tag (boost::connected_components). Edge properties are
// read through EdgeMap, indexed by the arc's edge id.
#pragma once
#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <utility>

#include "urbplex/core/graph.hpp"

namespace urbplex::bgl {

struct Arc {
  vertex_t source = 0;
  vertex_t target = 0;
  edge_t edge = 0;
  friend bool operator==(const Arc& a, const Arc& b) {
    return a.source == b.source && a.target == b.target && a.edge == b.edge;
  }
  friend bool operator!=(const Arc& a, const Arc& b) { return !(a == b); }
};

template <class DirectedTag>
struct View {
  const Graph* graph;
  explicit View(const Graph& g) : graph(&g) {}
};
using DirectedView = View<boost::directed_tag>;
using UndirectedView = View<boost::undirected_tag>;

class ArcIterator : public boost::iterator_facade<ArcIterator, Arc, boost::random_access_traversal_tag, Arc> {
 public:
  ArcIterator() = default;
  ArcIterator(const Graph* g, vertex_t u, offset_t a) : g_(g), u_(u), a_(a) {}

 private:
  friend class boost::iterator_core_access;
  Arc dereference() const { return Arc{u_, g_->targets()[a_], g_->arc_edges()[a_]}; }
  bool equal(const ArcIterator& o) const { return a_ == o.a_; }
  void increment() { ++a_; }
  void decrement() { --a_; }
  void advance(std::ptrdiff_t n) { a_ += n; }
  std::ptrdiff_t distance_to(const ArcIterator& o) const {
    return static_cast<std::ptrdiff_t>(o.a_) - static_cast<std::ptrdiff_t>(a_);
  }
  const Graph* g_ = nullptr;
  vertex_t u_ = 0;
  offset_t a_ = 0;
};

struct traversal_category : boost::incidence_graph_tag, boost::vertex_list_graph_tag {};

template <class T>
vertex_t source(const Arc& a, const View<T>&) { return a.source; }
template <class T>
vertex_t target(const Arc& a, const View<T>&) { return a.target; }
template <class T>
std::pair<ArcIterator, ArcIterator> out_edges(vertex_t u, const View<T>& v) {
  const auto off = v.graph->offsets();
  return {ArcIterator(v.graph, u, off[u]), ArcIterator(v.graph, u, off[u + 1])};
}
template <class T>
std::uint64_t out_degree(vertex_t u, const View<T>& v) { return v.graph->degree(u); }
template <class T>
std::pair<boost::counting_iterator<vertex_t>, boost::counting_iterator<vertex_t>> vertices(const View<T>& v) {
  return {boost::counting_iterator<vertex_t>(0), boost::counting_iterator<vertex_t>(v.graph->num_vertices())};
}
template <class T>
vertex_t num_vertices(const View<T>& v) { return v.graph->num_vertices(); }
template <class T>
boost::typed_identity_property_map<vertex_t> get(boost::vertex_index_t, const View<T>&) { return {}; }

// Read-only edge property: values[arc.edge].
struct EdgeMap {
  using key_type = Arc;
  using value_type = double;
  using reference = double;
  using category = boost::readable_property_map_tag;
  const double* values;
};
inline double get(const EdgeMap& m, const Arc& a) { return m.values[a.edge]; }

}  // namespace urbplex::bgl

namespace boost {
template <class T>
struct graph_traits<urbplex::bgl::View<T>> {
  using vertex_descriptor = urbplex::vertex_t;
  using edge_descriptor = urbplex::bgl::Arc;
  using directed_category = T;
  using edge_parallel_category = allow_parallel_edge_tag;
  using traversal_category = urbplex::bgl::traversal_category;
  using out_edge_iterator = urbplex::bgl::ArcIterator;
  using vertex_iterator = counting_iterator<urbplex::vertex_t>;
  using degree_size_type = std::uint64_t;
  using vertices_size_type = urbplex::vertex_t;
  using edges_size_type = std::uint64_t;
  using adjacency_iterator = void;
  using in_edge_iterator = void;
  using edge_iterator = void;
  static vertex_descriptor null_vertex() { return static_cast<vertex_descriptor>(-1); }
};
template <class T>
struct property_map<urbplex::bgl::View<T>, vertex_index_t> {
  using type = typed_identity_property_map<urbplex::vertex_t>;
  using const_type = type;
};
}  // namespace boost
