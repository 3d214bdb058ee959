#include "interop/network_evaluation.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/quant/reference_forward.hpp"

namespace codse::interop {
namespace {

int arg_max(const std::vector<float>& logits) {
  return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

}  // namespace

bool is_quantized(const nn::Network& network) {
  return std::any_of(network.layers().begin(), network.layers().end(), [](const nn::Layer& layer) {
    return !layer.weight_quant.is_float() || !layer.activation_quant.is_float();
  });
}

NetworkEvaluation evaluate_network(const nn::Network& network, const nn::Weights& weights, const nn::Dataset& data,
                                   const nn::IntegerModel* integer_model, std::size_t limit) {
  if (data.sample_size() != network.input_shape().size())
    throw InputError(fmt::format("samples have {} values but network {} takes {}", data.sample_size(), network.name(),
                                 network.input_shape().size()));
  NetworkEvaluation result;
  const auto arithmetic = is_quantized(network) ? nn::Arithmetic::fake_quant : nn::Arithmetic::float32;
  result.arithmetic = arithmetic == nn::Arithmetic::fake_quant ? "fake_quant" : "float32";
  const nn::ReferenceForward forward(network, weights, arithmetic);
  result.samples = limit ? std::min(limit, data.size()) : data.size();
  std::size_t correct = 0, integer_correct = 0, agree = 0;
  for (std::size_t i = 0; i < result.samples; ++i) {
    const int predicted = arg_max(forward.run(data.sample(i)));
    correct += predicted == data.label(i);
    if (!integer_model) continue;
    const int integer = integer_model->predict(data.sample(i));
    integer_correct += integer == data.label(i);
    agree += integer == predicted;
  }
  if (result.samples == 0) return result;
  const auto n = static_cast<double>(result.samples);
  result.accuracy = static_cast<double>(correct) / n;
  if (integer_model) {
    result.integer_accuracy = static_cast<double>(integer_correct) / n;
    result.integer_agreement = static_cast<double>(agree) / n;
  }
  return result;
}

}  // namespace codse::interop
