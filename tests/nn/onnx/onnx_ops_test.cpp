// Float ops on small graphs built in C++: MatMul + Add as a dense with bias (the form some
// exporters write for Linear), a transposed constant weight, Dropout's ratio, and refusals.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nn/onnx/tiny_graph.hpp"

namespace codse::nn {
namespace {

using codse::testing::TinyGraph;

TEST(OnnxOps, MatMulPlusConstantAddIsADenseWithBias) {
  TinyGraph g;
  // MatMul's weight is [in, units]; codse stores [units, in].
  g.tensor("fc.weight", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  g.tensor("fc.bias", {2}, {0.5F, -0.5F});
  g.node("MatMul", "/fc/MatMul", {"x", "fc.weight"}, "h");
  g.node("Add", "/fc/Add", {"h", "fc.bias"}, "y");
  const auto imported = g.import();
  ASSERT_EQ(imported.network.layers().size(), 2u);
  const auto& fc = imported.network.layer("fc");
  EXPECT_EQ(fc.units, 2);
  EXPECT_TRUE(fc.bias);
  EXPECT_EQ(imported.weights.at("fc").weight.shape, (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(imported.weights.at("fc").weight.data, (std::vector<float>{1, 3, 5, 7, 2, 4, 6, 8}));
  EXPECT_EQ(imported.weights.at("fc").bias.data, (std::vector<float>{0.5F, -0.5F}));
}

TEST(OnnxOps, GemmWithATransposedConstantAndDropoutRatio) {
  TinyGraph g;
  g.tensor("w", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  g.node("Transpose", "t", {"w"}, "wt");  // [2, 4]: Gemm with transB 1 reads it as it is
  g.tensor("drop.ratio", {}, {0.25F});
  g.node("Dropout", "drop", {"x", "drop.ratio"}, "xd");
  g.gemm("xd", "wt");
  const auto imported = g.import();
  EXPECT_EQ(imported.network.layer("drop").kind, LayerKind::dropout);
  EXPECT_DOUBLE_EQ(imported.network.layer("drop").rate, 0.25);
  EXPECT_EQ(imported.weights.at("fc").weight.data, (std::vector<float>{1, 3, 5, 7, 2, 4, 6, 8}));
}

TEST(OnnxOps, RefusesGemmOptionsAndAnAddOfAConstantElsewhere) {
  {
    TinyGraph g;
    g.tensor("fc.weight", {2, 4}, std::vector<float>(8, 1));
    auto& gemm = g.node("Gemm", "fc", {"x", "fc.weight"}, "y");
    auto* alpha = gemm.add_attribute();
    alpha->set_name("alpha");
    alpha->set_type(onnx::AttributeProto::FLOAT);
    alpha->set_f(2.0F);
    EXPECT_NE(g.error().find("node 'fc' (Gemm, opset 13): alpha and beta other than 1 are not supported"),
              std::string::npos)
        << g.error();
  }
  {
    TinyGraph g({1, 4});
    g.tensor("c", {4}, {1, 1, 1, 1});
    g.node("Relu", "r", {"x"}, "xr");
    g.node("Add", "shift", {"xr", "c"}, "y");
    EXPECT_NE(g.error().find("node 'shift' (Add, opset 13): an Add of a constant is supported only as the bias"),
              std::string::npos)
        << g.error();
  }
}

}  // namespace
}  // namespace codse::nn
