// `codse hw synth` and `codse hw calibrate` (hw_synth_command.hpp).
#include "cli/hw_synth_command.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/help_example.hpp"
#include "cli/hw_rtl_command.hpp"
#include "cli/device_catalog_option.hpp"
#include "cli/evaluation_workers.hpp"
#include "cli/numeric_option.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/output_path.hpp"
#include "core/interrupt.hpp"
#include "hw/calibrate/calibration_corpus.hpp"
#include "hw/calibrate/corpus_synthesis.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/mapping_file.hpp"
#include "hw/synth/synth_network.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/ir/weights.hpp"

namespace codse {
namespace {

struct SynthCommandOptions {
  std::string network, weights, integer_model, mapping, device, cache, out;
  DeviceCatalogOptions devices;  // --devices catalogs, --uncalibrated
  int jobs = 2;
  double timeout_s = 1200.0;
  double memory_gb = 0.0;  // 0: an equal share of this process's memory per parallel run
  bool json = false;
  bool no_place_route = false;
};

/// --memory-limit in GB as bytes; 0 stays 0 (the tools' default share).
std::uint64_t gigabytes(double gb) { return static_cast<std::uint64_t>(gb * 1e9); }

void add_memory_limit_option(CLI::App* command, double& gb) {
  command
      ->add_option("--memory-limit", gb,
                   "GB of address space each tool run may map (default: the machine's memory, or a tighter ulimit -v or cgroup limit, shared by --jobs)")
      ->check(cli::real_in(0.1, 1e6));
}

nlohmann::json resources_json(const hw::Resources& r) {
  nlohmann::json object;
  for (const auto& kind : hw::resource_kinds()) object[kind.name] = r.*kind.count;
  return object;
}

nlohmann::json synthesis_json(const hw::NetworkSynthesis& s) {
  const auto& e = s.estimate;
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : s.layers) {
    nlohmann::json cells(layer.stats.cells);
    layers.push_back({{"layer", layer.name},
                      {"resources", resources_json(layer.stats.resources)},
                      {"cells", cells},
                      {"unmapped_cells", layer.stats.unmapped},
                      {"yosys_seconds", layer.seconds},
                      {"cached", layer.from_cache},
                      {"entry", layer.entry.string()}});
  }
  nlohmann::json out = {{"network", e.network},
                        {"device", e.device},
                        {"fidelity", std::string(to_string(e.fidelity))},
                        {"clock_mhz", e.clock_mhz},
                        {"total", resources_json(e.total)},
                        {"fits", e.fits},
                        {"overflow", e.overflow},
                        {"ii_cycles", e.ii_cycles},
                        {"latency_cycles", e.latency_cycles},
                        {"latency_us", e.latency_us},
                        {"fps", e.fps},
                        {"power_w", e.power_w},
                        {"energy_uj", e.energy_uj},
                        {"layers", layers},
                        {"tool_runs", s.tool_runs},
                        {"tool_seconds", s.tool_seconds},
                        {"rtl_dir", s.rtl.dir.string()}};
  if (s.placed) {
    nlohmann::json bels = nlohmann::json::object();
    for (const auto& [bel, use] : s.placed->utilisation) bels[bel] = {{"used", use.used}, {"available", use.available}};
    out["place_and_route"] = {{"fmax_mhz", s.placed->fmax_mhz},     {"clock_net", s.placed->clock},
                              {"utilisation", bels},                 {"bitstream", s.bitstream.string()},
                              {"wrapper_ffs", s.wrapper_ffs},        {"cached", s.placed->from_cache},
                              {"seconds", s.placed->seconds},        {"entry", s.placed->entry.string()}};
  }
  return out;
}

void print_synthesis(const hw::NetworkSynthesis& s) {
  const auto& e = s.estimate;
  fmt::print("{} on {} ({}), RTL in {}\n", e.network, e.device, to_string(e.fidelity), s.rtl.dir.string());
  fmt::print("{:<16} {:>8} {:>8} {:>5} {:>7} {:>5} {:>9}\n", "layer", "lut", "ff", "dsp", "bram18", "uram", "yosys");
  for (const auto& layer : s.layers) {
    const auto& r = layer.stats.resources;
    fmt::print("{:<16} {:>8.0f} {:>8.0f} {:>5.0f} {:>7.0f} {:>5.0f} {:>9}\n", layer.name, r.lut, r.ff, r.dsp, r.bram18,
               r.uram, layer.from_cache ? std::string("cached") : fmt::format("{:.1f} s", layer.seconds));
    if (!layer.stats.unmapped.empty())
      fmt::print("  cells codse does not count: {}\n", fmt::join(layer.stats.unmapped, ", "));
  }
  const auto& t = e.total;
  fmt::print("{:<16} {:>8.0f} {:>8.0f} {:>5.0f} {:>7.0f} {:>5.0f}\n", s.placed ? "placed design" : "total", t.lut, t.ff,
             t.dsp, t.bram18, t.uram);
  if (s.placed) {
    fmt::print("place and route: fmax {:.2f} MHz ({}), {}\n", s.placed->fmax_mhz, s.placed->clock,
               s.placed->from_cache ? std::string("cached") : fmt::format("{:.1f} s", s.placed->seconds));
    for (const auto& [bel, use] : s.placed->utilisation)
      if (use.used > 0) fmt::print("  {:<16} {:>6} / {}\n", bel, use.used, use.available);
    fmt::print("  (the IO wrapper adds {} flip-flops)\n", s.wrapper_ffs);
    fmt::print("bitstream: {}\n", s.bitstream.string());
  }
  fmt::print("at {:.2f} MHz: {} cycles per inference, {:.0f} inferences/s, {:.3f} W, fits: {}{}\n", e.clock_mhz,
             e.ii_cycles, e.fps, e.power_w, e.fits ? "yes" : "no", e.fits ? "" : " (" + e.overflow + ")");
  fmt::print("tools: {} runs, {:.1f} s\n", s.tool_runs, s.tool_seconds);
}

void run_synth(const SynthCommandOptions& o) {
  if (o.jobs < 1) throw InputError(fmt::format("--jobs {}: expected at least 1", o.jobs));
  if (!(o.timeout_s > 0)) throw InputError(fmt::format("--timeout {}: expected seconds > 0", o.timeout_s));
  // The inputs first, then the output directories: a typo in an input must not leave them behind.
  const nn::Network network = nn::load_network(o.network);
  const nn::IntegerModel model = load_integer_model(network, o.network, o.weights, o.integer_model);
  const auto catalog = device_catalog(o.devices);
  const hw::Device& device = catalog.find(o.device);
  require_writable_directory("--out", o.out);
  if (!o.cache.empty()) require_writable_directory("--cache", o.cache);

  hw::NetworkSynthOptions options;
  if (!o.cache.empty()) options.synth.cache_dir = o.cache;
  options.synth.jobs = o.jobs;
  options.synth.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.timeout_s * 1000));
  options.place_route.timeout = options.synth.timeout;
  options.synth.memory_limit = gigabytes(o.memory_gb);
  options.place_route.memory_limit = gigabytes(o.memory_gb);
  options.place_and_route = !o.no_place_route;
  options.out_dir = o.out;
  hw::ToolRunner runner;
  set_resume_hint(fmt::format("the finished Yosys runs are cached in {}; run the same command again to go on",
                              options.synth.cache_dir.string()));
  options.calibration = catalog.calibration(device.name);
  const auto result = hw::synthesize_network(network, model, hw::load_mapping(o.mapping), device, options, runner);
  if (o.json) {
    auto document = synthesis_json(result);
    document["calibrated"] = !options.calibration.is_identity();
    fmt::print("{}\n", document.dump(2));
  } else {
    print_synthesis(result);
    fmt::print("estimate's {}\n", cost_model_line(options.calibration));
  }
}

struct CalibrateOptions {
  std::string family = "xc7", device, cache, work = "calibration-work", out, check, samples;
  DeviceCatalogOptions devices;  // --devices catalogs
  int layers = 32;
  int hold_out_every = 4;
  std::uint64_t seed = 1;
  int jobs = 2;
  double timeout_s = 600.0;
  double memory_gb = 0.0;
};

/// The catalog device a family is calibrated on (the first of the family in the catalog).
const hw::Device& family_device(const hw::DeviceCatalog& catalog, const CalibrateOptions& o) {
  if (!o.device.empty()) return catalog.find(o.device);
  for (const auto& device : catalog.devices())
    if (to_string(hw::synth_family(device)) == o.family) return device;
  throw InputError(fmt::format("--family {}: no device of that family (known: xc7, xcup, ecp5, ice40)", o.family));
}

/// A catalog file with every built-in device of the family and the calibration in each entry.
void write_calibrated_catalog(const std::string& path, const hw::Device& calibrated, const hw::Calibration& c) {
  auto document = nlohmann::json::parse(hw::builtin_device_catalog_text());
  nlohmann::json devices = nlohmann::json::array();
  const auto family = hw::synth_family(calibrated);
  const auto builtin = hw::DeviceCatalog::builtin();
  for (auto& entry : document["devices"]) {
    const auto& device = builtin.find(entry["name"].get<std::string>());
    if (hw::synth_family(device) != family) continue;
    entry["calibration"] = c.to_json();
    devices.push_back(entry);
  }
  nlohmann::json out = {{"about", fmt::format("codse hw calibrate: the {} devices of the built-in catalog with "
                                              "LUT/FF coefficients fitted on {}; load with --devices",
                                              to_string(family), calibrated.name)},
                        {"devices", devices}};
  write_file_atomically(path, out.dump(2) + "\n");
}

/// --samples: one CSV row per corpus layer (its parameters, terms, the uncalibrated analytic
/// count and what Yosys measured), for fitting or plotting outside codse.
void write_samples_csv(const std::string& path, const std::vector<hw::CorpusLayer>& layers,
                       const std::vector<hw::CalibrationSample>& samples, int hold_out_every) {
  std::string text = "name,inputs,outputs,weight_bits,input_bits,input_signed,pe,simd,storage,requantized,held_out";
  for (std::size_t t = 0; t < hw::lut_term_count; ++t)
    text += fmt::format(",lut_{}", hw::to_string(static_cast<hw::LutTerm>(t)));
  for (std::size_t t = 0; t < hw::ff_term_count; ++t)
    text += fmt::format(",ff_{}", hw::to_string(static_cast<hw::FfTerm>(t)));
  text += ",analytic_lut,analytic_ff,lut,ff,dsp,bram18\n";
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& l = layers[i];
    const auto& s = samples[i];
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{}", s.name, l.inputs, l.outputs, l.weight_bits, l.input_bits,
                        l.input_signed ? 1 : 0, l.pe, l.simd, to_string(l.storage), l.requantized ? 1 : 0, hw::held_out_layer(i, hold_out_every) ? 1 : 0);
    for (const double v : s.terms.lut) text += fmt::format(",{}", v);
    for (const double v : s.terms.ff) text += fmt::format(",{}", v);
    text += fmt::format(",{},{},{},{},{},{}\n", s.analytic.lut, s.analytic.ff, s.measured.lut, s.measured.ff,
                        s.measured.dsp, s.measured.bram18);
  }
  write_file_atomically(path, text);
}

/// Per layer: the uncalibrated analytic count, the calibrated one and Yosys's (held-out layers
/// marked when hold_out_every > 0).
void print_layer_table(const std::vector<hw::CalibrationSample>& samples, const hw::Calibration& calibration,
                       int hold_out_every) {
  fmt::print("{:<40} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>4} {:>4} {:>5} {:>5}\n", "layer", "lut", "cal", "yosys",
             "ff", "cal", "yosys", "dsp", "yo", "bram", "yo");
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& s = samples[i];
    hw::Resources calibrated = s.analytic;
    hw::apply_term_calibration(calibration, s.terms, calibrated);
    fmt::print("{:<40} {:>6.0f} {:>6.0f} {:>6.0f} {:>6.0f} {:>6.0f} {:>6.0f} {:>4.0f} {:>4.0f} {:>5.0f} {:>5.0f}{}\n",
               s.name, s.analytic.lut, calibrated.lut, s.measured.lut, s.analytic.ff, calibrated.ff, s.measured.ff,
               s.analytic.dsp, s.measured.dsp, calibrated.bram18, s.measured.bram18,
               hw::held_out_layer(i, hold_out_every) ? "  (held out)" : "");
  }
}

void print_error_header() {
  fmt::print("{:<26} {:>9} {:>9} {:>13} {:>14}\n", "error", "LUT MAPE%", "FF MAPE%", "DSP max |d|", "BRAM18 max |d|");
}

void print_error_row(const char* what, const hw::CalibrationError& e) {
  fmt::print("{:<26} {:>9.1f} {:>9.1f} {:>13.0f} {:>14.0f}\n", what, e.lut_mape, e.ff_mape, e.dsp_max_abs,
             e.bram_max_abs);
}

/// --check: the stored calibration of the device in a catalog file against a (fresh) corpus,
/// every layer of which is held out of that calibration's fit.
void check_calibration(const CalibrateOptions& o, const hw::Device& device,
                       const std::vector<hw::CalibrationSample>& samples, std::int64_t runs, double seconds) {
  const auto checked = hw::DeviceCatalog::load(o.check);
  const hw::Calibration& stored = checked.calibration(device.name);
  if (!stored.by_terms)
    throw InputError(fmt::format("{}: device {} has no term calibration to check", o.check, device.name));
  fmt::print("{} ({}): {} layers (seed {}), {} tool runs, {:.1f} s; calibration of {}\n", device.name, o.family,
             samples.size(), o.seed, runs, seconds, o.check);
  print_layer_table(samples, stored, 0);
  print_error_header();
  print_error_row("all layers, uncalibrated", hw::calibration_error(samples, {}));
  print_error_row("all layers, calibrated", hw::calibration_error(samples, stored));
}

void run_calibrate(const CalibrateOptions& o) {
  if (o.layers < 4) throw InputError(fmt::format("--layers {}: need at least 4", o.layers));
  if (o.hold_out_every < 2) throw InputError(fmt::format("--hold-out-every {}: need at least 2", o.hold_out_every));
  if (!(o.timeout_s > 0)) throw InputError(fmt::format("--timeout {}: expected seconds > 0", o.timeout_s));
  if (o.jobs < 1) throw InputError(fmt::format("--jobs {}: expected at least 1", o.jobs));
  const auto catalog = device_catalog(o.devices);
  const hw::Device& device = family_device(catalog, o);
  // Every path before the Yosys runs (minutes): a typo must not cost them. Inputs before the
  // directories this creates, so a typo in an input leaves nothing behind.
  if (!o.check.empty()) require_readable_file("--check", o.check);
  if (!o.out.empty()) require_writable_file("--out", o.out);
  if (!o.samples.empty()) require_writable_file("--samples", o.samples);
  if (!o.cache.empty()) require_writable_directory("--cache", o.cache);
  require_writable_directory("--work", o.work);
  if (!o.check.empty()) {
    const auto checked = hw::DeviceCatalog::load(o.check);
    bool has_terms = false;
    try {
      has_terms = checked.calibration(device.name).by_terms;
    } catch (const InputError& error) {
      throw InputError(fmt::format("--check {}: {}", o.check, error.what()));
    }
    if (!has_terms)
      throw InputError(fmt::format("--check {}: device {} has no term calibration to check", o.check, device.name));
    if (!o.out.empty()) throw InputError("--check and --out: --check fits nothing, so there is nothing to write");
  }
  hw::SynthOptions options;
  if (!o.cache.empty()) options.cache_dir = o.cache;
  options.jobs = o.jobs;
  options.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.timeout_s * 1000));
  options.memory_limit = gigabytes(o.memory_gb);
  hw::ToolRunner runner;
  hw::Synthesizer synth(device, options, runner);
  if (serves_jobs(false)) {  // an MPI rank above 0: the Yosys runs rank 0 sends
    hw::CorpusSynthesis synthesis(synth);
    return serve_jobs_for_coordinator(synthesis, false);
  }
  const auto executor = make_evaluation_executor(1);  // MPI ranks when there are several
  set_resume_hint(fmt::format("the finished Yosys runs are cached in {}; run the same command again to go on",
                              options.cache_dir.string()));
  const auto start = std::chrono::steady_clock::now();
  const auto layers = hw::sample_corpus(o.layers, o.seed, device);
  const auto samples = hw::build_corpus(layers, device, o.work, synth, executor.get());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!o.samples.empty()) write_samples_csv(o.samples, layers, samples, o.check.empty() ? o.hold_out_every : 0);

  if (!o.check.empty()) {
    check_calibration(o, device, samples, runner.runs(), seconds);
    return;
  }
  std::vector<hw::CalibrationSample> fit_set, held_out;
  for (std::size_t i = 0; i < samples.size(); ++i) (hw::held_out_layer(i, o.hold_out_every) ? held_out : fit_set).push_back(samples[i]);
  auto calibration = hw::fit_calibration(fit_set);
  calibration.source = fmt::format("codse hw calibrate --family {} --layers {} --seed {}: {} layers fitted, {} held "
                                   "out, {}",
                                   to_string(synth.family()), o.layers, o.seed, fit_set.size(), held_out.size(),
                                   synth.yosys_version());

  fmt::print("{} ({}): {} layers, {} tool runs, {:.1f} s\n", device.name, to_string(synth.family()), samples.size(),
             runner.runs(), seconds);
  print_layer_table(samples, calibration, o.hold_out_every);
  std::string fit = "fit: lut =";
  for (std::size_t t = 0; t < hw::lut_term_count; ++t)
    fit += fmt::format(" {}{:.3f} {}", t == 0 ? "" : "+ ", calibration.lut_terms[t],
                       hw::to_string(static_cast<hw::LutTerm>(t)));
  fit += "\n     ff =";
  for (std::size_t t = 0; t < hw::ff_term_count; ++t)
    fit += fmt::format(" {}{:.3f} {}", t == 0 ? "" : "+ ", calibration.ff_terms[t],
                       hw::to_string(static_cast<hw::FfTerm>(t)));
  fmt::print("{}\n", fit);
  print_error_header();
  print_error_row("fitted layers, before", hw::calibration_error(fit_set, {}));
  print_error_row("fitted layers, after", hw::calibration_error(fit_set, calibration));
  print_error_row("held-out layers, before", hw::calibration_error(held_out, {}));
  print_error_row("held-out layers, after", hw::calibration_error(held_out, calibration));
  if (!o.out.empty()) {
    write_calibrated_catalog(o.out, device, calibration);
    fmt::print("wrote {} (use it with --devices)\n", o.out);
  }
}

}  // namespace

void add_hw_synth_commands(CLI::App& hw) {
  auto o = std::make_shared<SynthCommandOptions>();
  auto* synth = hw.add_subcommand(
      "synth", "Synthesize a network's RTL with Yosys layer by layer (cached); on iCE40 also place, route and pack");
  set_help_example(synth, "codse hw synth --network examples/networks/digits_mlp_w4a4.json --integer-model run/integer_model.json "
                          "--mapping examples/mappings/digits_mlp_w4a4.json --device iCE40UP5K --out synth");
  synth->add_option("--network", o->network, "network file (.json or .yaml)")->required();
  synth->add_option("--weights", o->weights, "weights file (codse train's weights.bin)");
  synth->add_option("--integer-model", o->integer_model, "integer model file (instead of --weights)");
  synth->add_option("--mapping", o->mapping, "mapping file (docs/MAPPING.md)")->required();
  synth->add_option("--device", o->device, "device name from the catalog")->required();
  add_devices_option(synth, o->devices);
  synth->add_option("--cache", o->cache, "synthesis cache directory (default ~/.cache/codse/synth)");
  synth->add_option("--jobs", o->jobs, "Yosys runs in parallel (default 2)")->check(cli::whole_in(1, 1024));
  synth->add_option("--timeout", o->timeout_s, "seconds each tool run may take (default 1200)")
      ->check(cli::real_in(0, 1e7, false));
  add_memory_limit_option(synth, o->memory_gb);
  synth->add_option("--out", o->out, "output directory: rtl/ and the bitstream")->required();
  synth->add_flag("--no-place-route", o->no_place_route, "iCE40: stop after synthesis");
  synth->add_flag("--json", o->json, "print the result as JSON");
  synth->callback([o] { run_synth(*o); });

  auto c = std::make_shared<CalibrateOptions>();
  auto* calibrate = hw.add_subcommand(
      "calibrate", "Fit the analytic estimator's LUT/FF coefficients to synthesized layers, report held-out error");
  set_help_example(calibrate, "codse hw calibrate --family ice40 --layers 24 --out ice40_calibrated.json");
  calibrate->add_option("--family", c->family, "xc7 (default), xcup, ecp5 or ice40");
  calibrate->add_option("--device", c->device, "calibrate on this device instead of the family's first");
  add_devices_option(calibrate, c->devices, false);  // it fits a calibration: none is used
  calibrate->add_option("--layers", c->layers, "corpus size (default 32)")->check(cli::whole_in(4, 1 << 20));
  calibrate->add_option("--hold-out-every", c->hold_out_every, "every k-th layer is held out of the fit (default 4)")
      ->check(cli::whole_in(2, 1 << 20));
  calibrate->add_option("--seed", c->seed, "seed of the corpus (default 1)")->check(cli::seed_number());
  calibrate->add_option("--cache", c->cache, "synthesis cache directory (default ~/.cache/codse/synth)");
  calibrate->add_option("--work", c->work, "directory for the corpus RTL (default calibration-work)");
  calibrate->add_option("--jobs", c->jobs, "Yosys runs in parallel (default 2)")->check(cli::whole_in(1, 1024));
  calibrate->add_option("--timeout", c->timeout_s, "seconds each Yosys run may take (default 600)")
      ->check(cli::real_in(0, 1e7, false));
  add_memory_limit_option(calibrate, c->memory_gb);
  calibrate->add_option("--out", c->out, "write the calibrated devices of the family to this catalog file");
  calibrate->add_option("--check", c->check,
                        "no fit: report the error of the calibration stored in this catalog file on the corpus");
  calibrate->add_option("--samples", c->samples,
                        "also write every corpus layer (parameters, terms, analytic and measured counts) as CSV");
  calibrate->callback([c] { run_calibrate(*c); });
}

}  // namespace codse
