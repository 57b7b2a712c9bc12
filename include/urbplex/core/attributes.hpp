// Named columns of doubles (struct of arrays) for node or edge attributes.
//
// Columns are shared, immutable vectors: copying a table, or a Graph with one
// more column, copies pointers, never the data.
//
// Each column has a type that says how its doubles read: float64; int64
// (integral values, exact up to 2^53); boolean (0/1); category (codes into a
// list of strings, e.g. OSM `highway`). NaN marks a missing value in any type.
// Models read columns through get(), which refuses missing values and
// categories with an error naming the attribute and the first missing row;
// values() gives the raw doubles (bindings, storage).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace urbplex {

enum class AttributeType : std::uint8_t { float64 = 0, int64 = 1, boolean = 2, category = 3 };

const char* attribute_type_name(AttributeType t);
AttributeType attribute_type_from_name(const std::string& name);  // throws std::invalid_argument

class AttributeTable {
 public:
  using Column = std::shared_ptr<const std::vector<double>>;
  using Categories = std::shared_ptr<const std::vector<std::string>>;

  AttributeTable() = default;
  explicit AttributeTable(std::size_t rows) : rows_(rows) {}

  std::size_t rows() const { return rows_; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  bool has(const std::string& name) const { return find(name) >= 0; }

  // The column for a calculation: throws std::invalid_argument if it is
  // missing, holds a NaN, or is categorical.
  std::span<const double> get(const std::string& name, const char* what = "attribute") const;
  // The raw column, NaN included.
  std::span<const double> values(const std::string& name) const;
  const Column& column(const std::string& name) const;
  AttributeType type(const std::string& name) const;
  const std::vector<std::string>& categories(const std::string& name) const;  // empty unless category
  std::size_t missing(const std::string& name) const;                          // NaN count
  // True if get() would succeed: numeric with no missing value.
  bool is_complete_numeric(const std::string& name) const;

  // Adds or replaces a column. Values must be finite or NaN (missing); names
  // listed in is_non_negative() must also be >= 0; int64 values integral,
  // boolean 0/1, category codes in [0, categories.size()). `kind`
  // ("node"/"edge") is used in errors.
  void set(const std::string& name, std::vector<double> values, const char* kind = "node",
           AttributeType type = AttributeType::float64, std::vector<std::string> categories = {});
  void set_column(const std::string& name, Column values, const char* kind = "node",
                  AttributeType type = AttributeType::float64, Categories categories = nullptr);
  void erase(const std::string& name);

  // Attribute names whose values can never be negative.
  static bool is_non_negative(const std::string& name);

 private:
  struct Info {
    AttributeType type = AttributeType::float64;
    Categories categories;
    std::size_t missing = 0, first_missing = 0;
    std::string kind = "node";
  };
  long find(const std::string& name) const;
  const Info& info(const std::string& name) const;
  std::size_t rows_ = 0;
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  std::vector<Info> info_;
};

}  // namespace urbplex
