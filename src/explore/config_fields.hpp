#pragma once
// The explore config as one table of fields. Every YAML key is one row, written once: its dotted
// key ("training.epochs"), how its value is read and checked (a ValueReader: type, range, names),
// its default when the owning struct's initialiser is not it, and when it enters the study's
// identity (ExploreConfig::identity, derived from the rows, so a new field cannot be forgotten).
// The rows of each section sit beside the code that owns the section:
//   name, seed, networks, ml_knobs, hardware, objectives, constraints, budget, fidelity, strategy:
//                explore_config.cpp
//   dataset:     explore_dataset.cpp (beside load_explore_dataset)
//   training:    network_training.cpp (beside the trainer call)
//   synthesis:   mapping_synthesis.cpp
//   lemonade:    lemonade_strategy.cpp
// Unknown keys, ill-typed values and failed checks are InputErrors naming the file, line and key:
// "mnist.yaml:12: training.epochs: expected an integer, got 'one'".

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "explore/explore_config.hpp"

namespace codse::explore {

/// Reads YAML values; every error names file:line and the dotted key.
class ConfigReader {
 public:
  explicit ConfigReader(std::filesystem::path source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& what) const;
  /// Fails naming the first key of map that is not in allowed.
  void only_keys(const YAML::Node& map, const std::string& prefix, const std::set<std::string>& allowed) const;
  void require_map(const YAML::Node& node, const std::string& key) const;

  std::string text(const YAML::Node& node, const std::string& key) const;
  double number(const YAML::Node& node, const std::string& key, double min, double max) const;
  std::int64_t integer(const YAML::Node& node, const std::string& key, std::int64_t min, std::int64_t max) const;
  /// A list of scalars; a single scalar counts as a list of one.
  std::vector<YAML::Node> list(const YAML::Node& node, const std::string& key) const;
  /// [min, max] as a two-element list.
  std::pair<double, double> range(const YAML::Node& node, const std::string& key, double lo, double hi) const;
  /// [min, max] of integers (2.7 is refused, not truncated).
  std::pair<std::int64_t, std::int64_t> integer_range(const YAML::Node& node, const std::string& key, std::int64_t lo,
                                                      std::int64_t hi) const;
  /// Fails naming the first key that appears twice in one mapping anywhere under node (yaml-cpp
  /// keeps both; a lookup would silently take one).
  void refuse_duplicate_keys(const YAML::Node& node, const std::string& prefix = "") const;
  /// A path; relative ones are relative to the config file.
  std::filesystem::path path(const YAML::Node& node, const std::string& key) const;

  const std::filesystem::path& source() const { return source_; }

 private:
  std::filesystem::path source_;
};

/// When a row enters the study's identity (the settings a resumed run must share).
enum class InIdentity {
  no,
  always,
  unless_default,  // only when it differs from the default, so studies stored before the field existed resume
  with_synthesis,  // only with fidelity: synthesis
};

/// One entry of the identity JSON: a dotted key ("hardware.catalog" is {"hardware": {"catalog": ...}}).
struct IdentityEntry {
  std::string key;
  std::function<nlohmann::json(const ExploreConfig&)> value;
  InIdentity when = InIdentity::always;
};

/// One YAML key.
struct ConfigField {
  std::string key;  // dotted: "training.epochs"; without a dot, a top-level field
  /// Reads and checks the value into the config (called only when the key is present).
  std::function<void(const ConfigReader&, const YAML::Node&, ExploreConfig&)> read;
  /// Sets the default; empty when the owning struct's initialiser is the default.
  std::function<void(ExploreConfig&)> set_default;
  std::string missing;  // non-empty: the key is required, and this is the message when it is absent
  std::vector<IdentityEntry> identity;  // empty: not part of the study's identity
  std::string former_name;  // the name older configs used inside the section, still read ("learner")

  /// The last part of the key: its name inside its section.
  std::string name() const;
  /// Marks the field required, with the message for when it is absent.
  ConfigField required(std::string message) &&;
  /// Also reads the field under the name older configs used.
  ConfigField formerly(std::string name) &&;
};

/// A section of fields (a YAML mapping such as training:), or the top-level fields (name empty).
struct ConfigSection {
  ConfigSection(std::string name_in, std::vector<ConfigField> fields_in, std::string missing_in = {})
      : name(std::move(name_in)), fields(std::move(fields_in)), missing(std::move(missing_in)) {}

  std::string name;
  std::vector<ConfigField> fields;
  std::string missing;  // non-empty: the section is required; the message when it is absent
  /// Runs before the section's fields are read, when it is present (e.g. synthesis needs fidelity: synthesis).
  std::function<void(const ConfigReader&, const YAML::Node& section, const ExploreConfig&)> before;
  /// Checks across the section's fields once they are read (e.g. lemonade.accepted <= lemonade.generated).
  std::function<void(const ConfigReader&, const YAML::Node& section, ExploreConfig&)> after;
};

/// Reads one value of type T: type and check; key names it in messages.
template <class T>
using ValueReader = std::function<T(const ConfigReader&, const YAML::Node&, const std::string& key)>;

/// Where a value lives in ExploreConfig: a top-level member or a member of a section's struct.
template <class T>
struct Slot {
  std::function<T&(ExploreConfig&)> get;
  const T& operator()(const ExploreConfig& config) const { return get(const_cast<ExploreConfig&>(config)); }
  T& operator()(ExploreConfig& config) const { return get(config); }
};
template <class T>
Slot<T> at(T ExploreConfig::*member) {
  return {[member](ExploreConfig& c) -> T& { return c.*member; }};
}
template <class S, class T>
Slot<T> at(S ExploreConfig::*section, T S::*member) {
  return {[section, member](ExploreConfig& c) -> T& { return c.*section.*member; }};
}

/// A row's default when the owning struct's initialiser is not it: defaults_to(2).
template <class T>
struct DefaultValue {
  bool given = false;
  T value{};
};
template <class T>
DefaultValue<T> defaults_to(T value) {
  return {true, std::move(value)};
}

/// A row: key, where the value lives, how it is read, when it is part of the identity, its default
/// (none: the struct's initialiser) and how it is written in the identity (default: as JSON).
template <class T>
ConfigField field(std::string key, Slot<T> slot, std::type_identity_t<ValueReader<T>> reader, InIdentity identity,
                  std::type_identity_t<DefaultValue<T>> fallback = {},
                  std::type_identity_t<std::function<nlohmann::json(const T&)>> to_json = nullptr) {
  ConfigField f;
  f.key = key;
  f.read = [slot, reader, key](const ConfigReader& r, const YAML::Node& node, ExploreConfig& c) {
    slot(c) = reader(r, node, key);
  };
  if (fallback.given) f.set_default = [slot, value = fallback.value](ExploreConfig& c) { slot(c) = value; };
  if (identity != InIdentity::no) {
    if constexpr (!std::is_constructible_v<nlohmann::json, const T&>)
      if (!to_json) throw std::logic_error(key + ": a field in the identity needs its JSON form");
    auto value = [slot, to_json](const ExploreConfig& c) -> nlohmann::json {
      if constexpr (std::is_constructible_v<nlohmann::json, const T&>)
        if (!to_json) return nlohmann::json(slot(c));
      return to_json(slot(c));
    };
    f.identity.push_back({key, std::move(value), identity});
  }
  return f;
}

/// A [min, max] pair kept in two members (ml_knobs.epochs); written [min, max] in the identity.
template <class T>
ConfigField range_field(std::string key, Slot<T> min, Slot<T> max, double lo, double hi, InIdentity identity) {
  ConfigField f;
  f.key = key;
  f.read = [min, max, lo, hi, key](const ConfigReader& r, const YAML::Node& node, ExploreConfig& c) {
    if constexpr (std::is_integral_v<T>) {
      const auto [a, b] = r.integer_range(node, key, static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi));
      min(c) = static_cast<T>(a), max(c) = static_cast<T>(b);
    } else {
      const auto [a, b] = r.range(node, key, lo, hi);
      min(c) = static_cast<T>(a), max(c) = static_cast<T>(b);
    }
  };
  if (identity != InIdentity::no)
    f.identity.push_back({key, [min, max](const ExploreConfig& c) { return nlohmann::json{min(c), max(c)}; }, identity});
  return f;
}

// The readers of the table's rows.
template <class T>
ValueReader<T> integer(std::int64_t min, std::int64_t max) {
  return [min, max](const ConfigReader& r, const YAML::Node& node, const std::string& key) {
    return static_cast<T>(r.integer(node, key, min, max));
  };
}
ValueReader<double> number(double min, double max);
ValueReader<std::string> text();
ValueReader<std::filesystem::path> path();
/// One name of a closed list: parse returns nothing for an unknown name, which fails as
/// "unknown <what> '<name>' (<known>)".
template <class T>
ValueReader<T> named(std::function<std::optional<T>(const std::string&)> parse, std::string what, std::string known) {
  return [parse, what, known](const ConfigReader& r, const YAML::Node& node, const std::string& key) {
    const auto name = r.text(node, key);
    const auto value = parse(name);
    if (!value) r.fail(node, key, "unknown " + what + " '" + name + "' (" + known + ")");
    return *value;
  };
}
/// A non-empty list (or a single item), each item read by item.
template <class T>
ValueReader<std::vector<T>> list_of(ValueReader<T> item) {
  return [item](const ConfigReader& r, const YAML::Node& node, const std::string& key) {
    std::vector<T> values;
    for (const auto& entry : r.list(node, key)) values.push_back(item(r, entry, key));
    return values;
  };
}

// The sections whose rows sit beside their owners (see the top of this file).
ConfigSection dataset_section();
ConfigSection training_section();
ConfigSection synthesis_section();
ConfigSection lemonade_section();

/// The whole table, in reading order (the order of the first error reported).
const std::vector<ConfigSection>& explore_config_table();

/// Reads a YAML document by the table: unknown keys, missing required keys and sections, each row.
void read_config_table(const ConfigReader& r, const YAML::Node& root, const std::vector<ConfigSection>& table,
                       ExploreConfig& config);
/// Sets every row's default (rows without one keep the struct's initialiser).
void apply_defaults(const std::vector<ConfigSection>& table, ExploreConfig& config);
/// The identity entries of the table's rows for config.
nlohmann::json identity_of(const std::vector<ConfigSection>& table, const ExploreConfig& config);

}  // namespace codse::explore
