#pragma once
// A network LEMONADE proposes: its structure, how it came about (parent and morphism, or a
// hyperparameter mutation, or a starting network) and how it is to be trained. The explorer
// hands out only its id as the Design; the evaluator looks the candidate up.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nn/morph/morphism.hpp"
#include "nn/ir/network.hpp"

namespace codse::explore {

/// The training hyperparameters LEMONADE may mutate.
struct TrainingHyper {
  double learning_rate = 1e-3;
  int epochs = 2;
  int batch_size = 128;
  bool operator==(const TrainingHyper&) const = default;
};

struct NetworkCandidate {
  std::size_t id = 0;                    // position in the explorer's proposal order
  std::optional<std::size_t> parent;     // id of the parent; none for a starting network
  std::optional<nn::Morphism> morphism;  // none for a starting network or a hyperparameter mutation
  std::string change;                    // "widen fc1 to 384 units", "learning rate 0.001 -> 0.003", "start"
  std::string change_kind;               // morphism kind, "hyperparameters" or "start"
  std::uint64_t morphism_seed = 0;       // the rng seed apply_morphism uses (widen picks units)
  nn::Network network;
  TrainingHyper hyper;
  std::vector<double> cheap;             // log10 params, log10 MACs, log10 analytic LUTs
};

/// A starting network as candidate `id`: no parent, trained with the configured hyperparameters.
inline NetworkCandidate start_candidate(std::size_t id, nn::Network network, const TrainingHyper& hyper) {
  NetworkCandidate c;
  c.id = id;
  c.change = "start";
  c.change_kind = "start";
  c.hyper = hyper;
  c.network = std::move(network);
  return c;
}

/// The Design of a candidate: {id}. Ids are never reused, so the key is unique in a study.
inline double candidate_design_value(std::size_t id) { return static_cast<double>(id); }

}  // namespace codse::explore
