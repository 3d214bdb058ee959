#pragma once
// The accelerator templates codse knows, by name: the only list of them. A Mapping, a mapping
// space, a config or the CLI names a template; this registry turns the name into the template
// (hw/cost/accelerator_template.hpp). Adding a template is its own folder under hw/templates/
// plus one line in template_registry.cpp (docs/ARCHITECTURE.md, Extending codse).

#include <string>
#include <string_view>
#include <vector>

#include "hw/cost/accelerator_template.hpp"

namespace codse::hw {

/// Every registered template, in registration order (the first is the default).
const std::vector<const AcceleratorTemplate*>& accelerator_templates();

/// The template named `name` or one of its former names; nullptr when none is.
const AcceleratorTemplate* find_accelerator_template(std::string_view name);

/// As find_accelerator_template, but throws InputError naming the known templates.
const AcceleratorTemplate& accelerator_template(std::string_view name);

/// "folded, unrolled": for help texts and messages.
std::string accelerator_template_names();

}  // namespace codse::hw
