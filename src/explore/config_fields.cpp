#include "explore/config_fields.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::explore {

void ConfigReader::fail(const YAML::Node& node, const std::string& key, const std::string& what) const {
  const int line = node.IsDefined() ? node.Mark().line + 1 : 0;
  if (line > 0) throw InputError(fmt::format("{}:{}: {}: {}", source_.string(), line, key, what));
  throw InputError(fmt::format("{}: {}: {}", source_.string(), key, what));
}

void ConfigReader::only_keys(const YAML::Node& map, const std::string& prefix,
                             const std::set<std::string>& allowed) const {
  for (const auto& entry : map) {
    const auto key = entry.first.as<std::string>();
    if (!allowed.contains(key)) {
      std::string names;
      for (const auto& name : allowed) names += (names.empty() ? "" : ", ") + name;
      fail(entry.first, prefix + key, fmt::format("unknown field (known: {})", names));
    }
  }
}

void ConfigReader::require_map(const YAML::Node& node, const std::string& key) const {
  if (!node.IsMap()) fail(node, key, "expected a mapping of fields");
}

std::string ConfigReader::text(const YAML::Node& node, const std::string& key) const {
  if (!node.IsScalar()) fail(node, key, "expected a string");
  return node.Scalar();
}

namespace {

/// yaml-cpp tags a quoted scalar "!" and a plain one "?": a quoted number is a string, as in
/// network files (docs/FORMATS.md).
bool quoted(const YAML::Node& node) { return node.Tag() == "!"; }

}  // namespace

double ConfigReader::number(const YAML::Node& node, const std::string& key, double min, double max) const {
  double value = 0.0;
  if (!node.IsScalar()) fail(node, key, "expected a number");
  if (quoted(node)) fail(node, key, fmt::format("expected a number, got the quoted string \"{}\" (drop the quotes)", node.Scalar()));
  try {
    std::size_t used = 0;
    value = std::stod(node.Scalar(), &used);
    if (used != node.Scalar().size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    fail(node, key, fmt::format("expected a number, got '{}'", node.Scalar()));
  }
  if (!std::isfinite(value) || value < min || value > max)
    fail(node, key, fmt::format("{} is out of range [{}, {}]", node.Scalar(), min, max));
  return value;
}

std::int64_t ConfigReader::integer(const YAML::Node& node, const std::string& key, std::int64_t min,
                                   std::int64_t max) const {
  if (!node.IsScalar()) fail(node, key, "expected an integer");
  if (quoted(node)) fail(node, key, fmt::format("expected an integer, got the quoted string \"{}\" (drop the quotes)", node.Scalar()));
  std::int64_t value = 0;
  try {
    std::size_t used = 0;
    value = std::stoll(node.Scalar(), &used);
    if (used != node.Scalar().size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    fail(node, key, fmt::format("expected an integer, got '{}'", node.Scalar()));
  }
  if (value < min || value > max) fail(node, key, fmt::format("{} is out of range [{}, {}]", value, min, max));
  return value;
}

std::vector<YAML::Node> ConfigReader::list(const YAML::Node& node, const std::string& key) const {
  std::vector<YAML::Node> items;
  if (node.IsScalar()) return {node};
  if (!node.IsSequence() || node.size() == 0) fail(node, key, "expected a non-empty list");
  for (const auto& item : node) items.push_back(item);
  return items;
}

std::pair<double, double> ConfigReader::range(const YAML::Node& node, const std::string& key, double lo,
                                              double hi) const {
  if (!node.IsSequence() || node.size() != 2) fail(node, key, "expected [min, max]");
  const double a = number(node[0], key, lo, hi), b = number(node[1], key, lo, hi);
  if (a > b) fail(node, key, fmt::format("min {} above max {}", a, b));
  return {a, b};
}

std::pair<std::int64_t, std::int64_t> ConfigReader::integer_range(const YAML::Node& node, const std::string& key,
                                                                  std::int64_t lo, std::int64_t hi) const {
  if (!node.IsSequence() || node.size() != 2) fail(node, key, "expected [min, max]");
  const std::int64_t a = integer(node[0], key, lo, hi), b = integer(node[1], key, lo, hi);
  if (a > b) fail(node, key, fmt::format("min {} above max {}", a, b));
  return {a, b};
}

void ConfigReader::refuse_duplicate_keys(const YAML::Node& node, const std::string& prefix) const {
  if (node.IsMap()) {
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
      if (!seen.insert(key).second) fail(entry.first, prefix + key, "appears twice in one mapping");
      refuse_duplicate_keys(entry.second, prefix + key + ".");
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) refuse_duplicate_keys(item, prefix);
  }
}

std::filesystem::path ConfigReader::path(const YAML::Node& node, const std::string& key) const {
  std::filesystem::path p = text(node, key);
  return p.is_absolute() ? p : source_.parent_path() / p;
}

std::string ConfigField::name() const {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

ConfigField ConfigField::required(std::string message) && {
  missing = std::move(message);
  return std::move(*this);
}

ConfigField ConfigField::formerly(std::string name) && {
  former_name = std::move(name);
  return std::move(*this);
}

ValueReader<double> number(double min, double max) {
  return [min, max](const ConfigReader& r, const YAML::Node& node, const std::string& key) {
    return r.number(node, key, min, max);
  };
}

ValueReader<std::string> text() {
  return [](const ConfigReader& r, const YAML::Node& node, const std::string& key) { return r.text(node, key); };
}

ValueReader<std::filesystem::path> path() {
  return [](const ConfigReader& r, const YAML::Node& node, const std::string& key) { return r.path(node, key); };
}

namespace {

void read_field(const ConfigReader& r, const ConfigField& field, const YAML::Node& parent, ExploreConfig& config) {
  // YAML::Node's assignment copies values, so choose the key first and look it up once.
  const bool former = !field.former_name.empty() && parent[field.former_name];
  if (former && parent[field.name()])
    r.fail(parent[field.former_name], field.key,
           fmt::format("given twice, as {} and as its former name {}", field.name(), field.former_name));
  const auto node = parent[former ? field.former_name : field.name()];
  if (!node) {
    if (!field.missing.empty()) r.fail(parent, field.key, field.missing);
    return;
  }
  field.read(r, node, config);
}

}  // namespace

void read_config_table(const ConfigReader& r, const YAML::Node& root, const std::vector<ConfigSection>& table,
                       ExploreConfig& config) {
  if (!root.IsMap()) r.fail(root, "(top level)", "expected a mapping of fields");
  std::set<std::string> top;
  for (const auto& section : table) {
    if (!section.name.empty()) top.insert(section.name);
    else
      for (const auto& field : section.fields) top.insert(field.key);
  }
  r.only_keys(root, "", top);
  for (const auto& section : table) {
    if (section.name.empty()) {
      for (const auto& field : section.fields) read_field(r, field, root, config);
      continue;
    }
    const auto node = root[section.name];
    if (!node) {
      if (!section.missing.empty()) r.fail(root, section.name, section.missing);
      continue;
    }
    if (section.before) section.before(r, node, config);
    r.require_map(node, section.name);
    std::set<std::string> names;
    for (const auto& field : section.fields) {
      names.insert(field.name());
      if (!field.former_name.empty()) names.insert(field.former_name);
    }
    r.only_keys(node, section.name + ".", names);
    for (const auto& field : section.fields) read_field(r, field, node, config);
    if (section.after) section.after(r, node, config);
  }
}

void apply_defaults(const std::vector<ConfigSection>& table, ExploreConfig& config) {
  for (const auto& section : table)
    for (const auto& field : section.fields)
      if (field.set_default) field.set_default(config);
}

nlohmann::json identity_of(const std::vector<ConfigSection>& table, const ExploreConfig& config) {
  ExploreConfig defaults;
  apply_defaults(table, defaults);
  nlohmann::json identity = nlohmann::json::object();
  for (const auto& section : table) {
    for (const auto& field : section.fields) {
      for (const auto& entry : field.identity) {
        auto value = entry.value(config);
        const bool include = entry.when == InIdentity::always ||
                             (entry.when == InIdentity::unless_default && value != entry.value(defaults)) ||
                             (entry.when == InIdentity::with_synthesis && config.fidelity == ExploreFidelity::synthesis);
        if (!include) continue;
        std::string pointer = "/" + entry.key;
        for (auto& c : pointer)
          if (c == '.') c = '/';
        identity[nlohmann::json::json_pointer(pointer)] = std::move(value);
      }
    }
  }
  return identity;
}

}  // namespace codse::explore
