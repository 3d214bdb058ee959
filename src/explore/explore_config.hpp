#pragma once
// The configuration of `codse explore`: what to explore (dataset, starting networks, which ML
// knobs may change and how far, devices and mapping knobs), what for (objectives, constraints),
// how long (budget) and how well (fidelity, training settings, LEMONADE's generation sizes).
// Read from YAML; every field is checked, and an unknown or ill-typed field is an InputError that
// names the file, line and field ("mnist.yaml:12: training.epochs: expected an integer >= 1").
// docs of the fields: examples/mnist_xc7z020.yaml. How each key is read, its default and whether it is
// part of the study's identity: one row of the table in config_fields.hpp.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/objective.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/model/mapping.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/train/train_options.hpp"

namespace codse::explore {

struct DatasetConfig {
  std::string name;                // "mnist", "fashion-mnist", "cifar10" or "csv:PATH"
  std::filesystem::path data_dir;  // empty: load_dataset's default places
  std::size_t train_samples = 0;   // first N of the training files (0: all)
  std::size_t test_samples = 0;    // first N of the test files (0: all)
  double validation_fraction = 0.1;
  double test_fraction = 0.2;      // csv tables only
};

/// The ML knobs LEMONADE may turn: which morphisms, and the ranges of the training
/// hyperparameters a hyperparameter mutation draws from.
struct MlKnobs {
  std::vector<nn::MorphismKind> morphisms;  // allowed kinds (all by default)
  std::int64_t max_params = 2'000'000;      // children above this are not generated
  int max_layers = 16;                      // weighted layers
  int min_bits = 1;                         // lower_bits stops here
  double max_sparsity = 0.9;
  double learning_rate_min = 1e-4, learning_rate_max = 1e-2;
  int epochs_min = 1, epochs_max = 3;
  int batch_min = 32, batch_max = 256;  // powers of two in between
};

struct HardwareConfig {
  std::vector<std::string> devices;         // catalog names
  std::vector<std::string> templates;       // accelerator template names (hw/templates), searched per device, fronts merged
  std::vector<double> clocks_mhz;           // empty: each device's default
  std::size_t mappings_per_network = 6;     // joint designs kept per (network, device)
  // hardware.catalog: a device catalog file (docs/MAPPING.md, Devices), e.g. what `codse hw
  // calibrate` writes; its devices are added to the built-in ones or replace those of the same
  // name, as `codse hw estimate --devices` does. Read once, when the config is.
  std::filesystem::path catalog;            // resolved path; empty: the built-in catalog alone
  hw::DeviceCatalog catalog_devices;        // the file's devices
  // {name: hash of its file entry} of the listed devices the file defines (ExploreConfig::identity)
  nlohmann::json catalog_fingerprints = nlohmann::json::object();
  // hardware.cost_model: calibrated (each device's calibration, the built-in ones included) or
  // published (the templates' published formulas for every device), as --cost-model.
  hw::CostModel cost_model = hw::CostModel::calibrated;

  /// The built-in catalog extended by the file's devices, with the cost model: where explore looks
  /// its devices up.
  hw::DeviceCatalog device_catalog() const;
};

enum class ExploreFidelity { analytic, synthesis };

/// fidelity: synthesis. Per trained network and device, an explorer (epsilon-PAL or ATNE: active
/// learning) over the HAL's analytic front chooses which mappings the hardware flow builds (RTL,
/// Verilator bit-exact check, Yosys).
struct SynthesisConfig {
  std::size_t per_network = 2;      // mappings synthesized per (network, device)
  std::string explorer = "epal";    // a name of search/explorer_registry.hpp, asked one mapping at a time (key formerly "learner")
  std::size_t verify_inputs = 16;   // test images run through Verilator against the integer model (0: skip)
  std::filesystem::path cache_dir;  // Yosys result cache (empty: the hw module's default)
  int jobs = 1;                     // parallel Yosys runs
  double timeout_minutes = 20.0;    // per tool run
};

struct LemonadeConfig {
  std::size_t generated = 24;   // children generated per generation
  std::size_t accepted = 4;     // of those, trained
  double hyper_mutation = 0.2;  // share of children made by a hyperparameter mutation
};

struct ExploreConfig {
  std::filesystem::path source;  // the YAML file
  std::string name;              // study name
  std::uint64_t seed = 1;
  DatasetConfig dataset;
  std::vector<std::filesystem::path> networks;  // starting networks (resolved paths)
  std::vector<std::string> network_contents;    // SHA-256 of each network file when the config was read
  nn::TrainOptions training;
  MlKnobs ml;
  HardwareConfig hardware;
  std::vector<Objective> objectives;    // the first is error:min
  std::vector<MetricBound> constraints;  // on joint-design metrics
  bool must_fit = true;
  std::size_t budget_networks = 0;  // trained networks (seeds included); 0: no limit
  double budget_minutes = 0.0;      // wall time of one run; 0: no limit
  ExploreFidelity fidelity = ExploreFidelity::analytic;
  SynthesisConfig synthesis;
  std::string strategy = "lemonade";  // how networks and mappings are searched: a name of co_exploration_strategy.hpp's registry
  LemonadeConfig lemonade;

  /// The settings a resumed run must share with the stored study (the budget is left out, so a
  /// finished study can be extended).
  nlohmann::json identity() const;
  /// A stored identity in today's form (templates stored as dataflow_folded read as folded,
  /// synthesis.learner as synthesis.explorer; a study stored before the network files' contents
  /// were recorded takes this config's when the file names agree), to compare with identity()
  /// when a study is resumed.
  nlohmann::json upgrade_identity(nlohmann::json stored) const;
};

/// Reads and validates a config file. Relative paths in it are relative to the file.
ExploreConfig load_explore_config(const std::filesystem::path& path);
/// Parses config text; source names it in messages and anchors relative paths.
ExploreConfig parse_explore_config(const std::string& text, const std::filesystem::path& source);

/// The metric names an objective or constraint may use.
const std::vector<std::string>& joint_metric_names();

}  // namespace codse::explore
