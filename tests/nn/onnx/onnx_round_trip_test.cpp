// Export then import of every example network (random weights): QONNX gives the same network, the
// same weights bit for bit and the same integer outputs; the float ONNX file computes the same
// float32 function; python's onnx.checker.check_model accepts every file written.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/onnx/onnx_export.hpp"
#include "nn/onnx/onnx_fixtures.hpp"
#include "nn/onnx/onnx_import.hpp"
#include "nn/quant/quantizer.hpp"
#include "nn/quant/random_weights.hpp"
#include "nn/quant/reference_forward.hpp"

namespace codse::nn {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> example_networks() {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(fs::path(CODSE_SOURCE_DIR) / "examples" / "networks"))
    if (entry.path().extension() == ".json") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

/// What ONNX does not carry: sparsity targets, and whether an exponent was fixed in the network
/// file or recorded by training (the file has the exponent either way; import records it).
Layer without_codse_only_fields(Layer layer) {
  layer.sparsity = {};
  layer.weight_quant.scale_log2.reset();
  layer.activation_quant.scale_log2.reset();
  layer.inputs.clear();
  return layer;
}

std::vector<float> random_input(const Network& network, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> pixel(0.0F, 1.0F);
  std::vector<float> input(static_cast<std::size_t>(network.input_shape().size()));
  for (auto& x : input) x = pixel(rng);
  return input;
}

bool fully_quantized(const Network& network) {
  for (const auto& l : network.layers())
    if ((l.has_weights() && l.weight_quant.is_float()) || (l.kind == LayerKind::input && l.activation_quant.is_float()))
      return false;
  return true;
}

void expect_same_network(const Network& original, const Network& imported) {
  EXPECT_EQ(imported.name(), original.name());
  ASSERT_EQ(imported.layers().size(), original.layers().size());
  for (std::size_t i = 0; i < original.layers().size(); ++i) {
    EXPECT_EQ(without_codse_only_fields(imported.layers()[i]), without_codse_only_fields(original.layers()[i]))
        << "layer " << original.layers()[i].name;
    EXPECT_EQ(imported.input_indices(i), original.input_indices(i)) << "layer " << original.layers()[i].name;
  }
}

void expect_same_weights(const Network& network, const Weights& original, const Weights& imported) {
  for (const auto& layer : network.layers()) {
    if (!original.contains(layer.name)) continue;
    const auto& a = original.at(layer.name);
    if (layer.has_weights()) {
      const auto& b = imported.at(layer.name);
      EXPECT_EQ(b.weight.shape, a.weight.shape) << layer.name;
      EXPECT_EQ(b.weight.data, masked_weights(a)) << layer.name << ": weights differ";
      EXPECT_EQ(b.bias, a.bias) << layer.name;
      if (!layer.weight_quant.is_float()) {
        EXPECT_EQ(weight_scale_log2(layer, &b), weight_scale_log2(layer, &a)) << layer.name;
      }
    } else if (layer.kind == LayerKind::batchnorm) {
      const auto& b = imported.at(layer.name);
      EXPECT_EQ(b.gamma, a.gamma);
      EXPECT_EQ(b.beta, a.beta);
      EXPECT_EQ(b.running_mean, a.running_mean);
      EXPECT_EQ(b.running_var, a.running_var);
      EXPECT_EQ(b.eps, a.eps);
    }
    if ((layer.kind == LayerKind::quant || layer.kind == LayerKind::input) && !layer.activation_quant.is_float()) {
      EXPECT_EQ(activation_scale_log2(layer, imported), activation_scale_log2(layer, original)) << layer.name;
    }
  }
}

class ExampleRoundTrip : public ::testing::TestWithParam<fs::path> {};

TEST_P(ExampleRoundTrip, QonnxGivesTheSameNetworkWeightsAndIntegerOutputs) {
  const auto network = load_network(GetParam());
  const auto weights = random_weights(network, 7);
  const auto dir = fs::temp_directory_path() / ("codse_onnx_round_trip_" + network.name());
  fs::create_directories(dir);
  const auto qonnx_file = dir / "model.qonnx.onnx", onnx_file = dir / "model.onnx";
  save_qonnx(network, weights, qonnx_file.string());
  save_onnx(network, weights, onnx_file.string());
  EXPECT_TRUE(testing::onnx_checker_passes(qonnx_file));
  EXPECT_TRUE(testing::onnx_checker_passes(onnx_file));

  const auto imported = import_onnx(qonnx_file.string());
  expect_same_network(network, imported.network);
  expect_same_weights(network, weights, imported.weights);
  if (fully_quantized(network)) {
    const auto a = export_integer_model(network, weights), b = export_integer_model(imported.network, imported.weights);
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      const auto input = random_input(network, seed);
      EXPECT_EQ(b.infer_all(b.quantize_input(input)), a.infer_all(a.quantize_input(input))) << "input " << seed;
    }
  }

  // The float file: the float32 function (quant layers as Relu / Identity).
  const auto float_import = import_onnx(onnx_file.string());
  for (std::uint64_t seed = 0; seed < 3; ++seed) {
    const auto input = random_input(network, seed);
    const auto expected = reference_forward(network, weights, input, Arithmetic::float32);
    const auto got = reference_forward(float_import.network, float_import.weights, input, Arithmetic::float32);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t k = 0; k < got.size(); ++k) EXPECT_NEAR(got[k], expected[k], 1e-5 * (1 + std::fabs(expected[k])));
  }
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleRoundTrip, ::testing::ValuesIn(example_networks()),
                         [](const ::testing::TestParamInfo<fs::path>& example) {
                           std::string name = example.param.stem().string();
                           for (auto& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace codse::nn
