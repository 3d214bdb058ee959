// hls4ml configs written by `codse export` hold exactly the mapping's reuse factor and storage
// (as Strategy) per layer and the integer model's formats as Precision (parsed back with yaml-cpp).

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"
#include "hw/templates/mapping_file.hpp"
#include "interop/design_export.hpp"
#include "interop/hls4ml_config.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/temp_dir.hpp"

namespace codse::interop {
namespace {

const std::filesystem::path examples = std::filesystem::path(CODSE_SOURCE_DIR) / "examples";


TEST(Hls4mlConfig, PrecisionNames) {
  EXPECT_EQ(hls_precision(4, true, 0), "ap_int<4>");
  EXPECT_EQ(hls_precision(4, false, 0), "ap_uint<4>");
  EXPECT_EQ(hls_precision(4, true, -2), "ap_fixed<4,2>");   // levels * 2^-2: 2 integer bits
  EXPECT_EQ(hls_precision(5, false, -5), "ap_ufixed<5,0>");
  EXPECT_EQ(hls_precision(8, true, 3), "ap_fixed<8,11>");
}

TEST(Hls4mlConfig, DigitsConfigHoldsReuseStrategyAndPrecisionPerLayer) {
  testing::TempDir dir;
  auto network = nn::load_network(examples / "networks/digits_mlp_w4a4.json");
  auto weights = nn::random_weights(network, 7);
  const auto mapping = hw::load_mapping((examples / "mappings/digits_mlp_w4a4_unrolled.json").string());
  ASSERT_EQ(mapping.accelerator, "unrolled");
  const auto design = make_exported_design(network, weights, mapping, std::nullopt, "test");
  ASSERT_TRUE(design.integer_model.has_value()) << design.integer_model_error;
  export_design(design, dir.path(), chosen_formats(design, {"hls4ml"}, "--format"), "--out");

  const auto config = YAML::LoadFile((dir / "hls4ml/config.yml").string());
  EXPECT_EQ(config["ProjectName"].as<std::string>(), "digits_mlp_w4a4");
  EXPECT_DOUBLE_EQ(config["ClockPeriod"].as<double>(), 10.0);  // 100 MHz
  const auto model = config["HLSConfig"]["Model"];
  EXPECT_EQ(model["ReuseFactor"].as<int>(), 8);  // the largest: the design's initiation interval
  const auto layers = config["HLSConfig"]["LayerName"];
  for (const auto& mapped : mapping.layers) {
    ASSERT_TRUE(layers[mapped.layer]) << mapped.layer;
    EXPECT_EQ(layers[mapped.layer]["ReuseFactor"].as<int>(), mapped.reuse) << mapped.layer;
    EXPECT_EQ(layers[mapped.layer]["Strategy"].as<std::string>(), hls4ml_strategy(mapped.storage)) << mapped.layer;
  }
  EXPECT_EQ(layers["fc1"]["Strategy"].as<std::string>(), "Latency");
  EXPECT_EQ(layers["fc2"]["Strategy"].as<std::string>(), "Resource");

  // Precisions are the integer model's: weights of 4 signed bits at their exponent, the
  // accumulator's width, and the activations' unsigned 4-bit levels.
  for (const auto& op : design.integer_model->ops()) {
    if (op.kind == nn::IntegerOpKind::dense) {
      EXPECT_EQ(layers[op.name]["Precision"]["weight"].as<std::string>(),
                hls_precision(4, true, op.weight_scale_log2)) << op.name;
      EXPECT_EQ(layers[op.name]["Precision"]["accum"].as<std::string>(), hls_precision(op.bits, true, op.scale_log2))
          << op.name;
    }
    if (op.kind == nn::IntegerOpKind::requantize && op.name == "act1") {
      EXPECT_EQ(layers["act1"]["Precision"]["result"].as<std::string>(), hls_precision(4, false, op.scale_log2));
    }
    if (op.kind == nn::IntegerOpKind::input) {
      EXPECT_EQ(layers["in"]["Precision"]["result"].as<std::string>(), hls_precision(5, false, op.scale_log2));
    }
  }
}

TEST(Hls4mlConfig, FoldedMappingIsNotAnHls4mlDesign) {
  auto network = nn::load_network(examples / "networks/digits_mlp_w4a4.json");
  auto weights = nn::random_weights(network, 7);
  auto mapping = hw::load_mapping((examples / "mappings/digits_mlp_w4a4.json").string());
  const auto design = make_exported_design(network, weights, mapping, std::nullopt, "test");
  try {
    chosen_formats(design, {"hls4ml"}, "--format");
    FAIL() << "hls4ml was accepted for a folded mapping";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("--format hls4ml: cannot export this design"), std::string::npos)
        << error.what();
  }
  // Without --format, the formats that apply: a folded design gets FINN's config, not hls4ml's.
  std::vector<std::string> names;
  for (const auto* format : chosen_formats(design, {}, "--format")) names.push_back(format->name);
  EXPECT_EQ(names, (std::vector<std::string>{"network", "weights", "integer_model", "mapping", "onnx", "qonnx", "finn", "readme"}));
}

}  // namespace
}  // namespace codse::interop
