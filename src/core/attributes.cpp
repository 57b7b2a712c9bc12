#include "urbplex/core/attributes.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

#include "urbplex/core/errors.hpp"

namespace urbplex {
namespace {
const std::vector<std::string> kNoCategories;
}

const char* attribute_type_name(AttributeType t) {
  switch (t) {
    case AttributeType::int64: return "int64";
    case AttributeType::boolean: return "bool";
    case AttributeType::category: return "category";
    default: return "float64";
  }
}

AttributeType attribute_type_from_name(const std::string& name) {
  if (name == "float64") return AttributeType::float64;
  if (name == "int64") return AttributeType::int64;
  if (name == "bool") return AttributeType::boolean;
  if (name == "category") return AttributeType::category;
  throw std::invalid_argument("attribute type '" + name + "' is not one of float64, int64, bool, category");
}

long AttributeTable::find(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<long>(i);
  return -1;
}

const AttributeTable::Column& AttributeTable::column(const std::string& name) const {
  const long i = find(name);
  if (i < 0) {
    std::string have;
    for (const auto& n : names_) have += (have.empty() ? "" : ", ") + n;
    throw std::invalid_argument("attribute '" + name + "' does not exist (have: " +
                                (have.empty() ? "none" : have) + ")");
  }
  return columns_[static_cast<std::size_t>(i)];
}

const AttributeTable::Info& AttributeTable::info(const std::string& name) const {
  column(name);  // throws if missing
  return info_[static_cast<std::size_t>(find(name))];
}

std::span<const double> AttributeTable::values(const std::string& name) const {
  const auto& c = column(name);
  return {c->data(), c->size()};
}

std::span<const double> AttributeTable::get(const std::string& name, const char*) const {
  const auto& c = column(name);
  const Info& in = info(name);
  if (in.type == AttributeType::category)
    throw std::invalid_argument(in.kind + " attribute '" + name +
                                "' is categorical (strings); this calculation needs numbers");
  if (in.missing > 0)
    throw std::invalid_argument(in.kind + " attribute '" + name + "' has " + std::to_string(in.missing) +
                                " missing values (NaN), the first at " + in.kind + " " +
                                std::to_string(in.first_missing) + "; this calculation needs a value everywhere");
  return {c->data(), c->size()};
}

AttributeType AttributeTable::type(const std::string& name) const { return info(name).type; }

const std::vector<std::string>& AttributeTable::categories(const std::string& name) const {
  const auto& c = info(name).categories;
  return c ? *c : kNoCategories;
}

std::size_t AttributeTable::missing(const std::string& name) const { return info(name).missing; }

bool AttributeTable::is_complete_numeric(const std::string& name) const {
  const Info& in = info(name);
  return in.type != AttributeType::category && in.missing == 0;
}

bool AttributeTable::is_non_negative(const std::string& name) {
  static const std::array<const char*, 8> names = {
      "length", "capacity", "free_flow_time", "speed", "population", "weight", "area", "members"};
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

void AttributeTable::set(const std::string& name, std::vector<double> values, const char* kind, AttributeType type,
                         std::vector<std::string> categories) {
  set_column(name, std::make_shared<const std::vector<double>>(std::move(values)), kind, type,
             categories.empty() && type != AttributeType::category
                 ? nullptr
                 : std::make_shared<const std::vector<std::string>>(std::move(categories)));
}

void AttributeTable::set_column(const std::string& name, Column values, const char* kind, AttributeType type,
                                Categories categories) {
  const std::string arg = std::string(kind) + " attribute '" + name + "'";
  if (name.empty()) throw std::invalid_argument(std::string(kind) + " attribute name is empty");
  if (values->size() != rows_)
    throw std::invalid_argument(arg + ": has " + std::to_string(values->size()) + " values, expected " +
                                std::to_string(rows_));
  if (type != AttributeType::category && categories && !categories->empty())
    throw std::invalid_argument(arg + ": only a category column has categories");
  const double n_categories = categories ? static_cast<double>(categories->size()) : 0.0;
  const bool non_negative = type != AttributeType::category && is_non_negative(name);
  Info in;
  in.type = type;
  in.categories = type == AttributeType::category ? categories : nullptr;
  in.kind = kind;
  for (std::size_t i = 0; i < values->size(); ++i) {
    const double v = (*values)[i];
    const std::string at = ": value at " + std::string(kind) + " " + std::to_string(i);
    if (std::isnan(v)) {
      if (in.missing++ == 0) in.first_missing = i;
      continue;
    }
    if (!std::isfinite(v)) throw std::invalid_argument(arg + at + " is not finite");
    if (non_negative && v < 0)
      throw std::invalid_argument(arg + at + " is negative (" + std::to_string(v) + ")");
    if (type == AttributeType::int64 && v != std::trunc(v))
      throw std::invalid_argument(arg + at + " is not an integer (" + std::to_string(v) + ")");
    if (type == AttributeType::boolean && v != 0.0 && v != 1.0)
      throw std::invalid_argument(arg + at + " is not 0 or 1 (" + std::to_string(v) + ")");
    if (type == AttributeType::category && (v != std::trunc(v) || v < 0 || v >= n_categories))
      throw std::invalid_argument(arg + at + " is not a code of one of its " +
                                  std::to_string(static_cast<std::size_t>(n_categories)) + " categories");
  }
  const long i = find(name);
  if (i >= 0) {
    columns_[static_cast<std::size_t>(i)] = std::move(values);
    info_[static_cast<std::size_t>(i)] = std::move(in);
  } else {
    names_.push_back(name);
    columns_.push_back(std::move(values));
    info_.push_back(std::move(in));
  }
}

void AttributeTable::erase(const std::string& name) {
  const long i = find(name);
  if (i < 0) return;
  names_.erase(names_.begin() + i);
  columns_.erase(columns_.begin() + i);
  info_.erase(info_.begin() + i);
}

}  // namespace urbplex
