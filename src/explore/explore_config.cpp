#include "explore/explore_config.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"
#include "core/content_hash.hpp"
#include "hw/templates/template_registry.hpp"
#include "nn/data/dataset_loader.hpp"
#include "search/explorer_registry.hpp"

namespace codse::explore {
namespace {

/// Reads one YAML document field by field; every error names file:line and the dotted field.
class Reader {
 public:
  explicit Reader(std::filesystem::path source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& field, const std::string& what) const {
    const int line = node.IsDefined() ? node.Mark().line + 1 : 0;
    if (line > 0) throw InputError(fmt::format("{}:{}: {}: {}", source_.string(), line, field, what));
    throw InputError(fmt::format("{}: {}: {}", source_.string(), field, what));
  }

  /// Fails naming the first key of map that is not in allowed.
  void only_keys(const YAML::Node& map, const std::string& prefix, const std::set<std::string>& allowed) const {
    for (const auto& entry : map) {
      const auto key = entry.first.as<std::string>();
      if (!allowed.contains(key)) {
        std::string names;
        for (const auto& name : allowed) names += (names.empty() ? "" : ", ") + name;
        fail(entry.first, prefix + key, fmt::format("unknown field (known: {})", names));
      }
    }
  }

  void require_map(const YAML::Node& node, const std::string& field) const {
    if (!node.IsMap()) fail(node, field, "expected a mapping of fields");
  }

  std::string text(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) fail(node, field, "expected a string");
    return node.Scalar();
  }

  double number(const YAML::Node& node, const std::string& field, double min, double max) const {
    double value = 0.0;
    if (!node.IsScalar()) fail(node, field, "expected a number");
    try {
      std::size_t used = 0;
      value = std::stod(node.Scalar(), &used);
      if (used != node.Scalar().size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      fail(node, field, fmt::format("expected a number, got '{}'", node.Scalar()));
    }
    if (!std::isfinite(value) || value < min || value > max)
      fail(node, field, fmt::format("{} is out of range [{}, {}]", node.Scalar(), min, max));
    return value;
  }

  std::int64_t integer(const YAML::Node& node, const std::string& field, std::int64_t min, std::int64_t max) const {
    if (!node.IsScalar()) fail(node, field, "expected an integer");
    std::int64_t value = 0;
    try {
      std::size_t used = 0;
      value = std::stoll(node.Scalar(), &used);
      if (used != node.Scalar().size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      fail(node, field, fmt::format("expected an integer, got '{}'", node.Scalar()));
    }
    if (value < min || value > max) fail(node, field, fmt::format("{} is out of range [{}, {}]", value, min, max));
    return value;
  }

  bool boolean(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) fail(node, field, "expected true or false");
    const auto& s = node.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
    fail(node, field, fmt::format("expected true or false, got '{}'", s));
  }

  /// A list of scalars; a single scalar counts as a list of one.
  std::vector<YAML::Node> list(const YAML::Node& node, const std::string& field) const {
    std::vector<YAML::Node> items;
    if (node.IsScalar()) return {node};
    if (!node.IsSequence() || node.size() == 0) fail(node, field, "expected a non-empty list");
    for (const auto& item : node) items.push_back(item);
    return items;
  }

  /// [min, max] as a two-element list.
  std::pair<double, double> range(const YAML::Node& node, const std::string& field, double lo, double hi) const {
    if (!node.IsSequence() || node.size() != 2) fail(node, field, "expected [min, max]");
    const double a = number(node[0], field, lo, hi), b = number(node[1], field, lo, hi);
    if (a > b) fail(node, field, fmt::format("min {} above max {}", a, b));
    return {a, b};
  }

  std::filesystem::path path(const YAML::Node& node, const std::string& field) const {
    std::filesystem::path p = text(node, field);
    return p.is_absolute() ? p : source_.parent_path() / p;
  }

  const std::filesystem::path& source() const { return source_; }

 private:
  std::filesystem::path source_;
};

void read_dataset(const Reader& r, const YAML::Node& node, DatasetConfig& d) {
  r.require_map(node, "dataset");
  r.only_keys(node, "dataset.", {"name", "data_dir", "train_samples", "test_samples", "validation_fraction",
                                 "test_fraction"});
  if (!node["name"]) r.fail(node, "dataset.name", "missing (mnist, fashion-mnist, cifar10 or csv:PATH)");
  d.name = r.text(node["name"], "dataset.name");
  if (d.name.starts_with("csv:")) {
    const std::filesystem::path p = d.name.substr(4);
    if (p.is_relative()) d.name = "csv:" + (r.source().parent_path() / p).string();
  } else {
    const auto& known = nn::known_datasets();
    if (std::find(known.begin(), known.end(), d.name) == known.end())
      r.fail(node["name"], "dataset.name", fmt::format("unknown dataset '{}' (mnist, fashion-mnist, cifar10 or csv:PATH)", d.name));
  }
  if (node["data_dir"]) d.data_dir = r.path(node["data_dir"], "dataset.data_dir");
  if (node["train_samples"]) d.train_samples = r.integer(node["train_samples"], "dataset.train_samples", 0, 1 << 30);
  if (node["test_samples"]) d.test_samples = r.integer(node["test_samples"], "dataset.test_samples", 0, 1 << 30);
  if (node["validation_fraction"])
    d.validation_fraction = r.number(node["validation_fraction"], "dataset.validation_fraction", 0.01, 0.9);
  if (node["test_fraction"]) d.test_fraction = r.number(node["test_fraction"], "dataset.test_fraction", 0.01, 0.9);
}

void read_training(const Reader& r, const YAML::Node& node, nn::TrainOptions& t) {
  r.require_map(node, "training");
  r.only_keys(node, "training.", {"epochs", "batch_size", "learning_rate", "optimizer", "schedule", "threads",
                                  "weight_decay", "patience"});
  if (node["epochs"]) t.epochs = static_cast<int>(r.integer(node["epochs"], "training.epochs", 1, 1000));
  if (node["batch_size"]) t.batch_size = static_cast<int>(r.integer(node["batch_size"], "training.batch_size", 1, 1 << 16));
  if (node["learning_rate"]) t.learning_rate = r.number(node["learning_rate"], "training.learning_rate", 1e-8, 10.0);
  if (node["optimizer"]) t.optimizer = nn::optimizer_from_string(r.text(node["optimizer"], "training.optimizer"), "training.optimizer");
  if (node["schedule"]) t.schedule = nn::schedule_from_string(r.text(node["schedule"], "training.schedule"), "training.schedule");
  if (node["threads"]) t.threads = static_cast<int>(r.integer(node["threads"], "training.threads", 1, 256));
  if (node["weight_decay"]) t.weight_decay = r.number(node["weight_decay"], "training.weight_decay", 0.0, 1.0);
  if (node["patience"]) t.patience = static_cast<int>(r.integer(node["patience"], "training.patience", 0, 1000));
}

nn::MorphismKind morphism_kind(const Reader& r, const YAML::Node& node, const std::string& field) {
  const auto name = r.text(node, field);
  for (auto kind : {nn::MorphismKind::widen, nn::MorphismKind::deepen, nn::MorphismKind::add_skip,
                    nn::MorphismKind::remove_layer, nn::MorphismKind::remove_skip, nn::MorphismKind::prune_units,
                    nn::MorphismKind::lower_bits, nn::MorphismKind::raise_sparsity})
    if (name == nn::to_string(kind)) return kind;
  r.fail(node, field, fmt::format("unknown morphism '{}' (widen, deepen, add_skip, remove_layer, remove_skip, "
                                  "prune_units, lower_bits, raise_sparsity)", name));
}

void read_ml(const Reader& r, const YAML::Node& node, MlKnobs& ml) {
  r.require_map(node, "ml_knobs");
  r.only_keys(node, "ml_knobs.", {"morphisms", "max_params", "max_layers", "min_bits", "max_sparsity",
                                  "learning_rate", "epochs", "batch_size"});
  if (node["morphisms"]) {
    ml.morphisms.clear();
    for (const auto& item : r.list(node["morphisms"], "ml_knobs.morphisms"))
      ml.morphisms.push_back(morphism_kind(r, item, "ml_knobs.morphisms"));
  }
  if (node["max_params"]) ml.max_params = r.integer(node["max_params"], "ml_knobs.max_params", 1, 1'000'000'000);
  if (node["max_layers"]) ml.max_layers = static_cast<int>(r.integer(node["max_layers"], "ml_knobs.max_layers", 1, 1000));
  if (node["min_bits"]) ml.min_bits = static_cast<int>(r.integer(node["min_bits"], "ml_knobs.min_bits", 1, 32));
  if (node["max_sparsity"]) ml.max_sparsity = r.number(node["max_sparsity"], "ml_knobs.max_sparsity", 0.0, 0.99);
  if (node["learning_rate"])
    std::tie(ml.learning_rate_min, ml.learning_rate_max) = r.range(node["learning_rate"], "ml_knobs.learning_rate", 1e-8, 10.0);
  if (node["epochs"]) {
    const auto [a, b] = r.range(node["epochs"], "ml_knobs.epochs", 1, 1000);
    ml.epochs_min = static_cast<int>(a), ml.epochs_max = static_cast<int>(b);
  }
  if (node["batch_size"]) {
    const auto [a, b] = r.range(node["batch_size"], "ml_knobs.batch_size", 1, 1 << 16);
    ml.batch_min = static_cast<int>(a), ml.batch_max = static_cast<int>(b);
  }
}

/// hardware.catalog: reads the device file (h.catalog) into h.catalog_devices and returns its JSON
/// document; a file that cannot be read or parsed fails naming the config line and the file.
nlohmann::json read_catalog_file(const Reader& r, const YAML::Node& node, HardwareConfig& h) {
  std::ifstream in(h.catalog);
  if (!in) r.fail(node, "hardware.catalog", fmt::format("cannot read the device file {}", h.catalog.string()));
  std::stringstream text;
  text << in.rdbuf();
  try {
    h.catalog_devices = hw::DeviceCatalog::parse(text.str(), h.catalog.string());
  } catch (const InputError& error) {
    r.fail(node, "hardware.catalog", error.what());
  }
  return nlohmann::json::parse(text.str());  // valid: DeviceCatalog::parse accepted it
}

std::string known_device_names(const hw::DeviceCatalog& catalog) {
  std::string names;
  for (const auto& device : catalog.devices()) names += (names.empty() ? "" : ", ") + device.name;
  return names;
}

/// Checks that every listed device is in the built-in catalog or the file, and fingerprints the
/// file's entries of those the file defines: a resumed study must estimate with the same devices
/// (a recalibrated file changes the fingerprint), while moving or renaming the file does not matter.
void check_devices(const Reader& r, const std::vector<YAML::Node>& items, const nlohmann::json& file,
                   HardwareConfig& h) {
  const auto catalog = h.device_catalog();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const hw::Device* device = nullptr;
    try {
      device = &catalog.find(h.devices[i]);  // the catalog's own (case-insensitive) name matching
    } catch (const InputError&) {
      const auto known = known_device_names(catalog);
      if (h.catalog.empty())
        r.fail(items[i], "hardware.devices",
               fmt::format("unknown device '{}' (known: {}; add one with hardware.catalog: FILE)", h.devices[i],
                           known));
      r.fail(items[i], "hardware.devices",
             fmt::format("unknown device '{}': in neither the built-in catalog nor {} (known: {})", h.devices[i],
                         h.catalog.string(), known));
    }
    if (h.catalog.empty()) continue;
    // A file device keeps its own spelling in the merged catalog, so its entry matches exactly.
    for (const auto& entry : file.at("devices")) {
      if (entry.at("name").get<std::string>() != device->name) continue;
      ContentHash hash;
      hash.update(entry.dump());  // nlohmann::json sorts keys: formatting and key order do not matter
      h.catalog_fingerprints[device->name] = hash.hex().substr(0, 16);
    }
  }
}

void read_hardware(const Reader& r, const YAML::Node& node, HardwareConfig& h) {
  r.require_map(node, "hardware");
  r.only_keys(node, "hardware.", {"devices", "catalog", "templates", "clocks_mhz", "mappings_per_network"});
  if (!node["devices"]) r.fail(node, "hardware.devices", "missing (e.g. [XC7Z020])");
  const auto items = r.list(node["devices"], "hardware.devices");
  for (const auto& item : items) h.devices.push_back(r.text(item, "hardware.devices"));
  nlohmann::json file;
  if (node["catalog"]) {
    h.catalog = r.path(node["catalog"], "hardware.catalog");
    file = read_catalog_file(r, node["catalog"], h);
  }
  check_devices(r, items, file, h);
  if (node["templates"]) {
    h.templates.clear();
    for (const auto& item : r.list(node["templates"], "hardware.templates")) {
      const auto* accelerator = hw::find_accelerator_template(r.text(item, "hardware.templates"));
      if (!accelerator)
        r.fail(item, "hardware.templates",
               fmt::format("unknown template '{}' (known: {})", item.Scalar(), hw::accelerator_template_names()));
      h.templates.emplace_back(accelerator->name());
    }
  }
  if (node["clocks_mhz"])
    for (const auto& item : r.list(node["clocks_mhz"], "hardware.clocks_mhz"))
      h.clocks_mhz.push_back(r.number(item, "hardware.clocks_mhz", 1.0, 2000.0));
  if (node["mappings_per_network"])
    h.mappings_per_network = r.integer(node["mappings_per_network"], "hardware.mappings_per_network", 1, 1000);
}

void read_objectives(const Reader& r, const YAML::Node& node, std::vector<Objective>& objectives) {
  const auto& known = joint_metric_names();
  objectives.clear();
  for (const auto& item : r.list(node, "objectives")) {
    Objective objective;
    try {
      objective = Objective::parse(r.text(item, "objectives"));
    } catch (const InputError& error) {
      r.fail(item, "objectives", error.what());
    }
    if (std::find(known.begin(), known.end(), objective.metric) == known.end())
      r.fail(item, "objectives", fmt::format("unknown metric '{}'", objective.metric));
    objectives.push_back(objective);
  }
  if (objectives.front().metric != "error" && objectives.front().metric != "accuracy")
    r.fail(node, "objectives", "the first objective must be error:min or accuracy:max");
  if (objectives.size() < 2) r.fail(node, "objectives", "expected error and at least one hardware objective");
}

void read_constraints(const Reader& r, const YAML::Node& node, ExploreConfig& c) {
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
      r.fail(item, "constraints", fmt::format("unknown metric '{}'", bound.metric));
    c.constraints.push_back(bound);
  }
}

void read_budget(const Reader& r, const YAML::Node& node, ExploreConfig& c) {
  r.require_map(node, "budget");
  r.only_keys(node, "budget.", {"networks", "minutes"});
  if (node["networks"]) c.budget_networks = r.integer(node["networks"], "budget.networks", 1, 1'000'000);
  if (node["minutes"]) c.budget_minutes = r.number(node["minutes"], "budget.minutes", 0.01, 1e6);
  if (c.budget_networks == 0 && c.budget_minutes == 0.0) r.fail(node, "budget", "expected networks and/or minutes");
}

void read_lemonade(const Reader& r, const YAML::Node& node, LemonadeConfig& l) {
  r.require_map(node, "lemonade");
  r.only_keys(node, "lemonade.", {"generated", "accepted", "hyper_mutation"});
  if (node["generated"]) l.generated = r.integer(node["generated"], "lemonade.generated", 1, 10000);
  if (node["accepted"]) l.accepted = r.integer(node["accepted"], "lemonade.accepted", 1, 10000);
  if (node["hyper_mutation"]) l.hyper_mutation = r.number(node["hyper_mutation"], "lemonade.hyper_mutation", 0.0, 1.0);
  if (l.accepted > l.generated)
    r.fail(node, "lemonade.accepted", fmt::format("{} is more than lemonade.generated ({})", l.accepted, l.generated));
}

void read_synthesis(const Reader& r, const YAML::Node& node, SynthesisConfig& y) {
  r.require_map(node, "synthesis");
  r.only_keys(node, "synthesis.", {"per_network", "learner", "verify_inputs", "cache_dir", "jobs", "timeout_minutes"});
  if (node["per_network"]) y.per_network = r.integer(node["per_network"], "synthesis.per_network", 1, 1000);
  if (node["learner"]) {
    y.learner = r.text(node["learner"], "synthesis.learner");
    if (!find_explorer(y.learner))  // the key says learner; its value names a registered explorer
      r.fail(node["learner"], "synthesis.learner",
             fmt::format("unknown explorer '{}' (known: {})", y.learner, explorer_name_list()));
  }
  if (node["verify_inputs"]) y.verify_inputs = r.integer(node["verify_inputs"], "synthesis.verify_inputs", 0, 100000);
  if (node["cache_dir"]) y.cache_dir = r.path(node["cache_dir"], "synthesis.cache_dir");
  if (node["jobs"]) y.jobs = static_cast<int>(r.integer(node["jobs"], "synthesis.jobs", 1, 64));
  if (node["timeout_minutes"]) y.timeout_minutes = r.number(node["timeout_minutes"], "synthesis.timeout_minutes", 0.1, 1e4);
}

}  // namespace

hw::DeviceCatalog HardwareConfig::device_catalog() const {
  auto merged = hw::DeviceCatalog::builtin();
  merged.extend(catalog_devices);  // as codse hw estimate --devices: added, or replacing the same name
  return merged;
}

const char* to_string(ExploreStrategy strategy) {
  switch (strategy) {
    case ExploreStrategy::lemonade: return "lemonade";
    case ExploreStrategy::random: return "random";
    case ExploreStrategy::sequential: return "sequential";
  }
  return "?";
}

const std::vector<std::string>& joint_metric_names() {
  static const std::vector<std::string> names{"error", "accuracy", "lut",      "ff",     "dsp",  "bram18", "latency_us",
                                              "fps",   "power_w",  "energy_uj", "params", "macs"};
  return names;
}

ExploreConfig parse_explore_config(const std::string& text, const std::filesystem::path& source) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw InputError(fmt::format("{}:{}: {}", source.string(), error.mark.line + 1, error.msg));
  }
  const Reader r(source);
  if (!root.IsMap()) r.fail(root, "(top level)", "expected a mapping of fields");
  r.only_keys(root, "", {"name", "seed", "dataset", "networks", "training", "ml_knobs", "hardware", "objectives",
                         "constraints", "budget", "fidelity", "synthesis", "strategy", "lemonade"});
  ExploreConfig c;
  c.source = source;
  c.name = root["name"] ? r.text(root["name"], "name") : source.stem().string();
  if (root["seed"]) c.seed = static_cast<std::uint64_t>(r.integer(root["seed"], "seed", 0, INT64_MAX));
  c.training.seed = c.seed;
  c.training.epochs = 2;
  c.training.threads = 1;
  c.ml.morphisms = {nn::MorphismKind::widen,       nn::MorphismKind::deepen,      nn::MorphismKind::add_skip,
                    nn::MorphismKind::remove_layer, nn::MorphismKind::remove_skip, nn::MorphismKind::prune_units,
                    nn::MorphismKind::lower_bits,   nn::MorphismKind::raise_sparsity};
  c.hardware.templates = {std::string(hw::accelerator_templates().front()->name())};
  c.objectives = {Objective::parse("error:min"), Objective::parse("lut:min"), Objective::parse("latency_us:min")};

  if (!root["dataset"]) r.fail(root, "dataset", "missing (e.g. dataset: {name: mnist})");
  read_dataset(r, root["dataset"], c.dataset);
  if (!root["networks"]) r.fail(root, "networks", "missing: the starting network file(s)");
  for (const auto& item : r.list(root["networks"], "networks")) {
    c.networks.push_back(r.path(item, "networks"));
    if (!std::filesystem::exists(c.networks.back()))
      r.fail(item, "networks", fmt::format("no such file {}", c.networks.back().string()));
  }
  if (root["training"]) read_training(r, root["training"], c.training);
  if (root["ml_knobs"]) read_ml(r, root["ml_knobs"], c.ml);
  if (!root["hardware"]) r.fail(root, "hardware", "missing (e.g. hardware: {devices: [XC7Z020]})");
  read_hardware(r, root["hardware"], c.hardware);
  if (root["objectives"]) read_objectives(r, root["objectives"], c.objectives);
  if (root["constraints"]) read_constraints(r, root["constraints"], c);
  if (!root["budget"]) r.fail(root, "budget", "missing (e.g. budget: {networks: 40, minutes: 14})");
  read_budget(r, root["budget"], c);
  if (root["fidelity"]) {
    const auto f = r.text(root["fidelity"], "fidelity");
    if (f == "analytic") c.fidelity = ExploreFidelity::analytic;
    else if (f == "synthesis") c.fidelity = ExploreFidelity::synthesis;
    else r.fail(root["fidelity"], "fidelity", fmt::format("unknown fidelity '{}' (analytic, synthesis)", f));
  }
  if (root["synthesis"]) {
    if (c.fidelity != ExploreFidelity::synthesis)
      r.fail(root["synthesis"], "synthesis", "only with fidelity: synthesis");
    read_synthesis(r, root["synthesis"], c.synthesis);
  }
  if (root["strategy"]) {
    const auto name = r.text(root["strategy"], "strategy");
    bool known = false;
    for (auto s : {ExploreStrategy::lemonade, ExploreStrategy::random, ExploreStrategy::sequential})
      if (name == to_string(s)) c.strategy = s, known = true;
    if (!known) r.fail(root["strategy"], "strategy", fmt::format("unknown strategy '{}' (lemonade, random, sequential)", name));
  }
  if (root["lemonade"]) read_lemonade(r, root["lemonade"], c.lemonade);
  if (c.fidelity == ExploreFidelity::synthesis && c.strategy != ExploreStrategy::lemonade)
    r.fail(root["fidelity"], "fidelity", fmt::format("synthesis needs strategy lemonade (the HAL's fronts), not {}",
                                                     to_string(c.strategy)));
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

nlohmann::json ExploreConfig::identity() const {
  nlohmann::json networks_json = nlohmann::json::array();
  for (const auto& n : networks) networks_json.push_back(n.filename().string());
  nlohmann::json objectives_json = nlohmann::json::array(), constraints_json = nlohmann::json::array();
  for (const auto& o : objectives) objectives_json.push_back(o.to_string());
  for (const auto& b : constraints) constraints_json.push_back(b.to_string());
  nlohmann::json morphisms = nlohmann::json::array(), templates = nlohmann::json::array();
  for (auto kind : ml.morphisms) morphisms.push_back(nn::to_string(kind));
  for (const auto& accelerator : hardware.templates) templates.push_back(accelerator);
  nlohmann::json identity = {{"kind", "explore"},
          {"seed", seed},
          {"dataset",
           {{"name", dataset.name},
            {"train_samples", dataset.train_samples},
            {"test_samples", dataset.test_samples},
            {"validation_fraction", dataset.validation_fraction}}},
          {"networks", networks_json},
          {"training",
           {{"epochs", training.epochs},
            {"batch_size", training.batch_size},
            {"learning_rate", training.learning_rate},
            {"optimizer", nn::to_string(training.optimizer)},
            {"threads", training.threads}}},
          {"ml_knobs",
           {{"morphisms", morphisms},
            {"max_params", ml.max_params},
            {"max_layers", ml.max_layers},
            {"min_bits", ml.min_bits},
            {"max_sparsity", ml.max_sparsity},
            {"learning_rate", {ml.learning_rate_min, ml.learning_rate_max}},
            {"epochs", {ml.epochs_min, ml.epochs_max}},
            {"batch_size", {ml.batch_min, ml.batch_max}}}},
          {"hardware",
           {{"devices", hardware.devices},
            {"templates", templates},
            {"clocks_mhz", hardware.clocks_mhz},
            {"mappings_per_network", hardware.mappings_per_network}}},
          {"objectives", objectives_json},
          {"constraints", constraints_json},
          {"must_fit", must_fit},
          {"fidelity", fidelity == ExploreFidelity::analytic ? "analytic" : "synthesis"},
          {"lemonade",
           {{"generated", lemonade.generated},
            {"accepted", lemonade.accepted},
            {"hyper_mutation", lemonade.hyper_mutation}}}};
  // Written only when not the default, so studies stored before these fields existed still resume.
  if (strategy != ExploreStrategy::lemonade) identity["strategy"] = to_string(strategy);
  // The file's name, as for the networks (a moved study still resumes), and what its entries of
  // the listed devices hash to (a recalibrated catalog does not resume the study).
  if (!hardware.catalog.empty())
    identity["hardware"]["catalog"] = {{"file", hardware.catalog.filename().string()},
                                       {"devices", hardware.catalog_fingerprints}};
  if (fidelity == ExploreFidelity::synthesis)
    identity["synthesis"] = {{"per_network", synthesis.per_network},
                             {"learner", synthesis.learner},
                             {"verify_inputs", synthesis.verify_inputs}};
  return identity;
}

}  // namespace codse::explore
