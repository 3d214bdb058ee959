#include "explore/explore_config.hpp"

#include <algorithm>
#include <climits>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/content_hash.hpp"
#include "core/error.hpp"
#include "core/file_name.hpp"
#include "core/metric_catalog.hpp"
#include "explore/co_exploration_strategy.hpp"
#include "explore/config_fields.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::explore {
namespace {

// ---- ml_knobs ----

/// The morphism kinds ml_knobs.morphisms may name, and its default: every registered one.
std::vector<nn::MorphismKind> known_morphism_kinds() {
  const auto kinds = nn::all_morphism_kinds();
  return {kinds.begin(), kinds.end()};
}

/// ml_knobs.morphisms: one morphism kind by name (the one place its names are checked).
nn::MorphismKind read_morphism_kind(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  const auto name = r.text(node, key);
  if (const auto kind = nn::morphism_kind_from_string(name)) return *kind;
  std::string names;
  for (auto kind : nn::all_morphism_kinds()) names += (names.empty() ? "" : ", ") + std::string(nn::to_string(kind));
  r.fail(node, key, fmt::format("unknown morphism '{}' ({})", name, names));
}

ConfigSection ml_knobs_section() {
  using C = ExploreConfig;
  using K = MlKnobs;
  const auto names = [](const std::vector<nn::MorphismKind>& kinds) {
    nlohmann::json out = nlohmann::json::array();
    for (auto kind : kinds) out.push_back(nn::to_string(kind));
    return out;
  };
  return {"ml_knobs",
          {field("ml_knobs.morphisms", at(&C::ml, &K::morphisms), list_of<nn::MorphismKind>(read_morphism_kind),
                 InIdentity::always, defaults_to(known_morphism_kinds()), names),
           field("ml_knobs.max_params", at(&C::ml, &K::max_params), integer<std::int64_t>(1, 1'000'000'000),
                 InIdentity::always),
           field("ml_knobs.max_layers", at(&C::ml, &K::max_layers), integer<int>(1, 1000), InIdentity::always),
           field("ml_knobs.min_bits", at(&C::ml, &K::min_bits), integer<int>(1, 32), InIdentity::always),
           field("ml_knobs.max_sparsity", at(&C::ml, &K::max_sparsity), number(0.0, 0.99), InIdentity::always),
           range_field("ml_knobs.learning_rate", at(&C::ml, &K::learning_rate_min), at(&C::ml, &K::learning_rate_max),
                       1e-8, 10.0, InIdentity::always),
           range_field("ml_knobs.epochs", at(&C::ml, &K::epochs_min), at(&C::ml, &K::epochs_max), 1, 1000,
                       InIdentity::always),
           range_field("ml_knobs.batch_size", at(&C::ml, &K::batch_min), at(&C::ml, &K::batch_max), 1, 1 << 16,
                       InIdentity::always)}};
}

// ---- hardware ----

/// hardware.templates: one accelerator template by name or former name, read as its name (the one
/// place its names are read; the registry of hw/templates is their list).
std::string read_template(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  const auto* accelerator = hw::find_accelerator_template(r.text(node, key));
  if (!accelerator)
    r.fail(node, key, fmt::format("unknown template '{}' (known: {})", node.Scalar(), hw::accelerator_template_names()));
  return std::string(accelerator->name());
}

/// The catalog's device of that name (its own, case-insensitive, matching), or null.
const hw::Device* find_device(const hw::DeviceCatalog& catalog, const std::string& name) {
  try {
    return &catalog.find(name);
  } catch (const InputError&) {
    return nullptr;
  }
}

std::string known_device_names(const hw::DeviceCatalog& catalog) {
  std::string names;
  for (const auto& device : catalog.devices()) names += (names.empty() ? "" : ", ") + device.name;
  return names;
}

/// hardware.catalog: reads the device file into h.catalog_devices, and fingerprints its entries of
/// the listed devices: a resumed study must estimate with the same devices (a recalibrated file
/// changes the fingerprint), while moving or renaming the file does not matter. A file that cannot
/// be read or parsed fails naming the config line and the file.
void read_catalog(const ConfigReader& r, const YAML::Node& node, ExploreConfig& c) {
  auto& h = c.hardware;
  h.catalog = r.path(node, "hardware.catalog");
  std::ifstream in(h.catalog);
  if (!in) r.fail(node, "hardware.catalog", fmt::format("cannot read the device file {}", h.catalog.string()));
  std::stringstream text;
  text << in.rdbuf();
  try {
    h.catalog_devices = hw::DeviceCatalog::parse(text.str(), h.catalog.string());
  } catch (const InputError& error) {
    r.fail(node, "hardware.catalog", error.what());
  }
  const auto file = nlohmann::json::parse(text.str());  // valid: DeviceCatalog::parse accepted it
  const auto catalog = h.device_catalog();
  for (const auto& name : h.devices) {
    const auto* device = find_device(catalog, name);
    if (!device) continue;  // check_devices reports it
    // A file device keeps its own spelling in the merged catalog, so its entry matches exactly.
    for (const auto& entry : file.at("devices")) {
      if (entry.at("name").get<std::string>() != device->name) continue;
      ContentHash hash;
      hash.update(entry.dump());  // nlohmann::json sorts keys: formatting and key order do not matter
      h.catalog_fingerprints[device->name] = hash.hex().substr(0, 16);
    }
  }
}

/// Every listed device is in the built-in catalog or the file.
void check_devices(const ConfigReader& r, const YAML::Node& node, ExploreConfig& c) {
  const auto& h = c.hardware;
  const auto items = r.list(node["devices"], "hardware.devices");
  const auto catalog = h.device_catalog();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (find_device(catalog, h.devices[i])) continue;
    const auto known = known_device_names(catalog);
    if (h.catalog.empty())
      r.fail(items[i], "hardware.devices",
             fmt::format("unknown device '{}' (known: {}; add one with hardware.catalog: FILE)", h.devices[i], known));
    r.fail(items[i], "hardware.devices",
           fmt::format("unknown device '{}': in neither the built-in catalog nor {} (known: {})", h.devices[i],
                       h.catalog.string(), known));
  }
}

/// What a calibration is in a study's identity: "published" for none, else a hash of its entry.
nlohmann::json calibration_fingerprint(const hw::Calibration& calibration) {
  if (calibration.is_identity()) return "published";
  ContentHash hash;
  hash.update(calibration.to_json().dump());
  return hash.hex().substr(0, 16);
}

/// hardware.cost_model. In the identity: what each listed device's calibration in effect hashes
/// to ("published" for the formulas), which is what decides the estimates: a study estimated before
/// a recalibration, or before the built-in catalog carried calibrations, does not resume into a
/// mix of two cost models; asking for published on a device that has no calibration changes nothing.
ConfigField cost_model_field() {
  using C = ExploreConfig;
  using H = HardwareConfig;
  auto f = field("hardware.cost_model", at(&C::hardware, &H::cost_model),
                 named<hw::CostModel>([](const std::string& name) { return hw::cost_model_named(name); }, "cost model",
                                      "calibrated, published"),
                 InIdentity::no);
  f.identity.push_back({"hardware.cost_model",
                        [](const C& c) -> nlohmann::json {
                          const auto catalog = c.hardware.device_catalog();
                          nlohmann::json calibrations = nlohmann::json::object();
                          for (const auto& name : c.hardware.devices)
                            if (const auto* device = find_device(catalog, name))  // else check_devices refuses
                              calibrations[device->name] = calibration_fingerprint(catalog.calibration(device->name));
                          return calibrations;
                        },
                        InIdentity::always});
  return f;
}

ConfigSection hardware_section() {
  using C = ExploreConfig;
  using H = HardwareConfig;
  ConfigField catalog;
  catalog.key = "hardware.catalog";
  catalog.read = read_catalog;
  // The file's name, as for the networks (a moved study still resumes), and what its entries of the
  // listed devices hash to (a recalibrated catalog does not resume the study).
  catalog.identity.push_back({"hardware.catalog",
                              [](const C& c) -> nlohmann::json {
                                if (c.hardware.catalog.empty()) return nullptr;
                                return {{"file", c.hardware.catalog.filename().string()},
                                        {"devices", c.hardware.catalog_fingerprints}};
                              },
                              InIdentity::unless_default});
  ConfigSection s{"hardware",
                  {field("hardware.devices", at(&C::hardware, &H::devices), list_of(text()), InIdentity::always)
                       .required("missing (e.g. [XC7Z020])"),
                   std::move(catalog),
                   field("hardware.templates", at(&C::hardware, &H::templates), list_of<std::string>(read_template),
                         InIdentity::always,
                         defaults_to(std::vector{std::string(hw::accelerator_templates().front()->name())})),
                   field("hardware.clocks_mhz", at(&C::hardware, &H::clocks_mhz), list_of(number(1.0, 2000.0)),
                         InIdentity::always),
                   field("hardware.mappings_per_network", at(&C::hardware, &H::mappings_per_network),
                         integer<std::size_t>(1, 1000), InIdentity::always),
                   cost_model_field()},
                  "missing (e.g. hardware: {devices: [XC7Z020]})"};
  s.after = check_devices;
  return s;
}

// ---- objectives, constraints ----

/// Why a metric cannot be searched by: unknown, or (test_error) measured only after the search.
std::string not_a_search_metric(const std::string& metric) {
  if (find_metric(metric))
    return fmt::format("metric '{}' is not measured during the search (a search metric is one of: {})", metric,
                       metric_list(joint_metric_names()));
  return fmt::format("unknown metric '{}'", metric);
}

std::vector<Objective> read_objectives(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  const auto& known = joint_metric_names();
  std::vector<Objective> objectives;
  for (const auto& item : r.list(node, key)) {
    Objective objective;
    try {
      objective = Objective::parse(r.text(item, key));
    } catch (const InputError& error) {
      r.fail(item, key, error.what());
    }
    if (std::find(known.begin(), known.end(), objective.metric) == known.end())
      r.fail(item, key, not_a_search_metric(objective.metric));
    // A metric twice (or error and accuracy, the same thing) would count as a second objective.
    const auto model_error = [](const std::string& m) { return m == "error" || m == "accuracy"; };
    for (const auto& earlier : objectives)
      if (earlier.metric == objective.metric || (model_error(earlier.metric) && model_error(objective.metric)))
        r.fail(item, key, fmt::format("the metric {} is an objective twice ({} and {})", objective.metric,
                                      earlier.to_string(), objective.to_string()));
    objectives.push_back(objective);
  }
  if (objectives.front().metric != "error" && objectives.front().metric != "accuracy")
    r.fail(node, key, "the first objective must be error:min or accuracy:max");
  if (objectives.size() < 2) r.fail(node, key, "expected error and at least one hardware objective");
  return objectives;
}

/// constraints: metric bounds, and "fits" (the default) or "any_size" (must_fit false).
void read_constraints(const ConfigReader& r, const YAML::Node& node, ExploreConfig& c) {
  const auto& known = joint_metric_names();
  for (const auto& item : r.list(node, "constraints")) {
    const auto text = r.text(item, "constraints");
    if (text == "fits") continue;  // the default; written for clarity
    if (text == "any_size") {
      c.must_fit = false;
      continue;
    }
    MetricBound bound;
    try {
      bound = MetricBound::parse(text);
    } catch (const InputError& error) {
      r.fail(item, "constraints", std::string(error.what()) + " (or 'fits')");
    }
    if (std::find(known.begin(), known.end(), bound.metric) == known.end())
      r.fail(item, "constraints", not_a_search_metric(bound.metric));
    c.constraints.push_back(bound);
  }
}

ConfigField constraints_field() {
  ConfigField f;
  f.key = "constraints";
  f.read = read_constraints;
  f.identity = {{"constraints",
                 [](const ExploreConfig& c) {
                   nlohmann::json out = nlohmann::json::array();
                   for (const auto& b : c.constraints) out.push_back(b.to_string());
                   return out;
                 }},
                {"must_fit", [](const ExploreConfig& c) { return nlohmann::json(c.must_fit); }}};
  return f;
}

// ---- budget ----

ConfigSection budget_section() {
  using C = ExploreConfig;
  // Not part of the identity, so a finished study can be extended.
  ConfigSection s{"budget",
                  {field("budget.networks", at(&C::budget_networks), integer<std::size_t>(1, 1'000'000), InIdentity::no),
                   field("budget.minutes", at(&C::budget_minutes), number(0.01, 1e6), InIdentity::no)},
                  "missing (e.g. budget: {networks: 40, minutes: 14})"};
  s.after = [](const ConfigReader& r, const YAML::Node& node, ExploreConfig& c) {
    if (c.budget_networks == 0 && c.budget_minutes == 0.0) r.fail(node, "budget", "expected networks and/or minutes");
  };
  return s;
}

// ---- top level ----

std::vector<std::filesystem::path> read_networks(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  std::vector<std::filesystem::path> networks;
  for (const auto& item : r.list(node, key)) {
    networks.push_back(r.path(item, key));
    std::error_code error;  // the overload that throws would leak "File name too long" as a filesystem_error
    if (!std::filesystem::is_regular_file(networks.back(), error))
      r.fail(item, key, fmt::format("no such file {}{}", networks.back().string(), error ? " (" + error.message() + ")" : ""));
  }
  return networks;
}

std::optional<ExploreFidelity> fidelity_named(const std::string& name) {
  if (name == "analytic") return ExploreFidelity::analytic;
  if (name == "synthesis") return ExploreFidelity::synthesis;
  return std::nullopt;
}

const char* to_string(ExploreFidelity fidelity) {
  return fidelity == ExploreFidelity::analytic ? "analytic" : "synthesis";
}

/// name: the study's name, which is also the store's file name without --db: a plain name only.
std::string read_study_name(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  auto name = r.text(node, key);
  if (const auto why = not_a_plain_file_name(name))
    r.fail(node, key, fmt::format("'{}' is not a plain file name: {}", name, *why));
  return name;
}

/// strategy: a registered co-exploration strategy by name (the one place the name is checked).
std::string read_strategy(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  auto name = r.text(node, key);
  if (!find_strategy(name)) r.fail(node, key, fmt::format("unknown strategy '{}' (known: {})", name, strategy_names()));
  return name;
}

/// SHA-256 of each network file's bytes.
std::vector<std::string> network_contents(const std::vector<std::filesystem::path>& networks) {
  std::vector<std::string> out;
  for (const auto& path : networks) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!in) throw InputError(fmt::format("{}: cannot read the network file", path.string()));
    ContentHash hash;
    hash.update(bytes.str());
    out.push_back(hash.hex());
  }
  return out;
}

std::vector<ConfigSection> make_table() {
  using C = ExploreConfig;
  const auto network_names = [](const std::vector<std::filesystem::path>& networks) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& n : networks) out.push_back(n.filename().string());  // a moved study still resumes
    return out;
  };
  const auto objective_names = [](const std::vector<Objective>& objectives) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : objectives) out.push_back(o.to_string());
    return out;
  };
  std::vector<ConfigSection> table;
  // Not part of the identity: the name is the study's key (the default, the file's stem, is set by parse).
  table.push_back({"",
                   {field("name", at(&C::name), ValueReader<std::string>(read_study_name), InIdentity::no),
                    field("seed", at(&C::seed), integer<std::uint64_t>(0, INT64_MAX), InIdentity::always)}});
  table.push_back(dataset_section());
  auto networks = field("networks", at(&C::networks), ValueReader<std::vector<std::filesystem::path>>(read_networks),
                        InIdentity::always, {}, network_names)
                      .required("missing: the starting network file(s)");
  // What the files hold when the config is read: an edited network file does not resume the study
  // (its name alone would).
  networks.read = [read = networks.read](const ConfigReader& r, const YAML::Node& node, C& c) {
    read(r, node, c);
    c.network_contents = network_contents(c.networks);
  };
  networks.identity.push_back({"network_contents", [](const C& c) { return nlohmann::json(c.network_contents); },
                               InIdentity::always});
  table.push_back({"", {std::move(networks)}});
  table.push_back(training_section());
  table.push_back(ml_knobs_section());
  table.push_back(hardware_section());
  table.push_back({"",
                   {field("objectives", at(&C::objectives), ValueReader<std::vector<Objective>>(read_objectives),
                          InIdentity::always,
                          defaults_to(std::vector{Objective::parse("error:min"), Objective::parse("lut:min"),
                                                  Objective::parse("latency_us:min")}),
                          objective_names),
                    constraints_field()}});
  table.push_back(budget_section());
  table.push_back({"",
                   {field("fidelity", at(&C::fidelity),
                          named<ExploreFidelity>(fidelity_named, "fidelity", "analytic, synthesis"), InIdentity::always,
                          {}, [](const ExploreFidelity& f) { return nlohmann::json(to_string(f)); })}});
  table.push_back(synthesis_section());
  // Written only when not the default, so studies stored before the field existed still resume.
  table.push_back({"",
                   {field("strategy", at(&C::strategy), read_strategy, InIdentity::unless_default)}});
  table.push_back(lemonade_section());
  return table;
}

}  // namespace

const std::vector<ConfigSection>& explore_config_table() {
  static const std::vector<ConfigSection> table = make_table();
  return table;
}

hw::DeviceCatalog HardwareConfig::device_catalog() const {
  auto merged = hw::DeviceCatalog::builtin();
  merged.extend(catalog_devices);  // as codse hw estimate --devices: added, or replacing the same name
  return merged.with_cost_model(cost_model);
}


const std::vector<std::string>& joint_metric_names() {
  static const std::vector<std::string> names = [] {
    auto all = metric_names(MetricSource::network, true);
    for (auto& name : metric_names(MetricSource::hardware, true)) all.push_back(std::move(name));
    return all;
  }();
  return names;
}

ExploreConfig parse_explore_config(const std::string& text, const std::filesystem::path& source) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw InputError(fmt::format("{}:{}: {}", source.string(), error.mark.line + 1, error.msg));
  }
  const ConfigReader r(source);
  r.refuse_duplicate_keys(root);
  const auto& table = explore_config_table();
  ExploreConfig c;
  c.source = source;
  c.name = source.stem().string();
  apply_defaults(table, c);
  read_config_table(r, root, table, c);
  c.training.seed = c.seed;
  if (c.fidelity == ExploreFidelity::synthesis && !find_strategy(c.strategy)->maps_with_the_hal)
    r.fail(root["fidelity"], "fidelity",
           fmt::format("synthesis needs a strategy that maps with the HAL's fronts (lemonade), not {}", c.strategy));
  try {
    c.training.validate();
  } catch (const InputError& error) {
    r.fail(root["training"], "training", error.what());
  }
  return c;
}

ExploreConfig load_explore_config(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot read the config file", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse_explore_config(text.str(), path);
}

nlohmann::json ExploreConfig::upgrade_identity(nlohmann::json stored) const {
  if (!stored.is_object()) return stored;
  // Studies stored before the contents were recorded resume on the files' names, as they did then.
  if (!stored.contains("network_contents") && stored.value("networks", nlohmann::json()) == identity()["networks"])
    stored["network_contents"] = network_contents;
  if (stored.contains("hardware") && stored["hardware"].contains("templates"))
    for (auto& spelling : stored["hardware"]["templates"])
      if (spelling.is_string())
        if (const auto* accelerator = hw::find_accelerator_template(spelling.get<std::string>()))
          spelling = std::string(accelerator->name());
  // Studies stored before the built-in catalog carried calibrations estimated a hardware.catalog
  // file's devices with the file's calibration and the others with the published formulas.
  if (stored.contains("hardware") && stored["hardware"].is_object() && !stored["hardware"].contains("cost_model")) {
    auto then = identity()["hardware"]["cost_model"];
    for (auto& [device, calibration] : then.items()) {
      const auto* file_device = find_device(hardware.catalog_devices, device);
      calibration = file_device ? calibration_fingerprint(hardware.catalog_devices.calibration(file_device->name))
                                : nlohmann::json("published");
    }
    stored["hardware"]["cost_model"] = then;
  }
  if (stored.contains("synthesis") && stored["synthesis"].contains("learner")) {
    stored["synthesis"]["explorer"] = stored["synthesis"]["learner"];
    stored["synthesis"].erase("learner");
  }
  return stored;
}

nlohmann::json ExploreConfig::identity() const {
  auto identity = identity_of(explore_config_table(), *this);
  identity["kind"] = "explore";
  // Studies stored before it measured the error objective on the test set: their trials must not
  // mix with validation errors, so they do not resume (the refusal names this field).
  identity["error_split"] = "validation";
  return identity;
}

}  // namespace codse::explore
