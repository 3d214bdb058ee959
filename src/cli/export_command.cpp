#include "cli/export_command.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/device_catalog_option.hpp"
#include "cli/help_example.hpp"
#include "cli/study_choice.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/output_path.hpp"
#include "hw/estimate/mapping_check.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/template_registry.hpp"
#include "hw/templates/mapping_file.hpp"
#include "interop/design_export.hpp"
#include "interop/trial_design.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/reference_forward.hpp"
#include "report/report_data.hpp"
#include "report/trial_table.hpp"

namespace codse {
namespace {

struct ExportOptions {
  DeviceCatalogOptions devices;  // --devices catalogs extending the built-in one
  std::string db;
  std::string study;
  std::optional<std::size_t> trial;
  std::string trials;
  bool front = false;
  std::string network;
  std::string weights;
  std::string mapping;
  std::string device;
  std::string out;
  std::vector<std::string> formats;
};

/// Which of the two jobs the options ask for; a mix of them is bad usage, said in one message.
void check_usage(const ExportOptions& o) {
  const bool table = !o.trials.empty();
  const bool files = !o.network.empty() || !o.weights.empty() || !o.mapping.empty();
  if (table) {
    if (o.db.empty()) throw InputError("--trials: needs --db STUDY.sqlite (the study whose trials to write)");
    if (files || o.trial || !o.out.empty() || !o.formats.empty())
      throw InputError("--trials: writes the trials table only; --trial, --out, --format, --network, --weights and "
                       "--mapping export one design (run them separately)");
    return;
  }
  if (o.front) throw InputError("--front: selects the rows of --trials FILE; give --trials");
  if (o.out.empty()) throw InputError("--out: required to export a design (or give --trials FILE for the trials table)");
  if (!o.db.empty() && files)
    throw InputError("--db: a design comes from a study (--db, --trial) or from files (--network, --weights), not both");
  if (!o.db.empty() && !o.trial) throw InputError("--trial: required with --db (the trial number to export)");
  if (!o.db.empty() && !o.device.empty())
    throw InputError("--device: a study's trial names its own device; --device goes with --network");
  if (o.db.empty() && o.trial) throw InputError("--trial: needs --db STUDY.sqlite");
  if (o.db.empty() && (o.network.empty() || o.weights.empty()))
    throw InputError("--network and --weights: required to export a design from files (or --db and --trial)");
}

/// The comma lists of --format, split (so both --format a,b and --format a --format b work).
std::vector<std::string> format_names(const std::vector<std::string>& given) {
  std::vector<std::string> names;
  for (const auto& item : given) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const auto comma = std::min(item.find(',', start), item.size());
      if (comma > start) names.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return names;
}

void check_format_names(const std::vector<std::string>& names) {
  for (const auto& name : names)
    if (!interop::find_export_format(name))
      throw InputError(fmt::format("--format {}: unknown export format (known: {})", name,
                                   interop::export_format_names()));
}

/// The out directory must not be a file; checked before any expensive work.
void check_out_dir(const std::string& out) {
  if (std::filesystem::exists(out) && !std::filesystem::is_directory(out))
    throw InputError(fmt::format("--out {}: is a file, expected a directory to export into", out));
}

/// The mapping maps the network's layers with weights, in order, with knobs its template accepts
/// (and, with --device, what the device has); InputError naming --mapping and the layer otherwise.
void check_mapping(const nn::Network& network, const hw::Mapping& mapping, const std::optional<hw::Device>& device,
                   const std::string& file) {
  std::string reason;
  if (device) {
    reason = hw::why_invalid(hw::Workload(network), mapping, *device);
  } else {
    const hw::Workload workload(network);
    const auto& accelerator = hw::accelerator_template(mapping.accelerator);
    for (std::size_t i = 0; i < workload.weight_units().size() && reason.empty(); ++i) {
      const auto& unit = workload.weight_unit(i);
      if (i >= mapping.layers.size() || mapping.layers[i].layer != unit.name)
        reason = fmt::format("layer with weights number {} of network {} is {}, the mapping has {}", i + 1,
                             network.name(), unit.name, i < mapping.layers.size() ? mapping.layers[i].layer : "none");
      else
        reason = accelerator.why_invalid(unit, mapping.layers[i]);
    }
    if (reason.empty() && mapping.layers.size() > workload.weight_units().size())
      reason = fmt::format("mapping layer '{}' is not a layer with weights of network {}",
                           mapping.layers[workload.weight_units().size()].layer, network.name());
  }
  if (!reason.empty()) throw InputError(fmt::format("--mapping {}: {}", file, reason));
}

interop::ExportedDesign design_from_files(const ExportOptions& o) {
  require_readable_file("--network", o.network);
  require_readable_file("--weights", o.weights);
  if (!o.mapping.empty()) require_readable_file("--mapping", o.mapping);
  auto network = nn::load_network(o.network);
  auto weights = nn::Weights::load(o.weights);
  try {  // the weights must fit the network (every tensor, every shape), or nothing is exported
    nn::ReferenceForward(network, weights, nn::Arithmetic::float32);
  } catch (const InputError& error) {
    throw InputError(fmt::format("--weights {}: not weights of --network {}: {}", o.weights, o.network, error.what()));
  }
  std::optional<hw::Mapping> mapping;
  if (!o.mapping.empty()) mapping = hw::load_mapping(o.mapping);
  std::optional<hw::Device> device;
  if (!o.device.empty()) {
    try {
      device = device_catalog(o.devices).find(o.device);
    } catch (const InputError& error) {
      throw InputError(fmt::format("--device {}: {}", o.device, error.what()));
    }
  }
  if (mapping) check_mapping(network, *mapping, device, o.mapping);
  const auto source = fmt::format("network {}, weights {}{}", o.network, o.weights,
                                  o.mapping.empty() ? std::string() : ", mapping " + o.mapping);
  return interop::make_exported_design(std::move(network), std::move(weights), std::move(mapping), std::move(device),
                                       source);
}

void export_one_design(const ExportOptions& o) {
  const auto names = format_names(o.formats);
  check_format_names(names);
  check_out_dir(o.out);
  const auto design = [&] {
    if (o.db.empty()) return design_from_files(o);
    const auto store = read_only_store("--db", o.db);
    return interop::trial_design(chosen_study(store, o.study), *o.trial);
  }();
  const auto formats = interop::chosen_formats(design, names, "--format");
  const auto written = interop::export_design(design, o.out, formats, "--out");
  fmt::print("design:  {} ({})\n", design.network.name(), design.source);
  if (design.mapping) fmt::print("mapping: {} template, {} layers\n", design.mapping->accelerator, design.mapping->layers.size());
  fmt::print("wrote:   {} files into {}: {}\n", written.size(), o.out, fmt::join(written, ", "));
  for (const auto& format : interop::export_formats())
    if (names.empty() && !format.why_not(design).empty())
      fmt::print("skipped: {} ({})\n", format.name, format.why_not(design));
}

void export_trials_table(const ExportOptions& o) {
  const auto extension = std::filesystem::path(o.trials).extension().string();
  if (extension != ".csv" && extension != ".json")
    throw InputError(fmt::format("--trials {}: expected a .csv or .json file name", o.trials));
  require_writable_file("--trials", o.trials);
  const auto store = read_only_store("--db", o.db);
  const auto data = report::collect_report_data(chosen_study(store, o.study));
  const auto table = report::trial_table(data, o.front);
  write_file_atomically(o.trials, extension == ".csv" ? report::trial_table_csv(table)
                                                       : report::trial_table_json(data, table).dump(2) + "\n");
  fmt::print("study:  {} in {}\n", data.study, o.db);
  fmt::print("wrote:  {} ({} of {} trials{}; front {} designs)\n", o.trials, table.rows.size(), data.trials.size(),
             o.front ? ", the front" : "", data.front.size());
}

void run_export(const ExportOptions& o) {
  check_usage(o);
  if (!o.trials.empty())
    export_trials_table(o);
  else
    export_one_design(o);
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  auto* command = app.add_subcommand(
      "export", "Export one design (codse files, FINN folding config, hls4ml config) or a study's trials table");
  set_help_example(command, "codse export --db mnist.sqlite --trial 42 --out design42 && codse export --db mnist.sqlite "
                            "--trials trials.csv");
  command->add_option("--db", options->db, "Study store (codse explore or codse dse --db)");
  command->add_option("--study", options->study, "Study name in the store (default: its only study)");
  command->add_option("--trial", options->trial, "Trial number of the design to export (with --db)");
  command->add_option("--trials", options->trials, "Write every trial of the study to FILE.csv or FILE.json");
  command->add_flag("--front", options->front, "With --trials: the study's Pareto front only");
  command->add_option("--network", options->network, "Network file (JSON or YAML), instead of --db");
  command->add_option("--weights", options->weights, "Weights file of the network");
  command->add_option("--mapping", options->mapping, "Mapping file (docs/MAPPING.md)");
  command->add_option("--device", options->device, "Target device by name (its part goes into the configs)");
  add_devices_option(command, options->devices, false);  // it writes the device's part, no estimate
  command->add_option("--out", options->out, "Directory to export the design into");
  command->add_option("--format", options->formats,
                      "Formats to write, repeated or comma separated (default: every one that applies): " +
                          interop::export_format_names());
  command->callback([options] { run_export(*options); });
}

}  // namespace codse
