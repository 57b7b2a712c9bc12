#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "urbplex/core/errors.hpp"
#include "urbplex/generators/lattice.hpp"
#include "io/h5.hpp"
#include "urbplex/io/store.hpp"

using namespace urbplex;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() : path(fs::temp_directory_path() / ("urbplex-test-" + std::to_string(::getpid()))) {
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};
}  // namespace

TEST(Store, GraphRoundTrip) {
  TempDir dir;
  Graph g = generators::triangular_lattice(6, 5, true);
  g.set_node_attribute("population", std::vector<double>(g.num_vertices(), 3.5));
  io::save_graph(dir.file("a.h5"), "tri", g);
  Graph h = io::load_graph(dir.file("a.h5"), "tri");
  EXPECT_EQ(h.num_vertices(), g.num_vertices());
  EXPECT_EQ(h.num_edges(), g.num_edges());
  EXPECT_TRUE(std::equal(h.targets().begin(), h.targets().end(), g.targets().begin()));
  EXPECT_DOUBLE_EQ(h.node_attribute("population")[7], 3.5);
  EXPECT_DOUBLE_EQ(h.edge_attribute("length")[3], 1.0);
  // A second object goes into the same file; the first stays.
  io::save_graph(dir.file("a.h5"), "sq", generators::square_lattice(3, 3));
  EXPECT_EQ(io::list(dir.file("a.h5"), "graphs"), (std::vector<std::string>{"sq", "tri"}));
  EXPECT_THROW(io::save_graph(dir.file("a.h5"), "sq", g), std::invalid_argument);  // no overwrite
  EXPECT_EQ(io::load_graph(dir.file("a.h5"), "sq").num_vertices(), 9u);
  io::save_graph(dir.file("a.h5"), "sq", g, true);
  EXPECT_EQ(io::load_graph(dir.file("a.h5"), "sq").num_vertices(), 30u);
  EXPECT_THROW(io::load_graph(dir.file("a.h5"), "missing"), std::invalid_argument);
}

TEST(Store, HierarchyAndRunRoundTrip) {
  TempDir dir;
  Graph g = generators::square_lattice(8, 8);
  Hierarchy h = Hierarchy::grid_pyramid(g, 2.0, 2);
  io::save_hierarchy(dir.file("h.h5"), "grid", h);
  Hierarchy back = io::load_hierarchy(dir.file("h.h5"), "grid");
  ASSERT_EQ(back.num_levels(), 3u);
  EXPECT_EQ(back.info(2).method, "grid");
  EXPECT_DOUBLE_EQ(back.info(2).scale, 4.0);
  EXPECT_TRUE(std::equal(back.parent(0).begin(), back.parent(0).end(), h.parent(0).begin()));

  io::Run run;
  run.model = "test";
  run.parameters_json = R"({"p": 0.5})";
  run.seed = 99;
  io::Array a;
  a.dtype = io::Array::DType::I32;
  a.shape = {2, 3};
  const std::int32_t values[6] = {1, 2, 3, 4, 5, -6};
  a.bytes.resize(sizeof values);
  std::memcpy(a.bytes.data(), values, sizeof values);
  run.datasets["table"] = a;
  io::save_run(dir.file("h.h5"), "r1", run);
  io::Run r = io::load_run(dir.file("h.h5"), "r1");
  EXPECT_EQ(r.model, "test");
  EXPECT_EQ(r.seed, 99u);
  EXPECT_EQ(r.parameters_json, R"({"p": 0.5})");
  EXPECT_FALSE(r.created.empty());
  EXPECT_EQ(r.datasets["table"].shape, (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(r.datasets["table"].bytes, a.bytes);
  {  // attributes, and the datasets' shapes without their bytes
    const auto listed = io::load_run(dir.file("h.h5"), "r1", false);
    EXPECT_FALSE(listed.datasets.empty());
    for (const auto& [dname, a] : listed.datasets) {
      EXPECT_TRUE(a.bytes.empty()) << dname;
      EXPECT_EQ(a.shape, r.datasets.at(dname).shape) << dname;
    }
  }

  // A batch lands whole or not at all: a clash with r1 leaves the file as it was.
  std::vector<std::pair<std::string, io::Run>> batch{{"b1", run}, {"r1", run}};
  EXPECT_THROW(io::save_runs(dir.file("h.h5"), batch), std::invalid_argument);
  EXPECT_EQ(io::list(dir.file("h.h5"), "runs"), (std::vector<std::string>{"r1"}));
  batch[1].first = "b2";
  io::save_runs(dir.file("h.h5"), batch);
  EXPECT_EQ(io::list(dir.file("h.h5"), "runs"), (std::vector<std::string>{"b1", "b2", "r1"}));
  batch[1].first = "b1";
  EXPECT_THROW(io::save_runs(dir.file("h.h5"), batch, true), std::invalid_argument);  // same name twice
}

TEST(Store, DamagedAndForeignFilesRaise) {
  TempDir dir;
  io::save_graph(dir.file("g.h5"), "g", generators::square_lattice(50, 50));
  const auto size = fs::file_size(dir.file("g.h5"));
  fs::copy_file(dir.file("g.h5"), dir.file("cut.h5"));
  fs::resize_file(dir.file("cut.h5"), size / 2);
  EXPECT_THROW(io::load_graph(dir.file("cut.h5"), "g"), IoError);
  { std::ofstream(dir.file("text.h5")) << "not hdf5"; }
  EXPECT_THROW(io::load_graph(dir.file("text.h5"), "g"), IoError);
  // Refuses to write into a file it cannot read, and leaves it alone.
  EXPECT_THROW(io::save_graph(dir.file("text.h5"), "g", generators::square_lattice(2, 2)), IoError);
  EXPECT_EQ(fs::file_size(dir.file("text.h5")), 8u);
  EXPECT_THROW(io::load_graph(dir.file("none.h5"), "g"), IoError);
}

TEST(Store, NewerSchemaRaisesSchemaError) {
  TempDir dir;
  io::save_graph(dir.file("s.h5"), "g", generators::square_lattice(2, 2));
  {
    const hid_t f = H5Fopen(dir.file("s.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t attr = H5Aopen(f, "schema_version", H5P_DEFAULT);
    const std::int64_t v = io::kSchemaVersion + 1;
    H5Awrite(attr, H5T_NATIVE_INT64, &v);
    H5Aclose(attr);
    H5Fclose(f);
  }
  EXPECT_THROW(io::load_graph(dir.file("s.h5"), "g"), SchemaError);
}

// A reader holds a store open while a writer renames a new file over its name
// (an atomic save): the reader's checks must read the file it has open, not
// whatever the name now points to (before: false "heap is damaged").
TEST(Store, ReaderChecksTheFileItHasOpenNotTheNameAfterARename) {
  // Two files whose string heaps lie in different places; a reader holds the
  // first open when a writer's rename puts the second under its name.
  TempDir dir;
  auto lk = io::h5::lock();
  const auto write = [&](const std::string& name, const std::string& model, std::size_t length, int groups) {
    io::h5::Handle f = io::h5::create_file(dir.file(name));
    for (int k = 0; k < groups; ++k) {
      io::h5::Handle g = io::h5::create_group(f, "runs/r" + std::to_string(k));
      io::h5::set_attr(g, "model", model);
      io::h5::set_attr(g, "parameters", std::string(length, model[0]));
    }
  };
  write("s.h5", "first", 300, 1);
  write("other.h5", "second", 5000, 2);  // another layout: the heaps lie elsewhere
  io::h5::Handle f = io::h5::open_file(dir.file("s.h5"), false);
  io::h5::Handle group = io::h5::open_group(f, "runs/r0");
  fs::rename(dir.file("other.h5"), dir.file("s.h5"));  // a writer's commit
  EXPECT_EQ(io::h5::get_string_attr(group, "model"), "first");
  EXPECT_EQ(io::h5::get_string_attr(group, "parameters"), std::string(300, 'f'));
}
