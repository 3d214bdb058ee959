#include "core/knob.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

Knob::Knob(std::string name, KnobKind kind, std::vector<double> values,
           std::vector<std::string> labels)
    : name_(std::move(name)), kind_(kind), values_(std::move(values)), labels_(std::move(labels)) {
  if (values_.empty()) throw InputError(fmt::format("knob {}: empty domain", name_));
}

Knob Knob::integer(std::string name, long lo, long hi, long step) {
  if (step <= 0 || hi < lo)
    throw InputError(fmt::format("knob {}: integer range {}..{} step {} is empty", name, lo, hi, step));
  std::vector<double> values;
  for (long v = lo; v <= hi; v += step) values.push_back(static_cast<double>(v));
  return Knob(std::move(name), KnobKind::integer, std::move(values));
}

Knob Knob::power_of_two(std::string name, long lo, long hi) {
  auto is_pow2 = [](long v) { return v > 0 && std::has_single_bit(static_cast<unsigned long>(v)); };
  if (!is_pow2(lo) || !is_pow2(hi) || hi < lo)
    throw InputError(fmt::format("knob {}: {}..{} is not a range of powers of two", name, lo, hi));
  std::vector<double> values;
  for (long v = lo; v <= hi; v *= 2) values.push_back(static_cast<double>(v));
  return Knob(std::move(name), KnobKind::power_of_two, std::move(values));
}

Knob Knob::choice(std::string name, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return Knob(std::move(name), KnobKind::choice, std::move(values));
}

Knob Knob::labels(std::string name, std::vector<std::string> labels) {
  std::vector<double> values(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) values[i] = static_cast<double>(i);
  return Knob(std::move(name), KnobKind::choice, std::move(values), std::move(labels));
}

Knob Knob::boolean(std::string name) {
  return Knob(std::move(name), KnobKind::boolean, {0.0, 1.0});
}

bool Knob::contains(double value) const {
  return std::binary_search(values_.begin(), values_.end(), value);
}

std::size_t Knob::index_of(double value) const {
  auto it = std::lower_bound(values_.begin(), values_.end(), value);
  if (it == values_.end() || *it != value)
    throw InputError(fmt::format("knob {}: {} is not in its domain", name_, format(value)));
  return static_cast<std::size_t>(it - values_.begin());
}

std::string Knob::format(double value) const {
  if (!labels_.empty()) {
    auto i = static_cast<std::size_t>(value);
    if (value >= 0 && i < labels_.size() && static_cast<double>(i) == value) return labels_[i];
  }
  if (kind_ == KnobKind::boolean) return value != 0.0 ? "true" : "false";
  return fmt::format("{}", value);
}

}  // namespace codse
