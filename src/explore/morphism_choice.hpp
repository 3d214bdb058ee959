#pragma once
// Drawing network morphisms within the ML knobs of a config, shared by LEMONADE (one morphism per
// child) and the random network search (a random chain of them).

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "explore/explore_config.hpp"
#include "explore/network_candidate.hpp"
#include "nn/morph/morphism.hpp"
#include "nn/ir/network.hpp"

namespace codse::explore {

/// The morphisms that apply to network and that the knobs allow (kind listed, bits >= min_bits,
/// sparsity target <= max_sparsity).
std::vector<nn::Morphism> allowed_morphisms(const nn::Network& network, const MlKnobs& knobs);

/// A kind drawn uniformly among the allowed kinds, then an instance of it uniformly (as
/// nn::sample_morphism does); none when nothing is allowed.
std::optional<nn::Morphism> draw_morphism(const nn::Network& network, const MlKnobs& knobs, std::mt19937_64& rng);

/// The structure of network after morphism. The structure does not depend on the weights, so
/// random ones (from seed) stand in for trained weights; apply_morphism's rng is seeded with seed
/// too, as the evaluator does when it applies the morphism to the real weights.
nn::Network morphed_structure(const nn::Network& network, const nn::Morphism& morphism, std::uint64_t seed);

/// Parameters and weighted layers within the knobs' limits.
bool within_limits(const nn::Network& network, const MlKnobs& knobs);

/// The network with its name left out, with the hyperparameters: two ways to the same structure
/// and training are the same candidate.
std::string candidate_signature(const nn::Network& network, const TrainingHyper& hyper);

}  // namespace codse::explore
