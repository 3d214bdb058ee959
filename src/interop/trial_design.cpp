#include "interop/trial_design.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/mapping_file.hpp"
#include "interop/design_export.hpp"
#include "nn/ir/network_io.hpp"
#include "report/recorded_weights.hpp"

namespace codse::interop {
namespace {

Trial find_trial(const StudyJournal& journal, std::size_t number, const std::string& where) {
  const auto trials = journal.trials();
  for (const auto& trial : trials)
    if (trial.number == number) return trial;
  if (trials.empty()) throw InputError(fmt::format("{}: trial {}: the study has no trials", where, number));
  throw InputError(fmt::format("{}: trial {} is not in the study (its trials are {} to {})", where, number,
                               trials.front().number, trials.back().number));
}

std::optional<hw::Device> named_device(const nlohmann::json& artifacts) {
  if (!artifacts.contains("device") || !artifacts.at("device").is_string()) return std::nullopt;
  try {
    return hw::DeviceCatalog::builtin().find(artifacts.at("device").get<std::string>());
  } catch (const InputError&) {  // a device of a catalog file the study's config added
    return std::nullopt;
  }
}

/// The `codse eval` options of a co-exploration's dataset: its name, directory, split fractions
/// and the study's seed, which decide the split and normalisation its trials were measured on,
/// and that split (validation).
std::string eval_options(const nlohmann::json& config) {
  if (!config.contains("dataset") || !config.at("dataset").is_object()) return {};
  const auto& dataset = config.at("dataset");
  if (!dataset.contains("name") || !dataset.at("name").is_string()) return {};
  auto options = fmt::format("--dataset {}", dataset.at("name").get<std::string>());
  if (dataset.contains("data_dir") && dataset.at("data_dir").is_string() && !dataset.at("data_dir").get<std::string>().empty())
    options += fmt::format(" --data-dir {}", dataset.at("data_dir").get<std::string>());
  if (config.contains("seed") && config.at("seed").is_number_unsigned())
    options += fmt::format(" --seed {}", config.at("seed").get<std::uint64_t>());
  for (const auto& [key, option] : {std::pair{"validation_fraction", "--validation-fraction"},
                                    std::pair{"test_fraction", "--test-fraction"}})
    if (dataset.contains(key) && dataset.at(key).is_number()) options += fmt::format(" {} {}", option, dataset.at(key).get<double>());
  // The split the trial's accuracy (the search's error) was measured on; the test split stays
  // held out until the front's test_error is measured at the end of the run.
  return options + " --split validation";
}

}  // namespace

ExportedDesign trial_design(const StudyJournal& journal, std::size_t number) {
  const auto where = fmt::format("{}: study '{}'", journal.path().string(), journal.name());
  const auto trial = find_trial(journal, number, where);
  const auto here = fmt::format("{}: trial {}", where, number);
  const auto artifacts = trial.artifacts_json.empty() ? nlohmann::json() : nlohmann::json::parse(trial.artifacts_json);
  if (!artifacts.is_object() || !artifacts.contains("network") || !artifacts.contains("weights"))
    throw InputError(fmt::format("{}: records no network and weights to export (a `codse dse` study holds knob "
                                 "values only; export designs of `codse explore` studies)",
                                 here));
  auto network = nn::network_from_json(artifacts.at("network"), here + " artifacts.network");
  const auto weights_path = report::recorded_weights(journal.path(), artifacts).value_or(journal.path().parent_path());
  if (!std::filesystem::is_regular_file(weights_path))
    throw InputError(fmt::format("{}: weights file {} is missing (the study's artifacts directory moved?)", here,
                                 weights_path.string()));
  auto weights = nn::Weights::load(weights_path.string());
  std::optional<hw::Mapping> mapping;
  if (artifacts.contains("mapping"))
    mapping = hw::parse_mapping(artifacts.at("mapping").dump(), here + " artifacts.mapping");
  auto design = make_exported_design(std::move(network), std::move(weights), std::move(mapping), named_device(artifacts),
                                     fmt::format("trial {} of study '{}' in {}", number, journal.name(),
                                                 journal.path().string()));
  design.eval_options = eval_options(journal.config());
  return design;
}

}  // namespace codse::interop
