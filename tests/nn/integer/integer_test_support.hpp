#pragma once
// Helpers of the IntegerModel tests: random weights calibrated so that every quant layer sees
// values across its whole range (batchnorm statistics and activation exponents measured on random
// inputs, some batchnorm scales negative), and the comparison of an IntegerModel with
// reference_forward(fake_quant), layer by layer.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include "nn/integer/integer_model.hpp"
#include "nn/quant/quantizer.hpp"
#include "nn/quant/random_weights.hpp"
#include "nn/quant/reference_forward.hpp"

namespace codse::nn::testing {

inline std::vector<std::vector<float>> random_inputs(const Network& network, int count, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  std::vector<std::vector<float>> inputs(static_cast<std::size_t>(count));
  for (auto& x : inputs) {
    x.resize(static_cast<std::size_t>(network.input_shape().size()));
    for (float& v : x) v = pixel(random);
  }
  return inputs;
}

/// Random weights, then layer by layer in order: batchnorm running statistics set to the measured
/// mean and variance of its input (fake-quant arithmetic) and, with negative_gamma, every third
/// channel's gamma negated; a quant layer without an exponent gets the one covering the 90th
/// percentile of its input's magnitude.
inline Weights calibrated_weights(const Network& network, const std::vector<std::vector<float>>& inputs,
                                  std::uint64_t seed, bool negative_gamma) {
  Weights weights = random_weights(network, seed);
  for (std::size_t i = 0; i < network.layers().size(); ++i) {
    const Layer& layer = network.layers()[i];
    const bool is_bn = layer.kind == LayerKind::batchnorm;
    const bool open_quant = layer.kind == LayerKind::quant && !layer.activation_quant.scale_log2 &&
                            !is_binary(layer.activation_quant) && !is_ternary(layer.activation_quant);
    if (!is_bn && !open_quant) continue;
    if (open_quant) weights.layers[layer.name].activation_scale_log2 = 0;  // placeholder so the pass runs
    const std::size_t source = network.input_indices(i).front();
    const Shape shape = network.shapes()[source];
    const auto plane = static_cast<std::size_t>(shape.height) * shape.width;
    std::vector<double> sum(static_cast<std::size_t>(shape.channels), 0.0);
    std::vector<double> squares(sum.size(), 0.0);
    std::vector<float> magnitudes;
    const ReferenceForward forward(network, weights, Arithmetic::fake_quant);
    for (const auto& x : inputs) {
      const std::vector<float> values = forward.run_all(x)[source];
      for (std::size_t k = 0; k < values.size(); ++k) {
        sum[k / plane] += values[k];
        squares[k / plane] += static_cast<double>(values[k]) * values[k];
        magnitudes.push_back(std::fabs(values[k]));
      }
    }
    if (is_bn) {
      LayerWeights& bn = weights.layers[layer.name];
      const double n = static_cast<double>(inputs.size() * plane);
      for (std::size_t c = 0; c < sum.size(); ++c) {
        const double mean = sum[c] / n;
        bn.running_mean.data[c] = static_cast<float>(mean);
        bn.running_var.data[c] = static_cast<float>(std::max(squares[c] / n - mean * mean, 1e-4));
        if (negative_gamma && c % 3 == 1) bn.gamma.data[c] = -bn.gamma.data[c];
      }
    } else {
      std::sort(magnitudes.begin(), magnitudes.end());
      const float p90 = magnitudes[magnitudes.size() * 9 / 10];
      weights.layers[layer.name].activation_scale_log2 = choose_scale_log2(p90, layer.activation_quant);
    }
  }
  return weights;
}

/// Distance of v to the nearest rounding boundary of q at exponent e.
inline double boundary_distance(float v, const QuantSpec& q, int e) {
  if (is_binary(q)) return std::fabs(v);
  const double scaled = std::ldexp(static_cast<double>(v), -e) + 0.5;
  return std::ldexp(std::fabs(scaled - std::nearbyint(scaled)), e);
}

struct Agreement {
  int samples = 0;
  int same_prediction = 0;
  int boundary_samples = 0;  // samples where some level differs, at a rounding boundary
  int off_boundary_mismatches = 0;
  int levels_compared = 0;
  double worst_logit_error = 0.0;          // relative, on samples without boundary cases
  std::size_t fewest_distinct_levels = 0;  // over the quant layers: how many levels each used
};

inline int argmax(const std::vector<float>& v) {
  return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

/// Compares the model with reference_forward(fake_quant) on every input.
inline Agreement compare_with_fake_quant(const IntegerModel& model, const Network& network,
                                         const Weights& weights,
                                         const std::vector<std::vector<float>>& inputs) {
  const ReferenceForward forward(network, weights, Arithmetic::fake_quant);
  // For every quant layer, the op holding its levels: the last op named after it.
  std::vector<std::pair<std::size_t, std::size_t>> quant_ops;  // (layer index, op index)
  for (std::size_t i = 0; i < network.layers().size(); ++i) {
    if (network.layers()[i].kind != LayerKind::quant) continue;
    std::optional<std::size_t> last;
    for (std::size_t k = 0; k < model.ops().size(); ++k) {
      if (model.ops()[k].name == network.layers()[i].name) last = k;
    }
    if (!last) ADD_FAILURE() << "no op for " << network.layers()[i].name;
    if (last) quant_ops.emplace_back(i, *last);
  }
  Agreement a;
  std::vector<std::set<std::int64_t>> seen(quant_ops.size());
  for (const auto& x : inputs) {
    ++a.samples;
    const std::vector<std::vector<float>> reference = forward.run_all(x);
    const std::vector<std::vector<std::int64_t>> integer = model.infer_all(model.quantize_input(x));
    bool at_boundary = false;
    for (std::size_t q = 0; q < quant_ops.size(); ++q) {
      const auto [layer_index, op_index] = quant_ops[q];
      seen[q].insert(integer[op_index].begin(), integer[op_index].end());
      const Layer& layer = network.layers()[layer_index];
      const IntegerOp& op = model.ops()[op_index];
      const std::vector<float>& ref = reference[layer_index];
      const std::vector<float>& before = reference[network.input_indices(layer_index).front()];
      EXPECT_EQ(integer[op_index].size(), ref.size()) << layer.name;
      for (std::size_t k = 0; k < ref.size() && k < integer[op_index].size(); ++k) {
        ++a.levels_compared;
        const double expected = std::ldexp(static_cast<double>(ref[k]), -op.scale_log2);
        if (static_cast<double>(integer[op_index][k]) == expected) continue;
        if (boundary_distance(before[k], layer.activation_quant, op.scale_log2) < 1e-4) {
          at_boundary = true;
        } else {
          ++a.off_boundary_mismatches;
          ADD_FAILURE() << layer.name << "[" << k << "]: integer " << integer[op_index][k] << ", fake quant "
                        << expected << " (value " << before[k] << ")";
        }
      }
      if (at_boundary) break;  // later layers differ as a consequence
    }
    a.boundary_samples += at_boundary ? 1 : 0;
    const std::vector<float>& logits = reference.back();
    const std::vector<std::int64_t>& out = integer.back();
    std::vector<float> rescaled(out.size());
    for (std::size_t k = 0; k < out.size(); ++k) {
      rescaled[k] = static_cast<float>(std::ldexp(static_cast<double>(out[k]), model.output_scale_log2()));
    }
    if (argmax(rescaled) == argmax(logits)) ++a.same_prediction;
    if (model.predict(x) != argmax(rescaled)) ADD_FAILURE() << "predict disagrees with infer";
    if (at_boundary) continue;
    for (std::size_t k = 0; k < logits.size(); ++k) {
      const double error = std::fabs(static_cast<double>(rescaled[k]) - logits[k]) /
                           std::max(1.0, std::fabs(static_cast<double>(logits[k])));
      a.worst_logit_error = std::max(a.worst_logit_error, error);
    }
  }
  a.fewest_distinct_levels = seen.empty() ? 0 : seen.front().size();
  for (const auto& levels : seen)
    a.fewest_distinct_levels = std::min(a.fewest_distinct_levels, levels.size());
  return a;
}

}  // namespace codse::nn::testing
