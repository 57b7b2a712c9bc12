#include "urbplex/core/attributes.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

#include "urbplex/core/errors.hpp"

namespace urbplex {

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

std::span<const double> AttributeTable::get(const std::string& name, const char*) const {
  const auto& c = column(name);
  return {c->data(), c->size()};
}

bool AttributeTable::is_non_negative(const std::string& name) {
  static const std::array<const char*, 8> names = {
      "length", "capacity", "free_flow_time", "speed", "population", "weight", "area", "members"};
  for (const char* n : names)
    if (name == n) return true;
  return false;
}

void AttributeTable::set(const std::string& name, std::vector<double> values, const char* kind) {
  set_column(name, std::make_shared<const std::vector<double>>(std::move(values)), kind);
}

void AttributeTable::set_column(const std::string& name, Column values, const char* kind) {
  const std::string arg = std::string(kind) + " attribute '" + name + "'";
  if (name.empty()) throw std::invalid_argument(std::string(kind) + " attribute name is empty");
  if (values->size() != rows_)
    throw std::invalid_argument(arg + ": has " + std::to_string(values->size()) + " values, expected " +
                                std::to_string(rows_));
  const bool non_negative = is_non_negative(name);
  for (std::size_t i = 0; i < values->size(); ++i) {
    const double v = (*values)[i];
    if (!std::isfinite(v))
      throw std::invalid_argument(arg + ": value at index " + std::to_string(i) + " is not finite");
    if (non_negative && v < 0)
      throw std::invalid_argument(arg + ": value at index " + std::to_string(i) + " is negative (" +
                                  std::to_string(v) + ")");
  }
  const long i = find(name);
  if (i >= 0) {
    columns_[static_cast<std::size_t>(i)] = std::move(values);
  } else {
    names_.push_back(name);
    columns_.push_back(std::move(values));
  }
}

void AttributeTable::erase(const std::string& name) {
  const long i = find(name);
  if (i < 0) return;
  names_.erase(names_.begin() + i);
  columns_.erase(columns_.begin() + i);
}

}  // namespace urbplex
