#pragma once
// Hints: feedback for the developer derived from measured trials, never invented.
//   morphism     per kind of change (a morphism kind or "hyperparameters"), the mean change of
//                accuracy and of each hardware cost from parent to child across the search,
//                comparing each network's cheapest design in that cost ("add_skip: -0.4% accuracy,
//                +12% lut, +3% latency_us (5 children)")
//   bottleneck   per front design, the layer that limits throughput and the layer that dominates
//                each resource (from the estimate's layers)
//   sensitivity  bit-width and sparsity: mean accuracy and LUT change per lower_bits and
//                raise_sparsity child
//   onto_front   for designs just off the front, the cheapest recorded change (a child of it)
//                that landed on the front
// Each hint carries its evidence (numbers and trial numbers) as a JSON object.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/trial.hpp"
#include "explore/joint_space.hpp"

namespace codse::explore {

struct Hint {
  std::string kind;     // morphism, bottleneck, sensitivity, onto_front
  std::string subject;  // the morphism kind, "trial 12", "bits", ...
  std::string text;
  nlohmann::json evidence = nlohmann::json::object();
};

/// Hints from co-exploration trials (artifacts as co_exploration.hpp writes them).
std::vector<Hint> derive_hints(const std::vector<Trial>& trials, const JointSpace& space);

nlohmann::json hints_to_json(const std::vector<Hint>& hints);

}  // namespace codse::explore
