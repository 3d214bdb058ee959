#pragma once
// The trial writer of the co-exploration: what a trained network's trials record. Every trial of
// one network shares its NetworkRecord (artifacts network, network_id, morphism, change_kind,
// training, weights, parent; metrics error, accuracy, params, macs); a joint trial adds its
// device, mapping, estimate, the HAL's "hal" and the hardware metrics, and at fidelity synthesis
// the synthesized estimate and the flow (co_exploration.hpp lists them).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/trial.hpp"
#include "explore/artifact_files.hpp"
#include "explore/network_candidate.hpp"
#include "explore/network_mapping.hpp"
#include "explore/network_training.hpp"
#include "hw/model/device.hpp"

namespace codse::explore {

/// What every trial of one trained network shares: its artifacts and network metrics.
struct NetworkRecord {
  std::size_t id = 0;
  nlohmann::json artifacts;
  std::map<std::string, double> metrics;
};

/// The record of a trained candidate; parent_trial is the first trial number of its parent network.
NetworkRecord network_record(const NetworkCandidate& candidate, const TrainedNetwork& trained,
                             const ArtifactFiles& files, std::optional<std::size_t> parent_trial);

/// One trial per chosen mapping of every device, numbered from first_number; the first carries the
/// training time. A synthesized mapping whose flow failed, or (with must_fit) that does not fit once
/// synthesized, is a failed trial.
std::vector<Trial> joint_trials(const NetworkRecord& record, const std::vector<DeviceMappings>& mappings,
                                const std::vector<hw::Device>& devices, bool must_fit, std::size_t first_number,
                                double train_seconds);

/// The network's one trial when it has no joint design: design {id, slot, slot}, the error given.
Trial failed_trial(const NetworkRecord& record, std::size_t first_number, double slot, double seconds,
                   std::string error);

/// A trial of the network alone, before any mapping: design {id, -1, -1}, the network metrics and
/// its validation accuracy (the sequential strategy's accuracy phase).
Trial network_trial(const NetworkRecord& record, const TrainedNetwork& trained, std::size_t first_number);

}  // namespace codse::explore
