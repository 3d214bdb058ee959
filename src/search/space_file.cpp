#include "search/space_file.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/content_hash.hpp"
#include "core/error.hpp"
#include "core/knob_expression.hpp"

namespace codse {
namespace {

namespace fs = std::filesystem;

/// "FILE:LINE:COLUMN" of a YAML node, for messages.
std::string where(const fs::path& path, const YAML::Node& node) {
  const auto mark = node.Mark();
  if (mark.line < 0) return path.string();
  return fmt::format("{}:{}:{}", path.string(), mark.line + 1, mark.column + 1);
}

double number_of(const fs::path& path, const YAML::Node& node, const std::string& field) {
  if (node.IsScalar()) {
    const auto& text = node.Scalar();
    std::istringstream in(text);
    double value = 0.0;
    in >> value;
    if (!text.empty() && in && in.peek() == EOF && std::isfinite(value)) return value;
  }
  throw InputError(fmt::format("{}: {}: expected a finite number", where(path, node), field));
}

bool is_number(const YAML::Node& node) {
  if (!node.IsScalar()) return false;
  std::istringstream in(node.Scalar());
  double value = 0.0;
  in >> value;
  return !node.Scalar().empty() && in && in.peek() == EOF;
}

/// {range: [lo, hi]} or {range: [lo, hi, step]}: lo, lo+step, ... up to hi.
Knob range_knob(const fs::path& path, const std::string& name, const YAML::Node& node) {
  const auto field = fmt::format("knobs.{}", name);
  if (!node.IsMap() || node.size() != 1 || !node["range"])
    throw InputError(fmt::format("{}: {}: expected a list of values or {{range: [lo, hi, step]}}", where(path, node), field));
  const auto range = node["range"];
  if (!range.IsSequence() || range.size() < 2 || range.size() > 3)
    throw InputError(fmt::format("{}: {}.range: expected [lo, hi] or [lo, hi, step]", where(path, range), field));
  const double lo = number_of(path, range[0], field + ".range[0]");
  const double hi = number_of(path, range[1], field + ".range[1]");
  const double step = range.size() == 3 ? number_of(path, range[2], field + ".range[2]") : 1.0;
  if (!(step > 0.0))
    throw InputError(fmt::format("{}: {}.range: the step {} must be positive", where(path, range), field, step));
  if (hi < lo)
    throw InputError(fmt::format("{}: {}.range: hi {} is below lo {}", where(path, range), field, hi, lo));
  if ((hi - lo) / step > 1e6)
    throw InputError(fmt::format("{}: {}.range: more than a million values", where(path, range), field));
  std::vector<double> values;
  // Counted steps, not repeated additions, so 0.1 steps do not drift past hi.
  const auto count = static_cast<std::size_t>(std::floor((hi - lo) / step * (1 + 1e-12))) + 1;
  // Rounded to 12 digits: 0.1 * 3 is 0.3 in the command line, not 0.30000000000000004.
  for (std::size_t i = 0; i < count; ++i)
    values.push_back(std::stod(fmt::format("{:.12g}", lo + static_cast<double>(i) * step)));
  return Knob::choice(name, values);
}

Knob list_knob(const fs::path& path, const std::string& name, const YAML::Node& node) {
  const auto field = fmt::format("knobs.{}", name);
  if (node.size() == 0) throw InputError(fmt::format("{}: {}: the list of values is empty", where(path, node), field));
  bool numbers = true;
  for (const auto& value : node) {
    if (!value.IsScalar())
      throw InputError(fmt::format("{}: {}: expected a number or a label, found a list or map", where(path, value), field));
    numbers = numbers && is_number(value);
  }
  if (numbers) {
    std::vector<double> values;
    for (std::size_t i = 0; i < node.size(); ++i)
      values.push_back(number_of(path, node[i], fmt::format("{}[{}]", field, i)));
    return Knob::choice(name, values);
  }
  std::vector<std::string> labels;
  for (const auto& value : node) {
    for (const auto& seen : labels)
      if (seen == value.Scalar())
        throw InputError(fmt::format("{}: {}: the label '{}' appears twice", where(path, value), field, seen));
    labels.push_back(value.Scalar());
  }
  return Knob::labels(name, labels);
}

std::vector<Knob> read_knobs(const fs::path& path, const YAML::Node& node) {
  if (!node || !node.IsMap() || node.size() == 0)
    throw InputError(fmt::format("{}: knobs: expected a map of knob names to value lists or ranges", where(path, node)));
  std::vector<Knob> knobs;
  for (const auto& entry : node) {
    const auto name = entry.first.as<std::string>();
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
      throw InputError(fmt::format("{}: knobs: '{}' is not a knob name (letters, digits and _, not starting with a digit)",
                                   where(path, entry.first), name));
    knobs.push_back(entry.second.IsSequence() ? list_knob(path, name, entry.second) : range_knob(path, name, entry.second));
  }
  return knobs;
}

std::vector<Constraint> read_constraints(const fs::path& path, const YAML::Node& node, const std::vector<Knob>& knobs) {
  std::vector<Constraint> constraints;
  if (!node) return constraints;
  if (!node.IsSequence())
    throw InputError(fmt::format("{}: constraints: expected a list of expressions", where(path, node)));
  std::vector<std::string> names;
  for (const auto& knob : knobs) names.push_back(knob.name());
  for (std::size_t i = 0; i < node.size(); ++i) {
    if (!node[i].IsScalar())
      throw InputError(fmt::format("{}: constraints[{}]: expected an expression as text", where(path, node[i]), i));
    const auto text = node[i].Scalar();
    try {
      auto expression = KnobExpression::parse(text, names);
      constraints.push_back({text, [expression](const Design& design) { return expression.holds(design.values); }});
    } catch (const ExpressionError& error) {
      throw InputError(fmt::format("{}: constraints[{}] \"{}\": {}", where(path, node[i]), i, text, error.what()));
    }
  }
  return constraints;
}

std::vector<Objective> read_objectives(const fs::path& path, const YAML::Node& node) {
  std::vector<Objective> objectives;
  if (!node) return objectives;
  if (!node.IsSequence())
    throw InputError(fmt::format("{}: objectives: expected a list of NAME:min or NAME:max", where(path, node)));
  for (std::size_t i = 0; i < node.size(); ++i) {
    try {
      objectives.push_back(Objective::parse(node[i].IsScalar() ? node[i].Scalar() : std::string()));
    } catch (const InputError& error) {
      throw InputError(fmt::format("{}: objectives[{}]: {}", where(path, node[i]), i, error.what()));
    }
  }
  require_distinct_objectives(objectives, path.string() + ": objectives");
  return objectives;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the space file (no such file or unreadable)", path.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

SpaceFile SpaceFile::load(const fs::path& path, std::size_t max_designs) {
  SpaceFile file;
  file.path = path;
  const auto bytes = read_bytes(path);
  ContentHash hash;
  hash.update(bytes);
  file.sha256 = hash.hex();

  YAML::Node root;
  try {
    root = YAML::Load(bytes);
  } catch (const YAML::Exception& error) {
    throw InputError(fmt::format("{}:{}:{}: not valid YAML: {}", path.string(), error.mark.line + 1,
                                 error.mark.column + 1, error.msg));
  }
  if (!root.IsMap()) throw InputError(fmt::format("{}: expected a map with knobs, constraints, objectives", path.string()));
  for (const auto& entry : root) {
    const auto key = entry.first.as<std::string>();
    if (key != "knobs" && key != "constraints" && key != "objectives")
      throw InputError(fmt::format("{}: unknown field '{}' (known: knobs, constraints, objectives)", where(path, entry.first), key));
  }
  try {
    auto knobs = read_knobs(path, root["knobs"]);
    auto constraints = read_constraints(path, root["constraints"], knobs);
    file.objectives = read_objectives(path, root["objectives"]);
    file.space = Space(std::move(knobs), std::move(constraints));
  } catch (const YAML::Exception& error) {
    throw InputError(fmt::format("{}:{}:{}: {}", path.string(), error.mark.line + 1, error.mark.column + 1, error.msg));
  }
  // 100x the legal limit: past that, enumerating the combinations alone takes too long.
  const double combinations = file.space.cardinality();
  if (combinations > 100.0 * static_cast<double>(max_designs))
    throw InputError(fmt::format("{}: the knobs have {:.3g} combinations; at most {} can be enumerated", path.string(),
                                 combinations, 100 * max_designs));
  // Stops at the first design past the limit: a space of 10^8 legal combinations is refused
  // without holding them all.
  for (std::size_t i = 0; i < static_cast<std::size_t>(combinations); ++i) {
    auto design = file.space.decode(i);
    bool legal = true;
    for (const auto& constraint : file.space.constraints()) legal = legal && constraint.holds(design);
    if (!legal) continue;
    if (file.designs.size() == max_designs)
      throw InputError(fmt::format("{}: more than {} legal designs, the most a space may have; narrow the knobs or "
                                   "add constraints",
                                   path.string(), max_designs));
    file.designs.push_back(std::move(design));
  }
  if (file.designs.empty())
    throw InputError(fmt::format("{}: no knob combination satisfies every constraint", path.string()));
  return file;
}

}  // namespace codse
