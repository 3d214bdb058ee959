#pragma once
// The trainer call of the co-exploration: one candidate network trained on the study's data,
// warm-started from its parent's stored weights (through its morphism) when it has a parent, with
// the config's training settings, the candidate's hyperparameters and its trial seed. The rows of
// the config's training section sit beside it (network_training.cpp).

#include "explore/explore_context.hpp"
#include "explore/network_candidate.hpp"
#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"
#include "nn/train/train_options.hpp"

namespace codse::explore {

struct TrainedNetwork {
  nn::Network network;
  nn::Weights weights;
  double validation_accuracy = 0.0;  // of the returned weights; the test set is not looked at
  double seconds = 0.0;
  int epochs = 0;
};

/// The config's training section with the candidate's hyperparameters and trial seed.
nn::TrainOptions training_options(const ExploreConfig& config, const NetworkCandidate& candidate);

/// Trains candidate; parent is its parent candidate (whose weights context.files holds), or null.
/// Throws what the trainer throws.
TrainedNetwork train_candidate(const ExploreContext& context, const NetworkCandidate& candidate,
                               const NetworkCandidate* parent);

}  // namespace codse::explore
