#include "core/space.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

Space::Space(std::vector<Knob> knobs, std::vector<Constraint> constraints)
    : knobs_(std::move(knobs)), constraints_(std::move(constraints)) {
  for (std::size_t i = 0; i < knobs_.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (knobs_[i].name() == knobs_[j].name())
        throw InputError(fmt::format("space: knob {} appears twice", knobs_[i].name()));
}

std::size_t Space::knob_index(std::string_view name) const {
  for (std::size_t i = 0; i < knobs_.size(); ++i)
    if (knobs_[i].name() == name) return i;
  std::string names;
  for (const auto& knob : knobs_) names += (names.empty() ? "" : ", ") + knob.name();
  throw InputError(fmt::format("no knob named {} (knobs: {})", name, names));
}

double Space::cardinality() const {
  double n = 1.0;
  for (const auto& knob : knobs_) n *= static_cast<double>(knob.size());
  return n;
}

Design Space::decode(std::size_t index) const {
  Design design;
  design.values.resize(knobs_.size());
  for (std::size_t k = knobs_.size(); k-- > 0;) {
    const auto& domain = knobs_[k].values();
    design.values[k] = domain[index % domain.size()];
    index /= domain.size();
  }
  return design;
}

std::string Space::why_invalid(const Design& design) const {
  if (design.values.size() != knobs_.size())
    return fmt::format("design has {} values, the space has {} knobs", design.values.size(),
                       knobs_.size());
  for (std::size_t k = 0; k < knobs_.size(); ++k)
    if (!knobs_[k].contains(design.values[k]))
      return fmt::format("knob {}: {} is not in its domain", knobs_[k].name(), design.values[k]);
  for (const auto& constraint : constraints_)
    if (!constraint.holds(design)) return fmt::format("violates {}", constraint.description);
  return {};
}

std::vector<Design> Space::enumerate(std::size_t limit) const {
  const double n = cardinality();
  if (n > static_cast<double>(limit))
    throw InputError(fmt::format("space has {:.3g} knob combinations, more than the limit {} to "
                                 "enumerate; use an explorer that samples",
                                 n, limit));
  std::vector<Design> designs;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    Design design = decode(i);
    bool valid = true;
    for (const auto& constraint : constraints_) valid = valid && constraint.holds(design);
    if (valid) designs.push_back(std::move(design));
  }
  return designs;
}

std::string Space::describe(const Design& design) const {
  std::string text;
  for (std::size_t k = 0; k < knobs_.size() && k < design.values.size(); ++k)
    text += fmt::format("{}{}={}", k ? ", " : "", knobs_[k].name(), knobs_[k].format(design.values[k]));
  return text;
}

}  // namespace codse
