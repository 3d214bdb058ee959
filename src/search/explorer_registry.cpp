#include "search/explorer_registry.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

const std::vector<ExplorerEntry>& explorer_entries() {
#define CODSE_EXPLORER_ENTRY(name) name##_explorer_entry(),
  static const std::vector<ExplorerEntry> entries{CODSE_EXPLORERS(CODSE_EXPLORER_ENTRY)};
#undef CODSE_EXPLORER_ENTRY
  return entries;
}

const ExplorerEntry* find_explorer(std::string_view name) {
  for (const auto& entry : explorer_entries())
    if (entry.name == name) return &entry;
  return nullptr;
}

std::string explorer_name_list() {
  std::string list;
  for (const auto& entry : explorer_entries()) list += (list.empty() ? "" : ", ") + entry.name;
  return list;
}

const ExplorerEntry& explorer_entry(std::string_view name) {
  if (const auto* entry = find_explorer(name)) return *entry;
  throw InputError(fmt::format("unknown explorer '{}' (known: {})", name, explorer_name_list()));
}

const std::vector<std::string>& explorer_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& entry : explorer_entries()) list.push_back(entry.name);
    return list;
  }();
  return names;
}

const OptionSpec* ExplorerEntry::option(std::string_view key) const {
  for (const auto& spec : options)
    if (spec.key == key) return &spec;
  return nullptr;
}

ExplorerOptions ExplorerEntry::checked(const ExplorerOptions& given) const {
  ExplorerOptions out;
  for (const auto& [key, value] : given.values()) {
    const auto* spec = option(key);
    if (!spec) {
      std::string known;
      for (const auto& declared : options) known += (known.empty() ? "" : ", ") + declared.key;
      throw InputError(fmt::format("explorer '{}' has no option '{}' ({})", name, key,
                                   known.empty() ? "it takes no options" : "its options: " + known));
    }
    const auto typed = spec->check(name, value);
    if (const auto* flag = std::get_if<bool>(&typed))
      out.set(key, *flag);
    else if (const auto* whole = std::get_if<std::int64_t>(&typed))
      out.set(key, *whole);
    else
      out.set(key, std::get<double>(typed));
  }
  return out;
}

std::unique_ptr<Explorer> make_explorer(std::string_view name, const ExplorerSetup& setup) {
  return make_explorer(name, setup, ExplorerOptions{});
}

std::unique_ptr<Explorer> make_explorer(std::string_view name, const ExplorerSetup& setup,
                                        const ExplorerOptions& options) {
  const auto& entry = explorer_entry(name);
  return entry.build(setup, entry.checked(options));
}

}  // namespace codse
