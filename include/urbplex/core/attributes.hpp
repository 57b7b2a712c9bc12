// Named columns of doubles (struct of arrays) for node or edge attributes.
//
// Columns are shared, immutable vectors: copying a table, or a Graph with one
// more column, copies pointers, never the data.
#pragma once
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace urbplex {

class AttributeTable {
 public:
  using Column = std::shared_ptr<const std::vector<double>>;

  AttributeTable() = default;
  explicit AttributeTable(std::size_t rows) : rows_(rows) {}

  std::size_t rows() const { return rows_; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  bool has(const std::string& name) const { return find(name) >= 0; }

  // The column; throws std::invalid_argument naming `what` if it is missing.
  std::span<const double> get(const std::string& name, const char* what = "attribute") const;
  const Column& column(const std::string& name) const;

  // Adds or replaces a column. Values must be finite; names listed in
  // non_negative_names() must also be >= 0. `kind` ("node"/"edge") is used in errors.
  void set(const std::string& name, std::vector<double> values, const char* kind = "node");
  void set_column(const std::string& name, Column values, const char* kind = "node");
  void erase(const std::string& name);

  // Attribute names whose values can never be negative.
  static bool is_non_negative(const std::string& name);

 private:
  long find(const std::string& name) const;
  std::size_t rows_ = 0;
  std::vector<std::string> names_;
  std::vector<Column> columns_;
};

}  // namespace urbplex
