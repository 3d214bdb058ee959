#pragma once
// The accuracy of a trained network on labelled samples, computed without libtorch: the reference
// forward (nn/quant/reference_forward.hpp: fake-quantized, or float when the network has no
// quantization) and, when given, the bit-exact integer model, with how often the two agree.
// `codse eval` prints it, so imported and exported models are checked from the command line.

#include <cstddef>
#include <optional>
#include <string>

#include "nn/data/dataset.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::interop {

struct NetworkEvaluation {
  std::size_t samples = 0;
  std::string arithmetic;  ///< "fake_quant" or "float32": how the reference forward computed
  double accuracy = 0.0;   ///< top-1 of the reference forward
  std::optional<double> integer_accuracy;   ///< top-1 of the integer model, when one was given
  std::optional<double> integer_agreement;  ///< share of samples where both predict the same class
};

/// Whether any layer of the network quantizes weights or activations.
bool is_quantized(const nn::Network& network);

/// Evaluates on the first `limit` samples of data (0: all). Throws InputError when the samples do
/// not have the network's input size, or the weights do not fit the network.
NetworkEvaluation evaluate_network(const nn::Network& network, const nn::Weights& weights, const nn::Dataset& data,
                                   const nn::IntegerModel* integer_model, std::size_t limit = 0);

}  // namespace codse::interop
