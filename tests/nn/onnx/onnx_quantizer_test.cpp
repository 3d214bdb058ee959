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
#include "nn/quant/quantizer.hpp"

namespace codse::nn {
namespace {

constexpr const char* kQonnx = "qonnx.custom_op.general";

/// x [1, 4] -> Gemm with a [2, 4] weight behind a quantizer -> y [1, 2]; optionally a quantizer on x.
class TinyGraph {
 public:
  TinyGraph() {
    model_.set_ir_version(8);
    auto* opset = model_.add_opset_import();
    opset->set_version(13);
    auto* qonnx = model_.add_opset_import();
    qonnx->set_domain(kQonnx);
    qonnx->set_version(1);
    value_info(model_.mutable_graph()->add_input(), "x", {1, 4});
    value_info(model_.mutable_graph()->add_output(), "y", {1, 2});
  }

  void scalar(const std::string& name, float value) { tensor(name, {}, {value}); }
  void tensor(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (const auto d : dims) t->add_dims(d);
    for (const float v : values) t->add_float_data(v);
  }
  onnx::NodeProto& node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                        const std::string& output, const std::string& domain = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    n->set_domain(domain);
    for (const auto& i : inputs) n->add_input(i);
    n->add_output(output);
    return *n;
  }
  /// A QONNX Quant of `input` at scale 2^e.
  onnx::NodeProto& quant(const std::string& name, const std::string& input, const std::string& output, float scale,
                         int bits, bool is_signed, bool narrow, const std::string& rounding = "ROUND") {
    scalar(name + ".scale", scale);
    scalar(name + ".zero_point", 0.0F);
    scalar(name + ".bits", static_cast<float>(bits));
    auto& n = node("Quant", name, {input, name + ".scale", name + ".zero_point", name + ".bits"}, output, kQonnx);
    attribute(n, "signed", is_signed ? 1 : 0);
    attribute(n, "narrow", narrow ? 1 : 0);
    auto* a = n.add_attribute();
    a->set_name("rounding_mode");
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(rounding);
    return n;
  }
  void gemm(const std::string& x, const std::string& weight) {
    attribute(node("Gemm", "fc", {x, weight}, "y"), "transB", 1);
  }

  ImportedNetwork import() const {
    const auto path = std::filesystem::temp_directory_path() / "codse_onnx_quantizer_test.onnx";
    std::ofstream(path, std::ios::binary) << model_.SerializeAsString();
    return import_onnx(path.string());
  }
  std::string error() const {
    try {
      import();
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }

 private:
  static void attribute(onnx::NodeProto& n, const std::string& name, std::int64_t value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void value_info(onnx::ValueInfoProto* info, const std::string& name, const std::vector<std::int64_t>& dims) {
    info->set_name(name);
    auto* t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (const auto d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::ModelProto model_;
};

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
