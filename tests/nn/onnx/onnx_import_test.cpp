// codse's import of real ONNX files: float models exported by torch.onnx.export and a 4-bit MLP as
// QCDQ and as QONNX, all trained for a moment on MNIST by make_onnx_fixtures.py; compared with
// PyTorch's own logits and predictions.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "nn/data/dataset_loader.hpp"
#include "nn/data/dataset_normalization.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_builder.hpp"
#include "nn/onnx/onnx_import.hpp"
#include "nn/quant/reference_forward.hpp"
#include "nn/onnx/onnx_fixtures.hpp"

namespace codse::nn {
namespace {

using testing::onnx_fixtures;
using testing::read_binary;

class OnnxImport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = onnx_fixtures("models"); }
  static std::filesystem::path dir_;
};
std::filesystem::path OnnxImport::dir_;

/// The 1,000 test images the script wrote, preprocessed as the network says.
Dataset preprocessed_images(const Network& network, const std::filesystem::path& file) {
  const auto bytes = read_binary<std::uint8_t>(file);
  std::vector<float> pixels(bytes.begin(), bytes.end());
  const auto count = pixels.size() / 784;
  Dataset images({1, 28, 28}, 10, std::move(pixels), std::vector<int>(count, 0));
  ChannelNormalization::of(*network.preprocessing(), 1).apply(images);
  return images;
}

struct FloatCase {
  const char* model;   // the .onnx file's stem
  const char* images;  // the images it was tested on
  double mean, std;    // the Normalize the model was trained behind (after ToTensor's / 255)
};

class FloatModel : public OnnxImport, public ::testing::WithParamInterface<FloatCase> {};

TEST_P(FloatModel, ReferenceForwardEqualsPyTorchLogits) {
  ASSERT_FALSE(dir_.empty()) << "make_onnx_fixtures.py models failed";
  const std::string name = GetParam().model;
  OnnxImportOptions options;
  options.preprocessing.mean = {GetParam().mean};
  options.preprocessing.std = {GetParam().std};
  const auto imported = import_onnx((dir_ / (name + ".onnx")).string(), options);
  const auto images = preprocessed_images(imported.network, dir_ / GetParam().images);
  const auto torch_logits = read_binary<float>(dir_ / (name + ".logits"));
  ASSERT_EQ(torch_logits.size(), images.size() * 10);
  const ReferenceForward forward(imported.network, imported.weights, Arithmetic::float32);
  double max_difference = 0;
  std::size_t same_class = 0;  // what an accuracy comparison sees
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto logits = forward.run(images.sample(i));
    ASSERT_EQ(logits.size(), 10u);
    for (int k = 0; k < 10; ++k)
      max_difference = std::max(max_difference, std::fabs(static_cast<double>(logits[k]) - torch_logits[i * 10 + k]));
    const auto* torch_row = torch_logits.data() + i * 10;
    same_class += std::max_element(logits.begin(), logits.end()) - logits.begin() ==
                  std::max_element(torch_row, torch_row + 10) - torch_row;
  }
  std::cout << "[ info ] " << name << ": max |codse - torch| over " << images.size() << " images' logits "
            << max_difference << "; same class on " << same_class << "\n";
  EXPECT_LE(max_difference, 1e-5);
  EXPECT_EQ(same_class, images.size());
}

INSTANTIATE_TEST_SUITE_P(TorchExport, FloatModel,
                         ::testing::Values(FloatCase{"mlp", "images.u8", 0.0, 1.0},
                                           FloatCase{"cnn", "fashion_images.u8", 0.2860, 0.3530},
                                           FloatCase{"resmlp", "images.u8", 0.0, 1.0}),
                         [](const ::testing::TestParamInfo<FloatCase>& c) { return std::string(c.param.model); });

TEST_F(OnnxImport, FloatMlpKeepsBatchnormAndCnnItsPooling) {
  ASSERT_FALSE(dir_.empty());
  const auto mlp = import_onnx((dir_ / "mlp.onnx").string()).network;
  EXPECT_EQ(mlp.name(), "mlp");
  EXPECT_EQ(mlp.layer("bn1").kind, LayerKind::batchnorm);
  EXPECT_EQ(mlp.layer("fc1").units, 64);
  const auto cnn = import_onnx((dir_ / "cnn.onnx").string()).network;
  EXPECT_EQ(cnn.layer("conv1").padding, 1);
  EXPECT_EQ(cnn.layer("pool").kind, LayerKind::maxpool2d);
  EXPECT_EQ(cnn.layer("pool").kernel, 2);
  const auto resmlp = import_onnx((dir_ / "resmlp.onnx").string()).network;
  const auto add = std::find_if(resmlp.layers().begin(), resmlp.layers().end(),
                                [](const Layer& l) { return l.kind == LayerKind::add; });
  ASSERT_NE(add, resmlp.layers().end());
  EXPECT_EQ(add->inputs.size(), 2u);
  EXPECT_FALSE(resmlp.layers().back().bias);
}

TEST_F(OnnxImport, FourBitQcdqAndQonnxGiveCodseBitsAndExponents) {
  ASSERT_FALSE(dir_.empty());
  for (const char* file : {"qmlp_qcdq.onnx", "qmlp_qonnx.onnx"}) {
    SCOPED_TRACE(file);
    const auto imported = import_onnx((dir_ / file).string());
    const auto& net = imported.network;
    EXPECT_EQ(net.layers().front().activation_quant, unsigned_bits(8));
    EXPECT_EQ(*imported.weights.at("in").activation_scale_log2, -8);
    EXPECT_EQ(net.layer("fc1").weight_quant, signed_bits(4));
    EXPECT_EQ(net.layer("act1").activation_quant, unsigned_bits(4));
    EXPECT_EQ(*imported.weights.at("act1").activation_scale_log2, -2);
    EXPECT_EQ(net.layer("fc3").weight_quant, signed_bits(4));
  }
  // torch.onnx.export's own QCDQ: 8-bit weights, (0, 127) activations (QuantizeLinear, Clip, DequantizeLinear).
  const auto torch_export = import_onnx((dir_ / "tqmlp.onnx").string());
  EXPECT_EQ(torch_export.network.layer("fc1").weight_quant, signed_bits(8));
  EXPECT_EQ(torch_export.network.layer("act").activation_quant, unsigned_bits(7));
  EXPECT_EQ(*torch_export.weights.at("act").activation_scale_log2, -4);
}

struct QuantizedCase {
  const char* model;        // the .onnx file's stem
  const char* predictions;  // the PyTorch predictions' file stem
};

class QuantizedModel : public OnnxImport, public ::testing::WithParamInterface<QuantizedCase> {};

TEST_P(QuantizedModel, IntegerModelPredictsAsPyTorchFakeQuantization) {
  ASSERT_FALSE(dir_.empty()) << "make_onnx_fixtures.py models failed";
  const std::string name = GetParam().model;
  const auto imported = import_onnx((dir_ / (name + ".onnx")).string());
  const auto model = export_integer_model(imported.network, imported.weights);

  // The eval path: MNIST's test split, preprocessed as the imported network records.
  DatasetOptions options;
  options.data_dir = testing::onnx_mnist_dir();
  options.limits.train = 100;
  options.preprocessing = imported.network.preprocessing();
  const auto data = load_dataset("mnist", options);
  const auto torch_predictions = read_binary<std::int32_t>(dir_ / (std::string(GetParam().predictions) + ".pred"));
  ASSERT_EQ(torch_predictions.size(), data.test.size());
  std::size_t same = 0, correct = 0;
  for (std::size_t i = 0; i < data.test.size(); ++i) {
    const int predicted = model.predict(data.test.sample(i));
    same += predicted == torch_predictions[i];
    correct += predicted == data.test.label(i);
  }
  const double agreement = static_cast<double>(same) / static_cast<double>(data.test.size());
  std::cout << "[ info ] " << name << ": integer model agrees with PyTorch's fake-quantized model on " << same << " of "
            << data.test.size() << " test images (" << 100.0 * agreement << " %); accuracy "
            << 100.0 * static_cast<double>(correct) / static_cast<double>(data.test.size()) << " %\n";
  EXPECT_GE(agreement, 0.999);
}

INSTANTIATE_TEST_SUITE_P(Mnist, QuantizedModel,
                         ::testing::Values(QuantizedCase{"qmlp_qcdq", "qmlp"}, QuantizedCase{"qmlp_qonnx", "qmlp"},
                                           QuantizedCase{"tqmlp", "tqmlp"}),
                         [](const ::testing::TestParamInfo<QuantizedCase>& c) { return std::string(c.param.model); });

}  // namespace
}  // namespace codse::nn
