#include "explore/front_test_error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/train/trainer.hpp"
#include "store/test_error_document.hpp"

namespace codse::explore {
namespace {

std::size_t network_id(const Trial& trial) { return static_cast<std::size_t>(trial.design.values.at(0)); }

/// The network a trial recorded (its artifacts' "network"), as trained.
nn::Network recorded_network(const Trial& trial, const StudyJournal& journal) {
  const auto artifacts = nlohmann::ordered_json::parse(trial.artifacts_json, nullptr, false);
  const auto where = fmt::format("{}: study '{}', trial {}", journal.path().string(), journal.name(), trial.number);
  if (!artifacts.is_object() || !artifacts.contains("network"))
    throw InputError(fmt::format("{}: its artifacts hold no \"network\" to measure the test error of", where));
  return nn::network_from_json(artifacts.at("network"), where + ", artifacts \"network\"");
}

double test_error(const ExploreContext& context, const Trial& trial, const StudyJournal& journal) {
  const auto& test = context.data->test;
  const nn::LabeledSamples samples{test.features(), test.labels()};
  const auto network = recorded_network(trial, journal);
  const auto weights = context.files.load_weights(network_id(trial));
  return 1.0 - nn::evaluate_accuracy(network, weights, samples, context.config.training.threads);
}

}  // namespace

std::map<std::size_t, double> measure_front_test_error(const ExploreContext& context, const std::vector<Trial>& trials,
                                                       const std::vector<std::size_t>& front, StudyJournal& journal) {
  std::map<std::size_t, double> values;
  if (context.data->test.empty()) return values;
  const auto stored = read_test_error(journal);
  // What is stored serves every trial of the same network: the weights have not changed since.
  std::map<std::size_t, double> by_network;
  for (const auto& trial : trials)
    if (const auto found = stored.find(trial.number); found != stored.end()) by_network[network_id(trial)] = found->second;
  for (const auto index : front) {
    const auto& trial = trials.at(index);
    auto entry = by_network.find(network_id(trial));
    if (entry == by_network.end()) entry = by_network.emplace(network_id(trial), test_error(context, trial, journal)).first;
    values[trial.number] = entry->second;
  }
  if (values != stored) write_test_error(journal, values);
  return values;
}

}  // namespace codse::explore
