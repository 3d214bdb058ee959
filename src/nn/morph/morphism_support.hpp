#pragma once
// Graph editing shared by the morphisms (internal to nn). Edits work on a layer list in which
// every layer names its inputs explicitly, so that inserting or removing a layer never changes
// what "the previous layer" means; `to_network` makes the inputs implicit again where they can be.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::nn::morphism_support {

/// The layers with every input named (the input layer has none).
std::vector<Layer> explicit_layers(const Network& network);
/// A Network of the edited layers, named and preprocessed as `parent`; an input list that names
/// just the previous layer is dropped.
Network to_network(const Network& parent, std::vector<Layer> layers);

/// For every layer, the indices of the layers that read it.
std::vector<std::vector<std::size_t>> consumers(const Network& network);

/// Position of a layer in an edited list; throws std::logic_error when absent.
std::size_t position(const std::vector<Layer>& layers, const std::string& name);
/// `base` if no layer has that name, else base_2, base_3, ...
std::string unique_name(const std::vector<Layer>& layers, const std::string& base);
/// Every input naming `from` becomes `to`, except in the layers named in `except`.
void rename_inputs(std::vector<Layer>& layers, const std::string& from, const std::string& to,
                   const std::set<std::string>& except = {});
/// Removes the named layers and their weights.
void erase_layers(std::vector<Layer>& layers, Weights& weights, const std::set<std::string>& names);
/// Removes, until none is left, layers whose output nobody reads (never the input or the last).
void remove_dead_layers(std::vector<Layer>& layers, Weights& weights);

/// The layer looked up for a morphism, with an InputError naming the morphism when absent.
std::size_t find_layer(const Network& network, const std::string& name, const char* morphism);
/// Checks that the weights hold every tensor the network needs with the right shape.
void check_weights(const Network& network, const Weights& weights, const char* morphism);

/// The weight quantization of the nearest dense or conv2d layer before `index` (float if none).
QuantSpec nearby_weight_quant(const Network& network, std::size_t index);
/// A spec whose levels include 0 and 1: binary becomes ternary; the fixed scale is dropped.
QuantSpec with_zero_level(QuantSpec q);

Tensor make_tensor(std::vector<std::int64_t> shape, float fill = 0.0f);
/// L2 norm of every output unit's (masked) weights: rows of a dense or conv2d weight.
std::vector<double> unit_norms(const LayerWeights& w);

}  // namespace codse::nn::morphism_support
