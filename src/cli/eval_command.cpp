#include "cli/eval_command.hpp"

#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/help_example.hpp"
#include "cli/numeric_option.hpp"
#include "core/error.hpp"
#include "core/output_path.hpp"
#include "interop/network_evaluation.hpp"
#include "nn/data/dataset_loader.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"

namespace codse {
namespace {

struct EvalOptions {
  std::string network;
  std::string weights;
  std::string integer_model;
  std::string dataset;
  std::string data_dir;
  std::string split = "test";
  std::uint64_t seed = 1;             // codse train's default: the same split and normalisation
  double validation_fraction = 0.1;   // codse train's default
  double test_fraction = 0.2;         // a single CSV table's test share: DatasetOptions' default, as train
  std::size_t limit = 0;
  bool json = false;
};

/// The dataset as `codse train` loads it for the same seed and validation fraction: the same
/// split and the same normalisation fitted on the same training samples (nn/data).
nn::DatasetSplits load_like_train(const EvalOptions& o, const nn::Network& network) {
  // The options codse train sets, from the same network: when networks carry their own input
  // preprocessing, it is set here as train sets it, so eval sees what training saw.
  nn::DatasetOptions options;
  options.data_dir = o.data_dir;
  options.seed = o.seed;
  options.validation_fraction = o.validation_fraction;
  options.test_fraction = o.test_fraction;
  options.preprocessing = network.preprocessing();
  try {
    return nn::load_dataset(o.dataset, options);
  } catch (const InputError& error) {
    throw InputError(fmt::format("--dataset {}: {}", o.dataset, error.what()));
  }
}

const nn::Dataset& chosen_split(const nn::DatasetSplits& data, const std::string& split) {
  if (split == "test") return data.test;
  if (split == "validation") return data.validation;
  if (split == "train") return data.train;
  throw InputError(fmt::format("--split {}: expected test, validation or train", split));
}

/// The integer model of --integer-model, else the one exported from the weights; none (with the
/// reason) for a network that has float layers.
std::optional<nn::IntegerModel> integer_model(const EvalOptions& o, const nn::Network& network,
                                              const nn::Weights& weights, std::string& why_not) {
  if (!o.integer_model.empty()) {
    auto model = nn::IntegerModel::load(o.integer_model);
    if (const auto difference = nn::integer_model_difference(network, model))
      throw InputError(fmt::format("--integer-model {}: not the model of --network {}: {}", o.integer_model,
                                   o.network, *difference));
    return model;
  }
  try {
    return nn::export_integer_model(network, weights);
  } catch (const InputError& error) {
    why_not = error.what();
    return std::nullopt;
  }
}

void print_text(const EvalOptions& o, const nn::Network& network, const nn::DatasetSplits& data,
                const interop::NetworkEvaluation& result, const std::string& why_no_integer) {
  fmt::print("network:       {}\n", network.name());
  fmt::print("dataset:       {}, {} split, {} samples\n", data.name, o.split, result.samples);
  fmt::print("accuracy:      {:.2f}% ({} reference forward)\n", 100.0 * result.accuracy,
             result.arithmetic == "fake_quant" ? "fake-quantized" : "float");
  if (result.integer_accuracy)
    fmt::print("integer model: {:.2f}% (same prediction as the reference on {:.2f}% of the samples)\n",
               100.0 * *result.integer_accuracy, 100.0 * *result.integer_agreement);
  else
    fmt::print("integer model: none ({})\n", why_no_integer);
}

nlohmann::ordered_json result_json(const EvalOptions& o, const nn::Network& network, const nn::DatasetSplits& data,
                                   const interop::NetworkEvaluation& result, const std::string& why_no_integer) {
  nlohmann::ordered_json out = {{"network", network.name()}, {"dataset", data.name},    {"split", o.split},
                                {"samples", result.samples}, {"seed", o.seed},          {"arithmetic", result.arithmetic},
                                {"accuracy", result.accuracy}};
  if (result.integer_accuracy)
    out["integer_model"] = {{"accuracy", *result.integer_accuracy}, {"agreement", *result.integer_agreement}};
  else
    out["integer_model"] = {{"error", why_no_integer}};
  return out;
}

void run_eval(const EvalOptions& o) {
  require_readable_file("--network", o.network);
  require_readable_file("--weights", o.weights);
  if (!o.integer_model.empty()) require_readable_file("--integer-model", o.integer_model);
  if (!(o.validation_fraction > 0 && o.validation_fraction < 1))
    throw InputError(fmt::format("--validation-fraction {}: must be in (0, 1)", o.validation_fraction));
  const auto network = nn::load_network(o.network);
  const auto weights = nn::Weights::load(o.weights);
  const auto data = load_like_train(o, network);
  const auto& samples = chosen_split(data, o.split);
  if (samples.empty()) throw InputError(fmt::format("--split {}: the dataset {} has no such samples", o.split, data.name));
  if (samples.num_classes() > static_cast<int>(network.output_shape().size()))
    throw InputError(fmt::format("--dataset {}: {} classes but network {} has only {} outputs", data.name,
                                 samples.num_classes(), network.name(), network.output_shape().size()));
  std::string why_no_integer;
  const auto model = integer_model(o, network, weights, why_no_integer);
  const auto result = [&] {
    try {
      return interop::evaluate_network(network, weights, samples, model ? &*model : nullptr, o.limit);
    } catch (const InputError& error) {
      throw InputError(fmt::format("--dataset {} with --network {}: {}", o.dataset, o.network, error.what()));
    }
  }();
  if (o.json)
    fmt::print("{}\n", result_json(o, network, data, result, why_no_integer).dump(2));
  else
    print_text(o, network, data, result, why_no_integer);
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalOptions>();
  auto* command = app.add_subcommand("eval", "Accuracy of a network with its weights on a dataset");
  set_help_example(command, "codse eval --network examples/networks/digits_mlp_w4a4.json --weights run/weights.bin "
                            "--dataset digits");
  command->add_option("--network", options->network, "Network file (JSON or YAML)")->required();
  command->add_option("--weights", options->weights, "Weights file")->required();
  command->add_option("--dataset", options->dataset, "mnist | fashion-mnist | cifar10 | csv:FILE")->required();
  command->add_option("--data-dir", options->data_dir, "Directory of the dataset's files (default: see docs)");
  command->add_option("--integer-model", options->integer_model,
                      "Integer model file to evaluate (default: exported from the weights)");
  command->add_option("--split", options->split, "test | validation | train")->capture_default_str();
  command->add_option("--seed", options->seed, "Seed of the dataset split (as codse train --seed)")
      ->capture_default_str()
      ->check(cli::seed_number());
  command->add_option("--validation-fraction", options->validation_fraction,
                      "Share of the training files held out for validation (as codse train)")
      ->capture_default_str()
      ->check(cli::real_in(0, 1, false));
  command->add_option("--test-fraction", options->test_fraction,
                      "A single CSV table: share of its rows held out as the test set (explore's dataset.test_fraction)")
      ->capture_default_str()
      ->check(cli::real_in(0, 1, false));
  command->add_option("--limit", options->limit, "Evaluate the first N samples only (0: all)")
      ->capture_default_str()
      ->check(cli::whole_in(0, std::int64_t{1} << 40));
  command->add_flag("--json", options->json, "Print the result as JSON");
  command->callback([options] { run_eval(*options); });
}

}  // namespace codse
