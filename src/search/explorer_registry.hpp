#pragma once
// The explorer registry: the only list of explorer names. Each explorer registers a name, a
// one-line description and the options it accepts by name (explorer_options.hpp); make_explorer
// checks the options against those declarations and converts them into the explorer's typed
// options struct. The CLI's help, config checks (synthesis.explorer) and the conformance test
// (tests/search/explorer_conformance_test.cpp) all read this list.
//
// Adding an explorer: write NAME_explorer.hpp/.cpp (the class, and in the .cpp the function
// `ExplorerEntry NAME_explorer_entry()` returning typed_explorer_entry<...> or
// plain_explorer_entry<...>), then add NAME to CODSE_EXPLORERS below.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "search/explorer.hpp"
#include "search/explorer_options.hpp"

namespace codse {

struct ExplorerEntry {
  std::string name;
  std::string description;       ///< one line, for help texts
  std::vector<OptionSpec> options;
  /// Builds the explorer from options already checked against `options` (make_explorer checks).
  std::function<std::unique_ptr<Explorer>(const ExplorerSetup&, const ExplorerOptions&)> build;

  /// The declared option named key, or nullptr.
  const OptionSpec* option(std::string_view key) const;
  /// Checks every given option (InputError naming an unknown key, with the known ones, or an
  /// ill-typed or out-of-range value) and returns them in the declared types.
  ExplorerOptions checked(const ExplorerOptions& given) const;
};

/// Every registered explorer, in the order of CODSE_EXPLORERS.
const std::vector<ExplorerEntry>& explorer_entries();
/// The entry registered as name, or nullptr.
const ExplorerEntry* find_explorer(std::string_view name);
/// The entry registered as name; throws InputError "unknown explorer 'NAME' (known: ...)".
const ExplorerEntry& explorer_entry(std::string_view name);
/// The registered names joined by ", " (for messages).
std::string explorer_name_list();

// The registered explorers, in the order the CLI lists them. NAME's entry is NAME_explorer_entry(),
// defined in NAME_explorer.cpp. This line is the registration: add a name here, nothing else.
#define CODSE_EXPLORERS(X) X(random) X(grid) X(nsga2) X(atne) X(epal)

#define CODSE_DECLARE_EXPLORER_ENTRY(name) ExplorerEntry name##_explorer_entry();
CODSE_EXPLORERS(CODSE_DECLARE_EXPLORER_ENTRY)
#undef CODSE_DECLARE_EXPLORER_ENTRY

// ---- Helpers for the NAME_explorer_entry() functions ----

/// One option of the typed options struct Options, made by bound_option(key, field, range, help):
/// field is a pointer to a member, or a callable taking Options& and returning a reference into
/// it (for nested fields). The type follows the field's: std::size_t is a count, double a real,
/// bool a flag; the default is the field's value in a default-constructed Options.
template <class Options>
struct BoundOption {
  OptionSpec spec;
  std::function<void(Options&, const OptionValue&)> assign;
};

template <class Options, class Access>
BoundOption<Options> bound_option(std::string key, Access access, OptionRange range, std::string help) {
  using Field = std::remove_cvref_t<std::invoke_result_t<Access&, Options&>>;
  static_assert(std::same_as<Field, std::size_t> || std::same_as<Field, double> || std::same_as<Field, bool>,
                "explorer options are std::size_t (count), double (real) or bool (flag)");
  Options defaults;
  const Field initial = std::invoke(access, defaults);
  OptionSpec spec;
  spec.key = std::move(key);
  spec.range = range;
  spec.help = std::move(help);
  if constexpr (std::same_as<Field, std::size_t>) {
    spec.type = OptionType::count;
    spec.default_value = static_cast<std::int64_t>(initial);
  } else if constexpr (std::same_as<Field, double>) {
    spec.type = OptionType::real;
    spec.default_value = initial;
  } else {
    spec.type = OptionType::flag;
    spec.default_value = initial;
  }
  return {std::move(spec), [access](Options& options, const OptionValue& value) {
            if constexpr (std::same_as<Field, std::size_t>)
              std::invoke(access, options) = static_cast<std::size_t>(std::get<std::int64_t>(value));
            else
              std::invoke(access, options) = std::get<Field>(value);
          }};
}

/// The entry of an explorer constructed as Explorer(setup, Options): the declared options are
/// applied to a default-constructed Options, so no options means Explorer(setup, Options{}).
template <class ExplorerType, class Options>
ExplorerEntry typed_explorer_entry(std::string name, std::string description, std::vector<BoundOption<Options>> options) {
  ExplorerEntry entry;
  entry.name = std::move(name);
  entry.description = std::move(description);
  std::vector<std::function<void(Options&, const OptionValue&)>> assigns;
  for (auto& option : options) {
    entry.options.push_back(option.spec);
    assigns.push_back(std::move(option.assign));
  }
  entry.build = [keys = entry.options, assigns = std::move(assigns)](const ExplorerSetup& setup,
                                                                       const ExplorerOptions& given) {
    Options typed;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (const auto* value = given.find(keys[i].key)) assigns[i](typed, *value);
    return std::unique_ptr<Explorer>(std::make_unique<ExplorerType>(setup, typed));
  };
  return entry;
}

/// The entry of an explorer without options, constructed as Explorer(setup).
template <class ExplorerType>
ExplorerEntry plain_explorer_entry(std::string name, std::string description) {
  return {std::move(name), std::move(description), {},
          [](const ExplorerSetup& setup, const ExplorerOptions&) {
            return std::unique_ptr<Explorer>(std::make_unique<ExplorerType>(setup));
          }};
}

}  // namespace codse
