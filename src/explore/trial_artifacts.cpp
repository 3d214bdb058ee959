#include "explore/trial_artifacts.hpp"

#include "core/metric_catalog.hpp"
#include "hw/estimate/estimate_json.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {

NetworkRecord network_record(const NetworkCandidate& candidate, const TrainedNetwork& trained,
                             const ArtifactFiles& files, std::optional<std::size_t> parent_trial) {
  const auto stats = trained.network.stats();
  NetworkRecord r;
  r.id = candidate.id;
  r.artifacts = {{"network", nn::network_to_json(trained.network)},
                 {"network_id", candidate.id},
                 {"morphism", candidate.change},
                 {"change_kind", candidate.change_kind},
                 {"training",
                  {{"epochs", trained.epochs},
                   {"seconds", trained.seconds},
                   {"validation_accuracy", trained.validation_accuracy},
                   {"learning_rate", candidate.hyper.learning_rate},
                   {"batch_size", candidate.hyper.batch_size},
                   {"warm_start", candidate.parent.has_value()}}},
                 {"weights", files.weights_entry(candidate.id).string()}};
  if (candidate.parent) r.artifacts["parent"] = parent_trial.value();
  if (candidate.parent) r.artifacts["parent_network_id"] = *candidate.parent;
  // The validation split, never the test set: the search chooses by these, and the test error of
  // the final front is measured once at the end (front_test_error.hpp).
  r.metrics = {{"error", 1.0 - trained.validation_accuracy},
               {"accuracy", trained.validation_accuracy},
               {"params", static_cast<double>(stats.params)},
               {"macs", static_cast<double>(stats.macs)}};
  return r;
}

std::vector<Trial> joint_trials(const NetworkRecord& record, const std::vector<DeviceMappings>& mappings,
                                const std::vector<hw::Device>& devices, bool must_fit, std::size_t first_number,
                                double train_seconds) {
  std::vector<Trial> trials;
  for (std::size_t d = 0; d < mappings.size(); ++d) {
    const auto& chosen = mappings[d];
    for (std::size_t k = 0; k < chosen.points.size(); ++k) {
      const auto& point = chosen.points[k];
      Trial trial;
      trial.number = first_number + trials.size();
      trial.design.values = {static_cast<double>(record.id), static_cast<double>(d), static_cast<double>(k)};
      trial.metrics.fidelity = Fidelity::analytic;
      trial.metrics.seconds = (trials.empty() ? train_seconds : 0.0) + chosen.seconds / static_cast<double>(chosen.points.size());
      const auto* flow = k < chosen.synthesized.size() && chosen.synthesized[k] ? &*chosen.synthesized[k] : nullptr;
      const auto& measured = flow && flow->estimate ? *flow->estimate : point.estimate;
      const auto hw_metrics = measured.to_metrics().values;
      for (const auto& name : metric_names(MetricSource::hardware, true)) trial.metrics.values[name] = hw_metrics.at(name);
      for (const auto& [name, value] : record.metrics) trial.metrics.values[name] = value;
      auto artifacts = record.artifacts;
      artifacts["device"] = devices[d].name;
      artifacts["mapping"] = hw::mapping_to_json(point.mapping);
      artifacts["estimate"] = hw::estimate_to_json(point.estimate);
      artifacts["hal"] = chosen.how;
      if (flow) {
        trial.metrics.fidelity = Fidelity::synthesis;
        trial.metrics.seconds += flow->flow.value("seconds", 0.0);
        artifacts["synthesis_flow"] = flow->flow;
        artifacts["synthesis_flow"]["explorer_step"] = flow->step;
        if (flow->estimate) artifacts["synthesis"] = hw::estimate_to_json(*flow->estimate);
        if (!flow->error.empty()) {
          trial.status = TrialStatus::failed;
          trial.error = flow->error;
        } else if (must_fit && !measured.fits) {
          trial.status = TrialStatus::failed;
          trial.error = "the synthesized design does not fit: " + measured.overflow;
        }
      }
      trial.artifacts_json = artifacts.dump();
      trials.push_back(std::move(trial));
    }
  }
  return trials;
}

Trial failed_trial(const NetworkRecord& record, std::size_t first_number, double slot, double seconds,
                   std::string error) {
  Trial failed;
  failed.number = first_number;
  failed.design.values = {static_cast<double>(record.id), slot, slot};
  failed.status = TrialStatus::failed;
  failed.metrics.values = record.metrics;
  failed.metrics.seconds = seconds;
  failed.error = std::move(error);
  failed.artifacts_json = record.artifacts.is_null() ? "" : record.artifacts.dump();
  return failed;
}

Trial network_trial(const NetworkRecord& record, const TrainedNetwork& trained, std::size_t first_number) {
  Trial trial;
  trial.number = first_number;
  trial.design.values = {static_cast<double>(record.id), -1.0, -1.0};
  trial.metrics.fidelity = Fidelity::training;
  trial.metrics.seconds = trained.seconds;
  trial.metrics.values = record.metrics;
  trial.metrics.values["validation_accuracy"] = trained.validation_accuracy;
  trial.artifacts_json = record.artifacts.dump();
  return trial;
}

}  // namespace codse::explore
