#pragma once
// Names and knobs of a trial's design read from the artifacts a co-exploration stores (its network
// and mapping), so a front of networks derived from one seed shows what each one became
// ("mlp-784-256-121-10-w4a4-s25", "fc1 pe") instead of the seed's name and x0, x1, x2.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace codse::report {

/// What the network is, from its layers: the family (mlp, cnn), the widths from the input
/// through every dense/conv layer (conv layers as c<filters>k<kernel>), weight and activation
/// bits (w4a4 when uniform, w4.2a4.3 per layer when mixed), the mean sparsity in percent (s25)
/// when a layer is pruned, and +skip when it has residual adds. Empty when network has no layers.
std::string network_design_name(const nlohmann::json& network);

/// A trial's knobs as numbers, named for what they set: per layer of the mapping "<layer> pe" and
/// "<layer> simd", then from the network "weight bits" and "activation bits" (the widest layer),
/// "sparsity %" (mean) and "layers". Empty for artifacts without a network or mapping.
std::vector<std::pair<std::string, double>> design_knobs(const nlohmann::json& artifacts);

}  // namespace codse::report
