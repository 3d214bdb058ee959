// The QCDQ / QONNX quantizer semantics on small graphs built here with the ONNX protobuf classes:
// which codse grid each becomes, which weights are stored as they are and which as the exact ONNX
// level (rounding modes, narrow range, ties), and what is refused with the node named.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/error.hpp"
#include "nn/ir/network_builder.hpp"
#include "nn/onnx/onnx_import.hpp"
#include "nn/onnx/tiny_graph.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

using codse::testing::TinyGraph;
constexpr const char* kQonnx = "qonnx.custom_op.general";

TEST(OnnxQuantizer, RoundHalfEvenTiesAreStoredAsTheOnnxLevel) {
  TinyGraph g;
  // At scale 2^-2: 0.625 is 2.5 (ONNX: 2, codse: 3), 0.375 is 1.5 (both 2), 0.3 is 1.2 (both 1).
  g.tensor("fc.weight", {2, 4}, {0.625F, 0.375F, 0.3F, -0.625F, 0.1F, 1.9F, -2.0F, 0.0F});
  g.quant("fc.weight_quant", "fc.weight", "w", 0.25F, 4, true, false);
  g.gemm("x", "w");
  const auto imported = g.import();
  EXPECT_EQ(imported.network.layer("fc").weight_quant, signed_bits(4));
  EXPECT_EQ(*imported.weights.at("fc").weight_scale_log2, -2);
  // Kept as they are where codse's rounding (half up) gives the ONNX level: -0.625 is -2.5, ONNX -2
  // (even) and codse floor(-2.5 + 0.5) = -2; 1.9 is 7.6, clamped to 7 by both.
  const auto& w = imported.weights.at("fc");
  EXPECT_EQ(w.weight.data, (std::vector<float>{0.5F, 0.375F, 0.3F, -0.625F, 0.1F, 1.9F, -2.0F, 0.0F}));
  EXPECT_EQ(weight_levels(imported.network.layer("fc"), w, -2), (std::vector<int>{2, 2, 1, -2, 0, 7, -8, 0}));
}

TEST(OnnxQuantizer, FloorRoundingAndNarrowRangeGiveTheOnnxLevels) {
  TinyGraph g;
  g.tensor("fc.weight", {2, 4}, {0.49F, 0.3F, -1.0F, -0.9F, 0.0F, 0.26F, 0.8F, -0.3F});
  // 4-bit signed narrow: levels -7..7 at 2^-3, rounding down.
  g.quant("fc.weight_quant", "fc.weight", "w", 0.125F, 4, true, true, "FLOOR");
  g.gemm("x", "w");
  const auto imported = g.import();
  // ONNX levels: 0.49 -> floor(3.92) = 3; 0.3 -> 2; -1.0 -> -8, clamped to -7; -0.9 -> floor(-7.2) = -8
  // -> -7; 0.26 -> 2; 0.8 -> 6; -0.3 -> floor(-2.4) = -3. Where codse's rounding disagrees (0.49, -1.0,
  // -0.3) the weight is stored as its ONNX level times 2^-3.
  const auto& w = imported.weights.at("fc");
  EXPECT_EQ(w.weight.data, (std::vector<float>{0.375F, 0.3F, -0.875F, -0.9F, 0.0F, 0.26F, 0.8F, -0.375F}));
  EXPECT_EQ(weight_levels(imported.network.layer("fc"), w, -3), (std::vector<int>{3, 2, -7, -7, 0, 2, 6, -3}));
}

TEST(OnnxQuantizer, TwoBitNarrowIsTernaryAndBipolarQuantIsBinary) {
  TinyGraph ternary;
  ternary.tensor("fc.weight", {2, 4}, {0.4F, -0.6F, 0.1F, 0, 0, 0, 0, 0});
  ternary.quant("q", "fc.weight", "w", 0.5F, 2, true, true);
  ternary.gemm("x", "w");
  EXPECT_TRUE(ternary.import().network.layer("fc").weight_quant.ternary);

  TinyGraph binary;
  binary.tensor("fc.weight", {2, 4}, {0.4F, -0.6F, 0.1F, 0, 0, 0, 0, -1});
  binary.scalar("q.scale", 1.0F);
  binary.node("BipolarQuant", "q", {"fc.weight", "q.scale"}, "w", kQonnx);
  binary.gemm("x", "w");
  const auto imported = binary.import();
  EXPECT_EQ(imported.network.layer("fc").weight_quant, signed_bits(1));
  EXPECT_EQ(imported.weights.at("fc").weight.data, (std::vector<float>{0.4F, -0.6F, 0.1F, 0, 0, 0, 0, -1}));
}

TEST(OnnxQuantizer, RefusalsNameTheNode) {
  {
    TinyGraph g;  // per-channel scales
    g.tensor("fc.weight", {2, 4}, std::vector<float>(8, 0.5F));
    g.tensor("q.scale", {2}, {0.25F, 0.5F});
    g.scalar("q.zero_point", 0);
    g.scalar("q.bits", 4);
    g.node("Quant", "wq", {"fc.weight", "q.scale", "q.zero_point", "q.bits"}, "w", kQonnx);
    g.gemm("x", "w");
    EXPECT_NE(g.error().find("node 'wq' (qonnx.custom_op.general.Quant, opset 13): scale has 2 values (per-channel)"),
              std::string::npos)
        << g.error();
  }
  {
    TinyGraph g;  // a zero point
    g.tensor("fc.weight", {2, 4}, std::vector<float>(8, 0.5F));
    g.scalar("q.scale", 0.25F);
    g.scalar("q.zero_point", 3);
    g.scalar("q.bits", 4);
    g.node("Quant", "wq", {"fc.weight", "q.scale", "q.zero_point", "q.bits"}, "w", kQonnx);
    g.gemm("x", "w");
    EXPECT_NE(g.error().find("node 'wq' (qonnx.custom_op.general.Quant, opset 13): zero point 3 is not 0"),
              std::string::npos)
        << g.error();
  }
  {
    TinyGraph g;  // activations rounded down have no codse quant layer
    g.tensor("fc.weight", {2, 4}, std::vector<float>(8, 0.5F));
    g.quant("act", "x", "xq", 0.25F, 4, false, false, "FLOOR");
    g.gemm("xq", "fc.weight");
    EXPECT_NE(g.error().find("node 'act' (qonnx.custom_op.general.Quant, opset 13): activations must be rounded to "
                             "nearest"),
              std::string::npos)
        << g.error();
  }
  {
    TinyGraph g;  // narrow activations
    g.tensor("fc.weight", {2, 4}, std::vector<float>(8, 0.5F));
    g.quant("act", "x", "xq", 0.25F, 4, true, true);
    g.gemm("xq", "fc.weight");
    EXPECT_NE(g.error().find("node 'act' (qonnx.custom_op.general.Quant, opset 13): a narrow-range grid on "
                             "activations"),
              std::string::npos)
        << g.error();
  }
}

TEST(OnnxQuantizer, ActivationQuantOfTheInputSetsTheInputBits) {
  TinyGraph g;
  g.tensor("fc.weight", {2, 4}, std::vector<float>(8, 0.5F));
  g.quant("in_quant", "x", "xq", 0.0625F, 5, true, false);
  g.gemm("xq", "fc.weight");
  const auto imported = g.import();
  EXPECT_EQ(imported.network.layers().size(), 2u);
  EXPECT_EQ(imported.network.layers().front().activation_quant, signed_bits(5));
  EXPECT_EQ(*imported.weights.at("x").activation_scale_log2, -4);
}

}  // namespace
}  // namespace codse::nn
