// `codse hw rtl` and `codse hw verify` (hw_rtl_command.hpp).
#include "cli/hw_rtl_command.hpp"

#include <algorithm>
#include <fmt/format.h>

#include <memory>
#include <random>

#include "cli/device_catalog_option.hpp"
#include "cli/help_example.hpp"
#include "cli/numeric_option.hpp"
#include "core/error.hpp"
#include "core/output_path.hpp"
#include "core/random_draws.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/mapping_file.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/rtl/rtl_design.hpp"
#include "hw/verify/verilator_harness.hpp"
#include "nn/data/dataset_loader.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/ir/weights.hpp"

namespace codse {
namespace {

struct RtlOptions {
  std::string network, weights, integer_model, mapping, out, device = "XC7Z020", dataset, data_dir;
  DeviceCatalogOptions devices;  // --devices catalogs
  int inputs = 1000;
  std::uint64_t seed = 1;
  bool activity = false;
};

nn::IntegerModel load_model(const RtlOptions& o, const nn::Network& network) {
  return load_integer_model(network, o.network, o.weights, o.integer_model);
}

void add_common(CLI::App* command, RtlOptions& o) {
  command->add_option("--network", o.network, "network file (.json or .yaml)")->required();
  command->add_option("--weights", o.weights, "weights file (codse train's weights.bin)");
  command->add_option("--integer-model", o.integer_model, "integer model file (instead of --weights)");
  command->add_option("--mapping", o.mapping, "mapping file (docs/MAPPING.md)")->required();
  command->add_option("--out", o.out, "output directory")->required();
}

void run_rtl(const RtlOptions& o) {
  require_writable_directory("--out", o.out);
  const nn::Network network = nn::load_network(o.network);
  const nn::IntegerModel model = load_model(o, network);
  const hw::RtlDesign design = hw::write_rtl(network, model, hw::load_mapping(o.mapping), o.out);
  fmt::print("wrote {} ({} files): top {}, {} unit modules\n", design.dir.string(), design.files.size(), design.top,
             design.layers.size());
  // UltraRAM / SPRAM are not initialised by the bitstream: the host streams these before the first input.
  for (const auto& load : design.loads)
    fmt::print("layer {} (uram): load its weights after reset through {}_valid/_ready/_data, {} beats of {} bits, "
               "in {}\n",
               load.layer, load.port, load.beats, load.width, load.file.filename().string());
}

std::vector<std::vector<std::int32_t>> test_inputs(const RtlOptions& o, const nn::IntegerModel& model) {
  std::vector<std::vector<std::int32_t>> inputs;
  if (!o.dataset.empty()) {
    nn::DatasetOptions options;
    options.limits.test = static_cast<std::size_t>(o.inputs);
    options.limits.train = 100;  // only the test images are used
    options.data_dir = o.data_dir;
    options.preprocessing = nn::load_network(o.network).preprocessing();
    const nn::DatasetSplits splits = nn::load_dataset(o.dataset, options);
    if (splits.test.sample_size() != model.input().shape.size())
      throw InputError(fmt::format("--dataset {}: samples have {} values, the network takes {}", o.dataset,
                                   splits.test.sample_size(), model.input().shape.size()));
    for (std::size_t i = 0; i < splits.test.size() && static_cast<int>(i) < o.inputs; ++i)
      inputs.push_back(model.quantize_input(splits.test.sample(i)));
    if (inputs.size() < static_cast<std::size_t>(o.inputs))
      fmt::print(stderr, "codse: note: --inputs {}: --dataset {} has {} test samples; simulating {}\n", o.inputs,
                 o.dataset, splits.test.size(), inputs.size());
    return inputs;
  }
  std::mt19937_64 rng(o.seed);
  for (int i = 0; i < o.inputs; ++i) {
    std::vector<std::int32_t> input;
    for (std::int64_t k = 0; k < model.input().shape.size(); ++k) input.push_back(static_cast<std::int32_t>(draw::integer(rng, model.input().min, model.input().max)));
    inputs.push_back(std::move(input));
  }
  return inputs;
}

int run_verify(const RtlOptions& o) {
  if (o.inputs < 2) throw InputError(fmt::format("--inputs {}: need at least 2 (the interval needs two)", o.inputs));
  require_writable_directory("--out", o.out);
  const nn::Network network = nn::load_network(o.network);
  const nn::IntegerModel model = load_model(o, network);
  const hw::Mapping mapping = hw::load_mapping(o.mapping);
  const hw::DeviceCatalog catalog = device_catalog(o.devices);
  const hw::Estimate estimate = hw::estimate(network, mapping, catalog.find(o.device));
  const auto inputs = test_inputs(o, model);  // before the RTL and the Verilator build: a bad --dataset fails fast
  const hw::RtlDesign design = hw::write_rtl(network, model, mapping, o.out);
  hw::VerifyOptions verify_options;
  verify_options.measure_activity = o.activity;
  const hw::VerifyResult r = hw::verify_rtl(design, model, inputs, verify_options);
  fmt::print("verilator: built in {:.1f} s, simulated {} inferences in {:.1f} s ({} cycles)\n", r.build_seconds,
             r.inferences, r.run_seconds, r.total_cycles);
  fmt::print("compared {} values (every unit's output for the first {} inferences, the final output for all): {} "
             "mismatches\n",
             r.values_compared, r.probed_inferences, r.mismatches);
  for (const hw::Mismatch& m : r.first_mismatches)
    fmt::print("  mismatch: layer {} inference {} index {}: rtl {} model {}\n", m.layer, m.inference, m.index, m.actual,
               m.expected);
  if (!design.loads.empty())
    fmt::print("weights of {} layer(s) in uram loaded through their load ports in {} cycles after reset (not in the "
               "interval or latency)\n",
               design.loads.size(), r.load_cycles);
  fmt::print("cycles        simulated   estimate ({})\n", o.device);
  fmt::print("  interval    {:>9.1f}   {:>8} (min {} max {} simulated)\n", r.ii_cycles, estimate.ii_cycles,
             r.ii_min_cycles, r.ii_max_cycles);
  fmt::print("  latency     {:>9}   {:>8}\n", r.latency_cycles, estimate.latency_cycles);
  if (r.activity.measured) {
    // The dynamic power at the measured activity: the same estimate with Mapping::toggle_rate set.
    hw::Mapping measured = mapping;
    measured.toggle_rate = std::clamp(r.activity.overall, 1e-6, 1.0);
    const hw::Estimate at_activity = hw::estimate(network, measured, catalog.find(o.device));
    fmt::print("switching activity (toggles per bit and cycle, {} register bits of the matrix-vector units): "
               "weights {:.4f}, inputs {:.4f}, accumulators {:.4f}, overall {:.4f}\n",
               r.activity.bits, r.activity.weights, r.activity.inputs, r.activity.accumulators, r.activity.overall);
    fmt::print("dynamic power ({}, {} MHz): {:.4f} W at the measured activity, {:.4f} W at the mapping's "
               "toggle_rate {}\n",
               o.device, mapping.clock_mhz, at_activity.power_dynamic_w, estimate.power_dynamic_w,
               mapping.toggle_rate);
  }
  return r.bit_exact() ? 0 : 1;
}

}  // namespace

nn::IntegerModel load_integer_model(const nn::Network& network, const std::string& network_file,
                                    const std::string& weights_file, const std::string& integer_model_file) {
  if (!integer_model_file.empty() && !weights_file.empty())
    throw InputError("--weights and --integer-model contradict (the model is exported from the weights): give one");
  if (!integer_model_file.empty()) {
    nn::IntegerModel model = nn::IntegerModel::load(integer_model_file);
    if (const auto difference = nn::integer_model_difference(network, model))
      throw InputError(fmt::format("--integer-model {} is not a model of --network {}: {}", integer_model_file,
                                   network_file, *difference));
    return model;
  }
  if (weights_file.empty()) throw InputError("give --weights W.bin or --integer-model M.json");
  return nn::export_integer_model(network, nn::Weights::load(weights_file));
}

void add_hw_rtl_commands(CLI::App& hw) {
  auto rtl = std::make_shared<RtlOptions>();
  auto* rtl_command = hw.add_subcommand("rtl", "Write synthesizable Verilog for a network under a mapping");
  set_help_example(rtl_command, "codse hw rtl --network examples/networks/digits_mlp_w4a4.json --weights run/weights.bin "
                                "--mapping examples/mappings/digits_mlp_w4a4.json --out rtl");
  add_common(rtl_command, *rtl);
  rtl_command->callback([rtl] { run_rtl(*rtl); });

  auto verify = std::make_shared<RtlOptions>();
  auto* verify_command =
      hw.add_subcommand("verify", "Simulate the Verilog with Verilator against the integer model, bit for bit");
  set_help_example(verify_command, "codse hw verify --network examples/networks/digits_mlp_w4a4.json --weights run/weights.bin "
                                   "--mapping examples/mappings/digits_mlp_w4a4.json --dataset digits --inputs 200 --out rtl");
  add_common(verify_command, *verify);
  verify_command->add_option("--inputs", verify->inputs, "number of test inputs (default 1000)")
      ->check(cli::whole_in(2, 1 << 30));
  auto* dataset = verify_command->add_option("--dataset", verify->dataset, "test images from a dataset (mnist, csv:PATH, ...); default random levels");
  verify_command->add_option("--data-dir", verify->data_dir, "directory of the dataset's files (default: see docs)")
      ->needs(dataset);
  verify_command->add_option("--device", verify->device, "device for the analytic estimate (default XC7Z020)");
  add_devices_option(verify_command, verify->devices, false);  // it compares cycles, not resources
  verify_command->add_option("--seed", verify->seed, "seed of the random inputs")->check(cli::seed_number());
  verify_command->add_flag("--activity", verify->activity,
                           "measure the switching activity (Verilator toggle coverage) and the power at it");
  verify_command->callback([verify] {
    const int status = run_verify(*verify);
    if (status != 0) throw std::runtime_error("the RTL does not match the integer model");
  });
}

}  // namespace codse
