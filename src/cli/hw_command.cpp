#include "cli/hw_command.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/device_catalog_option.hpp"
#include "cli/help_example.hpp"
#include "cli/hw_rtl_command.hpp"
#include "cli/hw_synth_command.hpp"
#include "cli/numeric_option.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "hw/estimate/estimate_json.hpp"
#include "hw/estimate/estimate_table.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/map/hal.hpp"
#include "hw/map/mapping_choice.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/rtl/trained_widths.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/templates/mapping_file.hpp"
#include "hw/templates/template_registry.hpp"
#include "nn/ir/network_io.hpp"
#include "search/explorer.hpp"

namespace codse {
namespace {

using hw::Estimate;
using hw::Mapping;

// ---------------------------------------------------------------------------------------------
// codse hw estimate

struct EstimateOptions {
  std::string network;
  std::string device;
  DeviceCatalogOptions devices;
  std::string mapping;
  std::string weights, integer_model;  // a trained network: the widths hw rtl builds
  double target_fps = 0.0;
  double clock_mhz = 0.0;
  std::string template_name = "folded";
  bool finn_folding = false;
  bool json = false;
};

/// The mapping to estimate: the file, or the one hw::choose_mapping gives for --target-fps (or
/// without it, the smallest folding, which is said).
Mapping choose_mapping(const EstimateOptions& o, const nn::Network& network, const hw::Estimator& estimator) {
  if (!o.mapping.empty()) {
    auto mapping = hw::load_mapping(o.mapping);
    // Layers are matched by name, so a mapping written for another network can still apply (an
    // imported or renamed copy); say so, as it is more often a wrong file.
    if (const auto written_for = hw::mapping_file_network(o.mapping); !written_for.empty() && written_for != network.name())
      fmt::print(stderr, "codse: warning: --mapping {} was written for network '{}', not '{}'; its layers are matched by name\n",
                 o.mapping, written_for, network.name());
    return mapping;
  }
  hw::MappingRequest request;
  request.target_fps = o.target_fps;
  request.clock_mhz = o.clock_mhz;
  request.template_name = o.template_name;
  request.finn_folding = o.finn_folding;
  auto chosen = hw::choose_mapping(estimator, request);
  if (chosen.smallest_folding)
    fmt::print(stderr, "codse: note: no --mapping or --target-fps: every layer at PE = SIMD = 1 (the smallest, "
                       "slowest folding); give --target-fps to size it for a throughput\n");
  return std::move(chosen.mapping);
}

void run_estimate(const EstimateOptions& o) {
  const auto catalog = device_catalog(o.devices);
  const auto& device = catalog.find(o.device);
  const auto network = nn::load_network(o.network);
  const auto& calibration = catalog.calibration(device.name);
  hw::BuiltWidths widths;  // none: the declared widths
  if (!o.weights.empty() || !o.integer_model.empty())
    widths = hw::trained_widths(load_integer_model(network, o.network, o.weights, o.integer_model));
  const hw::Estimator estimator(hw::Workload(network, widths), device, calibration);
  const auto mapping = choose_mapping(o, network, estimator);
  const auto estimate = estimator.estimate(mapping);
  if (o.json) {
    auto object = hw::estimate_to_json(estimate);
    object["mapping"] = hw::mapping_to_json(mapping);
    object["calibrated"] = !calibration.is_identity();
    fmt::print("{}\n", object.dump(2));
  } else {
    fmt::print("{}{}\n", hw::estimate_table_text(estimate, mapping, device), cost_model_line(calibration));
  }
}

// ---------------------------------------------------------------------------------------------
// codse hw map

struct MapCommandOptions {
  std::string network;
  std::string device;
  DeviceCatalogOptions devices;
  std::vector<std::string> objectives{"lut:min", "bram18:min", "dsp:min", "fps:max"};
  std::vector<std::string> constraints;
  std::string out;
  std::string template_name = "folded";
  std::vector<double> clocks;
  bool allow_overflow = false;
  std::string explorer = "nsga2";
  std::size_t budget = 3000;
  std::uint64_t seed = 1;
};

void write_front(const std::string& path, const MapCommandOptions& o, const std::vector<Objective>& objectives,
                 const std::vector<MetricBound>& constraints, const hw::MapResult& result, bool calibrated) {
  nlohmann::ordered_json front = nlohmann::ordered_json::array();
  for (const auto& point : result.front) {
    const auto metrics = point.estimate.to_metrics();
    nlohmann::ordered_json values;
    for (const auto& objective : objectives) values[objective.metric] = metrics.values.at(objective.metric);
    front.push_back({{"objectives", values},
                     {"mapping", hw::mapping_to_json(point.mapping)},
                     {"estimate", hw::estimate_to_json(point.estimate)["total"]}});
  }
  nlohmann::ordered_json objective_list = nlohmann::ordered_json::array(), constraint_list = nlohmann::ordered_json::array();
  for (const auto& objective : objectives) objective_list.push_back(objective.to_string());
  for (const auto& constraint : constraints) constraint_list.push_back(constraint.to_string());
  const nlohmann::ordered_json document{{"network", o.network},
                                        {"device", o.device},
                                        {"calibrated", calibrated},
                                        {"objectives", objective_list},
                                        {"constraints", constraint_list},
                                        {"fits_device", !o.allow_overflow},
                                        {"method", result.method},
                                        {"epsilon", result.layerwise.epsilon},
                                        {"space_size", result.space_size},
                                        {"estimates", result.estimated},
                                        {"seconds", result.seconds},
                                        {"front", front}};
  try {
    write_file_atomically(path, document.dump(1) + "\n");
  } catch (const InputError& error) {
    throw InputError(fmt::format("--out: {}", error.what()));
  }
}

void run_map(const MapCommandOptions& o) {
  const auto catalog = device_catalog(o.devices);
  const auto& device = catalog.find(o.device);
  const auto network = nn::load_network(o.network);
  std::vector<Objective> objectives;
  for (const auto& text : o.objectives) objectives.push_back(Objective::parse(text));
  require_distinct_objectives(objectives, "--objective");
  // Checked even when the layerwise search will not need an explorer: a typo is never ignored.
  const auto& explorers = explorer_names();
  if (std::find(explorers.begin(), explorers.end(), o.explorer) == explorers.end()) {
    std::string known;
    for (const auto& name : explorers) known += (known.empty() ? "" : ", ") + name;
    throw InputError(fmt::format("--explorer {}: unknown explorer (known: {})", o.explorer, known));
  }
  std::vector<MetricBound> constraints;
  for (const auto& text : o.constraints) constraints.push_back(MetricBound::parse(text));
  hw::MapOptions options;
  options.spaces = hw::template_spaces(o.template_name, o.clocks);
  options.must_fit = !o.allow_overflow;
  options.explorer = o.explorer;
  options.budget = o.budget;
  options.seed = o.seed;
  const auto& calibration = catalog.calibration(device.name);
  const auto result = hw::map_network(hw::Estimator(network, device, calibration), objectives, constraints, options);
  write_front(o.out, o, objectives, constraints, result, !calibration.is_identity());
  fmt::print("{} on {}: {} over {:.4g} mappings ({} estimated) in {:.2f} s\n", network.name(), device.name,
             result.method, result.space_size, result.estimated, result.seconds);
  fmt::print("{}\n", cost_model_line(calibration));
  fmt::print("front: {} mappings, written to {}\n", result.front.size(), o.out);
  std::string header;
  for (const auto& objective : objectives) header += fmt::format(" {:>14}", objective.to_string());
  fmt::print("{}\n", header);
  const std::size_t shown = std::min<std::size_t>(result.front.size(), 20);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto metrics = result.front[i].estimate.to_metrics();
    std::string row;
    for (const auto& objective : objectives) row += fmt::format(" {:>14.6g}", metrics.values.at(objective.metric));
    fmt::print("{}\n", row);
  }
  if (shown < result.front.size()) fmt::print("... {} more in {}\n", result.front.size() - shown, o.out);
}

// ---------------------------------------------------------------------------------------------
// codse hw devices

void run_devices(const DeviceCatalogOptions& files, bool json) {
  const auto catalog = device_catalog(files);
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& d : catalog.devices())
      list.push_back({{"name", d.name},          {"board", d.board},       {"part", d.part},
                      {"lut", d.lut},            {"ff", d.ff},             {"lut_inputs", d.lut_inputs},
                      {"dsp", d.dsp.count},      {"dsp_bits", fmt::format("{}x{}", d.dsp.a_bits, d.dsp.b_bits)},
                      {"bram", d.bram.count},    {"bram_name", d.bram.name}, {"uram", d.uram.count},
                      {"max_clock_mhz", d.max_clock_mhz}, {"offchip_gbps", d.offchip_gbps},
                      {"static_power_w", d.static_power_w},
                      {"calibration", catalog.calibration(d.name).is_identity() ? nlohmann::ordered_json()
                                                                                : nlohmann::ordered_json(catalog.calibration(d.name).source)}});
    fmt::print("{}\n", list.dump(2));
    return;
  }
  fmt::print("{:<11} {:<30} {:>9} {:>9} {:>4} {:>6} {:>7} {:>6} {:>6} {:>9} {:>8} {:>8}  {}\n", "device", "board", "LUT", "FF",
             "k", "DSP", "mult", "BRAM", "URAM", "max MHz", "DDR GB/s", "static W", "cost model");
  for (const auto& d : catalog.devices())
    fmt::print("{:<11} {:<30} {:>9} {:>9} {:>4} {:>6} {:>7} {:>6} {:>6} {:>9} {:>8} {:>8}  {}\n", d.name, d.board.substr(0, 30),
               d.lut, d.ff, d.lut_inputs, d.dsp.count, fmt::format("{}x{}", d.dsp.a_bits, d.dsp.b_bits), d.bram.count,
               d.uram.count, d.max_clock_mhz, d.offchip_gbps, d.static_power_w,
               catalog.calibration(d.name).is_identity() ? "published" : "calibrated");
  fmt::print("BRAM counts the block RAM primitive (RAMB18 on Xilinx, EBR on Lattice); URAM the large RAMs (URAM288, "
             "SPRAM). Sources: data/devices.json; calibrated: fitted against Yosys on codse's RTL "
             "(data/calibration/*.json), published: the templates' formulas (FINN-R), as --cost-model published gives.\n");
}

}  // namespace

CLI::App* add_hw_command(CLI::App& app) {
  auto* hw = app.add_subcommand("hw", "The hardware side: estimate, map, devices, rtl, verify, synth, calibrate");
  set_help_example(hw, "codse hw estimate --network examples/networks/mnist_mlp_w4a4.json --device XC7Z020 --target-fps 10000");
  hw->require_subcommand(1);

  auto estimate = std::make_shared<EstimateOptions>();
  auto* est = hw->add_subcommand("estimate", "Estimate the hardware cost of a network under a mapping");
  set_help_example(est, "codse hw estimate --network examples/networks/mnist_mlp_w4a4.json --device XC7Z020 "
                        "--mapping examples/mappings/mnist_mlp_w4a4.json");
  est->add_option("--network", estimate->network, "Network file (.json or .yaml)")->required();
  est->add_option("--device", estimate->device, "Device name (codse hw devices)")->required();
  auto* mapping = est->add_option("--mapping", estimate->mapping, "Mapping file (docs/MAPPING.md)");
  auto* fps = est->add_option("--target-fps", estimate->target_fps,
                              "Pick the fewest-LUT mapping that fits and reaches this many inferences/s")
                  ->check(cli::real_above(0));
  mapping->excludes(fps);
  est->add_flag("--finn-folding", estimate->finn_folding,
                "With --target-fps: use FINN's folding heuristic instead of the HAL");
  est->add_option("--clock", estimate->clock_mhz, "Clock in MHz without --mapping (default: the device's)")
      ->check(cli::real_above(0));
  est->add_option("--template", estimate->template_name, "With --target-fps: " + hw::accelerator_template_names() + " or both")
      ->capture_default_str();
  est->add_option("--integer-model", estimate->integer_model,
                  "Trained integer model (codse train's integer_model.json): estimate the weight and accumulator "
                  "widths hw rtl builds from it instead of the declared ones");
  est->add_option("--weights", estimate->weights, "Trained weights (codse train's weights.bin), instead of --integer-model");
  est->add_flag("--json", estimate->json, "Print one JSON object (total and layers)");
  add_devices_option(est, estimate->devices);
  est->callback([estimate] { run_estimate(*estimate); });

  auto map = std::make_shared<MapCommandOptions>();
  auto* mp = hw->add_subcommand("map", "Find the Pareto-optimal mappings of a network on a device");
  set_help_example(mp, "codse hw map --network examples/networks/mnist_mlp_w4a4.json --device XC7Z020 --objective lut:min "
                       "--objective fps:max --out front.json");
  mp->add_option("--network", map->network, "Network file (.json or .yaml)")->required();
  mp->add_option("--device", map->device, "Device name (codse hw devices)")->required();
  mp->add_option("--objective", map->objectives, "METRIC:min or METRIC:max (repeat)")->capture_default_str();
  mp->add_option("--constraint", map->constraints, "METRIC<=VALUE or METRIC>=VALUE, e.g. fps>=1000 (repeat)");
  mp->add_option("--out", map->out, "Front file to write (JSON)")->required();
  mp->add_option("--template", map->template_name, hw::accelerator_template_names() + " or both")->capture_default_str();
  mp->add_option("--clock", map->clocks, "Clock choices in MHz (repeat; default: the device's)")
      ->check(cli::real_above(0));
  mp->add_flag("--allow-overflow", map->allow_overflow, "Keep mappings that do not fit the device");
  mp->add_option("--explorer", map->explorer, "Explorer when the layerwise search does not apply")
      ->capture_default_str();
  mp->add_option("--budget", map->budget, "Estimates the explorer may ask for")
      ->capture_default_str()
      ->check(cli::whole_in(1, std::int64_t{1} << 40));
  mp->add_option("--seed", map->seed, "Random seed of the explorer")->capture_default_str()->check(cli::seed_number());
  add_devices_option(mp, map->devices);
  mp->callback([map] { run_map(*map); });

  auto device_files = std::make_shared<DeviceCatalogOptions>();
  auto devices_json = std::make_shared<bool>(false);
  auto* dev = hw->add_subcommand("devices", "List the device catalog");
  set_help_example(dev, "codse hw devices --devices ice40_calibrated.json");
  add_devices_option(dev, *device_files);
  dev->add_flag("--json", *devices_json, "Print JSON");
  dev->callback([device_files, devices_json] { run_devices(*device_files, *devices_json); });
  codse::add_hw_rtl_commands(*hw);
  codse::add_hw_synth_commands(*hw);
  return hw;
}

}  // namespace codse
