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
#include "hw/estimate/estimator.hpp"
#include "hw/map/hal.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/templates/mapping_file.hpp"
#include "hw/templates/template_registry.hpp"
#include "nn/ir/network_io.hpp"
#include "search/explorer.hpp"

namespace codse {
namespace {

using hw::Estimate;
using hw::Mapping;

/// One mapping space per template --template names: one of the registered templates, or both
/// (every registered one).
std::vector<hw::SpaceOptions> template_spaces(const std::string& name, const std::vector<double>& clocks) {
  std::vector<hw::SpaceOptions> spaces;
  for (const auto* accelerator : hw::accelerator_templates()) {
    if (name != "both" && hw::find_accelerator_template(name) != accelerator) continue;
    hw::SpaceOptions options;
    options.accelerator = accelerator->name();
    options.clocks_mhz = clocks;
    spaces.push_back(options);
  }
  if (spaces.empty())
    throw InputError(fmt::format("--template {}: expected {} or both", name, hw::accelerator_template_names()));
  return spaces;
}

// ---------------------------------------------------------------------------------------------
// codse hw estimate

struct EstimateOptions {
  std::string network;
  std::string device;
  std::vector<std::string> devices;
  std::string mapping;
  double target_fps = 0.0;
  double clock_mhz = 0.0;
  std::string template_name = "folded";
  bool finn_folding = false;
  bool json = false;
};

/// The mapping to estimate: the file, or one chosen for --target-fps (the HAL's fewest-LUT
/// mapping that fits and reaches it, or FINN's folding heuristic with --finn-folding), or else
/// the smallest folding (PE = SIMD = 1 everywhere).
Mapping choose_mapping(const EstimateOptions& o, const nn::Network& network, const hw::Device& device,
                       const hw::Estimator& estimator) {
  if (!o.mapping.empty()) {
    auto mapping = hw::load_mapping(o.mapping);
    // Layers are matched by name, so a mapping written for another network can still apply (an
    // imported or renamed copy); say so, as it is more often a wrong file.
    if (const auto written_for = hw::mapping_file_network(o.mapping); !written_for.empty() && written_for != network.name())
      fmt::print(stderr, "codse: warning: --mapping {} was written for network '{}', not '{}'; its layers are matched by name\n",
                 o.mapping, written_for, network.name());
    return mapping;
  }
  const double clock = o.clock_mhz > 0.0 ? o.clock_mhz : device.default_clock_mhz;
  if (o.target_fps > 0.0 && !o.finn_folding) {
    hw::MapOptions options;
    options.spaces = template_spaces(o.template_name, {clock});
    const std::vector<Objective> objectives{Objective::parse("lut:min"), Objective::parse("bram18:min"),
                                            Objective::parse("dsp:min")};
    const auto result = hw::map_network(estimator, objectives, {MetricBound{"fps", o.target_fps, false}}, options);
    if (result.front.empty())
      throw InputError(fmt::format("no mapping of {} on {} reaches {} fps and fits (at {} MHz)", network.name(),
                                   device.name, o.target_fps, clock));
    const auto cheapest = std::min_element(result.front.begin(), result.front.end(), [](const auto& a, const auto& b) {
      const auto& x = a.estimate.total;
      const auto& y = b.estimate.total;
      return std::tie(x.lut, x.bram18, x.dsp) < std::tie(y.lut, y.bram18, y.dsp);
    });
    return cheapest->mapping;
  }
  if (o.target_fps <= 0.0)
    fmt::print(stderr, "codse: note: no --mapping or --target-fps: every layer at PE = SIMD = 1 (the smallest, "
                       "slowest folding); give --target-fps to size it for a throughput\n");
  hw::FoldingOptions folding;
  folding.clock_mhz = clock;
  folding.storage = device.bram.present() ? hw::WeightStorage::bram : hw::WeightStorage::logic;
  folding.target_cycles = o.target_fps > 0.0 ? static_cast<std::int64_t>(clock * 1e6 / o.target_fps)
                                             : std::numeric_limits<std::int64_t>::max();
  auto mapping = hw::finn_folding(estimator.workload(), device, folding);
  mapping.offchip_gbps = device.offchip_gbps;
  return mapping;
}

/// The template's parallelism knobs of one layer, e.g. "pe 32 simd 49" or "reuse 8".
std::string parallelism_text(const Mapping& mapping, const hw::LayerMapping& entry) {
  std::string text;
  for (const auto& field : hw::accelerator_template(mapping.accelerator).parallelism_fields())
    text += fmt::format("{}{} {}", text.empty() ? "" : " ", field.name, entry.*field.field);
  return text;
}

std::string knobs_text(const Mapping& mapping, const std::string& layer, std::size_t width) {
  for (const auto& entry : mapping.layers)
    if (entry.layer == layer)
      return fmt::format("{:<{}}  {:<7} {:<4}", parallelism_text(mapping, entry), width, hw::to_string(entry.storage),
                         hw::to_string(entry.multipliers));
  return fmt::format("{:<{}}  {:<7} {:<4}", "", width, "", "");
}

void print_table(const Estimate& e, const Mapping& mapping, const hw::Device& device) {
  fmt::print("{} on {} ({}), {} at {} MHz, {} estimate\n", e.network, device.name, device.board, e.accelerator,
             e.clock_mhz, to_string(e.fidelity));
  std::size_t width = 9;
  for (const auto& entry : mapping.layers) width = std::max(width, parallelism_text(mapping, entry).size());
  const std::string knobs = fmt::format("{:<{}}", "parallelism", width);
  fmt::print("  {:<10} {:<13} {}  {:<7} {:<4} {:>9} {:>5} {:>8} {:>5} {:>7} {:>10} {:>5} {:>9} {:>8}  {}\n", "layer", "unit",
             knobs, "storage", "mult", "LUT", "%", "FF", "DSP", "BRAM18", "cycles", "% II", "latency", "mW", "limiter");
  for (const auto& layer : e.layers) {
    const double lut_share = e.total.lut > 0 ? 100.0 * layer.resources.lut / e.total.lut : 0.0;
    const double ii_share = 100.0 * static_cast<double>(layer.cycles) / static_cast<double>(e.ii_cycles);
    fmt::print("{} {:<10} {:<13} {} {:>9.0f} {:>5.1f} {:>8.0f} {:>5.0f} {:>7.0f} {:>10} {:>5.1f} {:>9} {:>8.2f}  {}\n",
               layer.bottleneck ? "*" : " ", layer.name, layer.unit, knobs_text(mapping, layer.name, width), layer.resources.lut,
               lut_share, layer.resources.ff, layer.resources.dsp, layer.resources.bram18, layer.cycles, ii_share,
               layer.latency_cycles, layer.power_w * 1e3, hw::to_string(layer.limiter));
  }
  const auto& t = e.total;
  const auto& u = e.utilisation;
  fmt::print("total: LUT {:.0f} ({:.1f}%), FF {:.0f} ({:.1f}%), DSP {:.0f} ({:.1f}%), BRAM18 {:.0f} ({:.1f}%), URAM {:.0f}, "
             "LUTRAM {:.0f}\n",
             t.lut, 100 * u.lut, t.ff, 100 * u.ff, t.dsp, 100 * u.dsp, t.bram18, 100 * u.bram18, t.uram, t.lutram);
  fmt::print("II {} cycles, {:.1f} fps, latency {} cycles = {:.2f} us\n", e.ii_cycles, e.fps, e.latency_cycles,
             e.latency_us);
  fmt::print("power {:.3f} W ({:.3f} static + {:.3f} dynamic), {:.3f} uJ per inference, off-chip {:.3f} GB/s\n",
             e.power_w, e.power_static_w, e.power_dynamic_w, e.energy_uj, e.offchip_gbps);
  fmt::print("fits {}: {}; bottleneck * {} ({})\n", device.name,
             e.fits ? "yes" : "no, over in " + e.overflow, e.layers.empty() ? "" : e.layers[e.bottleneck].name,
             hw::to_string(e.limiter));
}

void run_estimate(const EstimateOptions& o) {
  const auto catalog = device_catalog(o.devices);
  const auto& device = catalog.find(o.device);
  const auto network = nn::load_network(o.network);
  const hw::Estimator estimator(network, device, catalog.calibration(device.name));
  const auto mapping = choose_mapping(o, network, device, estimator);
  const auto estimate = estimator.estimate(mapping);
  if (o.json) {
    auto object = hw::estimate_to_json(estimate);
    object["mapping"] = hw::mapping_to_json(mapping);
    fmt::print("{}\n", object.dump(2));
  } else {
    print_table(estimate, mapping, device);
  }
}

// ---------------------------------------------------------------------------------------------
// codse hw map

struct MapCommandOptions {
  std::string network;
  std::string device;
  std::vector<std::string> devices;
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
                 const std::vector<MetricBound>& constraints, const hw::MapResult& result) {
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
  options.spaces = template_spaces(o.template_name, o.clocks);
  options.must_fit = !o.allow_overflow;
  options.explorer = o.explorer;
  options.budget = o.budget;
  options.seed = o.seed;
  const auto result =
      hw::map_network(hw::Estimator(network, device, catalog.calibration(device.name)), objectives, constraints, options);
  write_front(o.out, o, objectives, constraints, result);
  fmt::print("{} on {}: {} over {:.4g} mappings ({} estimated) in {:.2f} s\n", network.name(), device.name,
             result.method, result.space_size, result.estimated, result.seconds);
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

void run_devices(const std::vector<std::string>& files, bool json) {
  const auto catalog = device_catalog(files);
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& d : catalog.devices())
      list.push_back({{"name", d.name},          {"board", d.board},       {"part", d.part},
                      {"lut", d.lut},            {"ff", d.ff},             {"lut_inputs", d.lut_inputs},
                      {"dsp", d.dsp.count},      {"dsp_bits", fmt::format("{}x{}", d.dsp.a_bits, d.dsp.b_bits)},
                      {"bram", d.bram.count},    {"bram_name", d.bram.name}, {"uram", d.uram.count},
                      {"max_clock_mhz", d.max_clock_mhz}, {"offchip_gbps", d.offchip_gbps},
                      {"static_power_w", d.static_power_w}});
    fmt::print("{}\n", list.dump(2));
    return;
  }
  fmt::print("{:<11} {:<30} {:>9} {:>9} {:>4} {:>6} {:>7} {:>6} {:>6} {:>9} {:>8} {:>8}\n", "device", "board", "LUT", "FF", "k",
             "DSP", "mult", "BRAM", "URAM", "max MHz", "DDR GB/s", "static W");
  for (const auto& d : catalog.devices())
    fmt::print("{:<11} {:<30} {:>9} {:>9} {:>4} {:>6} {:>7} {:>6} {:>6} {:>9} {:>8} {:>8}\n", d.name, d.board.substr(0, 30), d.lut,
               d.ff, d.lut_inputs, d.dsp.count, fmt::format("{}x{}", d.dsp.a_bits, d.dsp.b_bits), d.bram.count,
               d.uram.count, d.max_clock_mhz, d.offchip_gbps, d.static_power_w);
  fmt::print("BRAM counts the block RAM primitive (RAMB18 on Xilinx, EBR on Lattice); URAM the large RAMs (URAM288, "
             "SPRAM). Sources: data/devices.json.\n");
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

  auto device_files = std::make_shared<std::vector<std::string>>();
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
