#include "explore/morphism_choice.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/random_draws.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"

namespace codse::explore {

std::vector<nn::Morphism> allowed_morphisms(const nn::Network& network, const MlKnobs& knobs) {
  std::vector<nn::Morphism> allowed;
  for (const auto& m : nn::applicable_morphisms(network)) {
    if (std::find(knobs.morphisms.begin(), knobs.morphisms.end(), m.kind) == knobs.morphisms.end()) continue;
    if (m.kind == nn::MorphismKind::lower_bits && m.bits < knobs.min_bits) continue;
    if (m.kind == nn::MorphismKind::raise_sparsity && m.target > knobs.max_sparsity + 1e-12) continue;
    allowed.push_back(m);
  }
  return allowed;
}

std::optional<nn::Morphism> draw_morphism(const nn::Network& network, const MlKnobs& knobs, std::mt19937_64& rng) {
  const auto allowed = allowed_morphisms(network, knobs);
  if (allowed.empty()) return std::nullopt;
  std::vector<nn::MorphismKind> kinds;  // the allowed kinds, in the registry's order
  for (const auto kind : nn::all_morphism_kinds())
    if (std::any_of(allowed.begin(), allowed.end(), [&](const nn::Morphism& m) { return m.kind == kind; }))
      kinds.push_back(kind);
  const auto kind = kinds[draw::index(rng, kinds.size())];
  std::vector<nn::Morphism> of_kind;
  for (const auto& m : allowed)
    if (m.kind == kind) of_kind.push_back(m);
  return of_kind[draw::index(rng, of_kind.size())];
}

nn::Network morphed_structure(const nn::Network& network, const nn::Morphism& morphism, std::uint64_t seed) {
  std::mt19937_64 morph_rng(seed);
  const nn::WeightedNetwork stand_in{network, nn::random_weights(network, seed)};
  return nn::apply_morphism(stand_in, morphism, morph_rng).network;
}

bool within_limits(const nn::Network& network, const MlKnobs& knobs) {
  const auto weighted = std::count_if(network.layers().begin(), network.layers().end(),
                                      [](const nn::Layer& l) { return l.has_weights(); });
  return network.stats().params <= knobs.max_params && weighted <= knobs.max_layers;
}

std::string candidate_signature(const nn::Network& network, const TrainingHyper& hyper) {
  const nn::Network unnamed("n", network.layers());
  return fmt::format("{}|{}|{}|{}", nn::format_network_json(unnamed), hyper.learning_rate, hyper.epochs,
                     hyper.batch_size);
}

}  // namespace codse::explore
