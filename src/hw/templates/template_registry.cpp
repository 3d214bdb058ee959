#include "hw/templates/template_registry.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/templates/folded/folded_template.hpp"
#include "hw/templates/unrolled/unrolled_template.hpp"

namespace codse::hw {

const std::vector<const AcceleratorTemplate*>& accelerator_templates() {
  // One line per template. Function-local statics: no registration order across files.
  static const FoldedTemplate folded;
  static const UnrolledTemplate unrolled;
  static const std::vector<const AcceleratorTemplate*> all = {&folded, &unrolled};
  return all;
}

const AcceleratorTemplate* find_accelerator_template(std::string_view name) {
  for (const auto* candidate : accelerator_templates()) {
    if (candidate->name() == name) return candidate;
    for (const auto former : candidate->former_names())
      if (former == name) return candidate;
  }
  return nullptr;
}

const AcceleratorTemplate& accelerator_template(std::string_view name) {
  if (const auto* found = find_accelerator_template(name)) return *found;
  throw InputError(fmt::format("unknown accelerator template '{}' (known: {})", name, accelerator_template_names()));
}

std::string accelerator_template_names() {
  std::string names;
  for (const auto* known : accelerator_templates()) names += fmt::format("{}{}", names.empty() ? "" : ", ", known->name());
  return names;
}

}  // namespace codse::hw
