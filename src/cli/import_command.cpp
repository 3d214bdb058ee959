#include "cli/import_command.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/help_example.hpp"
#include "cli/numeric_option.hpp"
#include "core/error.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/onnx/onnx_import.hpp"

namespace codse {
namespace {

struct ImportCommandOptions {
  std::string model;
  std::string out;
  std::string name;
  double input_scale = 1.0 / 255.0;
  std::vector<double> input_mean{0.0};
  std::vector<double> input_std{1.0};
};

/// Whether any layer is quantized: then the model is meant for integer hardware, and an integer
/// model that cannot be exported is an error rather than a float network's normal state.
bool is_quantized(const nn::Network& network) {
  for (const auto& layer : network.layers())
    if (!layer.weight_quant.is_float() || !layer.activation_quant.is_float()) return true;
  return false;
}

/// The integer model of a quantized network (std::nullopt for a float one), made before anything
/// is written so that a model without one leaves no half-imported directory.
std::optional<nn::IntegerModel> integer_model_of(const nn::ImportedNetwork& imported, const std::string& model) {
  if (!is_quantized(imported.network)) return std::nullopt;
  try {
    return nn::export_integer_model(imported.network, imported.weights);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: the quantized model has no integer model: {}", model, e.what()));
  }
}

void run_import(const ImportCommandOptions& o) {
  nn::OnnxImportOptions options;
  options.name = o.name;
  options.preprocessing = {o.input_scale, o.input_mean, o.input_std};
  const auto imported = nn::import_onnx(o.model, options);
  const auto integer_model = integer_model_of(imported, o.model);
  std::error_code error;
  std::filesystem::create_directories(o.out, error);
  if (error || !std::filesystem::is_directory(o.out))
    throw InputError(fmt::format("--out {}: cannot create the directory ({})", o.out, error.message()));
  const std::filesystem::path out(o.out);
  nn::save_network(imported.network, out / "network.json");
  imported.weights.save((out / "weights.bin").string());
  const auto stats = imported.network.stats();
  fmt::print("imported {} from {}: {} layers, {} params, {} MACs\n", imported.network.name(), o.model,
             imported.network.layers().size(), stats.params, stats.macs);
  fmt::print("wrote {}, {}\n", (out / "network.json").string(), (out / "weights.bin").string());
  if (!integer_model) return;
  integer_model->save((out / "integer_model.json").string());
  fmt::print("wrote {}\n", (out / "integer_model.json").string());
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto options = std::make_shared<ImportCommandOptions>();
  auto* command = app.add_subcommand(
      "import", "Import an ONNX model (float, QCDQ or QONNX): write network.json, weights.bin, integer_model.json");
  set_help_example(command, "codse import model.onnx --out imported && codse hw map --network imported/network.json "
                            "--device XC7Z020 --out front.json    (model.onnx from torch.onnx.export)");
  command->add_option("model", options->model, "The .onnx file")->required();
  command->add_option("--out", options->out, "Output directory")->required();
  command->add_option("--name", options->name, "Network name (default: the graph's name or the file's stem)");
  command->add_option("--input-scale", options->input_scale,
                      "Preprocessing: samples are multiplied by this first (default 1/255: 8-bit pixels to [0, 1])")
      ->check(cli::real_above(0));
  command->add_option("--input-mean", options->input_mean,
                      "Preprocessing: per-channel mean subtracted after scaling (one value or one per channel)")
      ->expected(1, 1 << 16);
  command->add_option("--input-std", options->input_std,
                      "Preprocessing: per-channel standard deviation divided by last (one value or one per channel)")
      ->expected(1, 1 << 16);
  command->callback([options] { run_import(*options); });
}

}  // namespace codse
