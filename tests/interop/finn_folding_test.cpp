// FINN folding configs written by `codse export` hold exactly the mapping's PE, SIMD and storage
// per layer (parsed back from the file), under the node names FINN's GiveUniqueNodeNames gives.

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "hw/templates/mapping_file.hpp"
#include "interop/design_export.hpp"
#include "interop/finn_folding.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/temp_dir.hpp"

namespace codse::interop {
namespace {

const std::filesystem::path examples = std::filesystem::path(CODSE_SOURCE_DIR) / "examples";

/// The example network and its mapping exported with the "finn" format; the file parsed back.
nlohmann::json exported_folding_config(const std::string& name, const testing::TempDir& dir) {
  auto network = nn::load_network(examples / "networks" / (name + ".json"));
  auto weights = nn::random_weights(network, 1);
  auto mapping = hw::load_mapping((examples / "mappings" / (name + ".json")).string());
  const auto design = make_exported_design(std::move(network), std::move(weights), std::move(mapping), std::nullopt, name);
  export_design(design, dir.path(), chosen_formats(design, {"finn"}, "--format"), "--out");
  std::ifstream in(dir / "finn/folding_config.json");
  return nlohmann::json::parse(in);
}

/// Every layer with weights is MatrixVectorActivation_k (k its position among them) with the
/// mapping's PE and SIMD and the storage's ram_style and mem_mode.
void expect_mvau_per_layer(const nlohmann::json& config, const hw::Mapping& mapping) {
  for (std::size_t k = 0; k < mapping.layers.size(); ++k) {
    const auto& layer = mapping.layers[k];
    const auto name = "MatrixVectorActivation_" + std::to_string(k);
    ASSERT_TRUE(config.contains(name)) << name << " missing in " << config.dump(2);
    const auto& node = config.at(name);
    EXPECT_EQ(node.at("PE").get<int>(), layer.pe) << name;
    EXPECT_EQ(node.at("SIMD").get<int>(), layer.simd) << name;
    EXPECT_EQ(node.at("ram_style").get<std::string>(), finn_weight_memory(layer.storage).ram_style) << name;
    EXPECT_EQ(node.at("mem_mode").get<std::string>(), finn_weight_memory(layer.storage).mem_mode) << name;
    EXPECT_EQ(node.at("resType").get<std::string>(), finn_res_type(layer.multipliers)) << name;
  }
  EXPECT_FALSE(config.contains("MatrixVectorActivation_" + std::to_string(mapping.layers.size())));
}

TEST(FinnFoldingConfig, SfcConfigHoldsTheMappingOfEveryLayer) {
  testing::TempDir dir;
  const auto config = exported_folding_config("sfc_w1a1", dir);
  const auto mapping = hw::load_mapping((examples / "mappings/sfc_w1a1.json").string());
  ASSERT_EQ(mapping.layers.size(), 4u);
  expect_mvau_per_layer(config, mapping);
  EXPECT_EQ(config.at("MatrixVectorActivation_0").at("PE").get<int>(), 16);
  EXPECT_EQ(config.at("MatrixVectorActivation_0").at("SIMD").get<int>(), 49);
  EXPECT_EQ(config.at("MatrixVectorActivation_0").at("ram_style").get<std::string>(), "block");
  // "Defaults" first, then the input's quantizer (a binarization) and the four MVAUs; FINN's own
  // TFC example config (src/finn/qnn-data/build_dataflow/folding_config.json, v0.9) has the same
  // Thresholding_Batch_0 with PE 49 feeding MatrixVectorActivation_0 at PE 16, SIMD 49.
  EXPECT_EQ(config.begin().key(), "Defaults");
  EXPECT_EQ(config.at("Thresholding_Batch_0").at("PE").get<int>(), 49);
  EXPECT_EQ(config.size(), 6u);
}

TEST(FinnFoldingConfig, CnvConfigHoldsConvolutionsWithTheirSlidingWindowsAndPools) {
  testing::TempDir dir;
  const auto config = exported_folding_config("cnv_w1a1", dir);
  const auto mapping = hw::load_mapping((examples / "mappings/cnv_w1a1.json").string());
  ASSERT_EQ(mapping.layers.size(), 9u);
  expect_mvau_per_layer(config, mapping);
  // conv0..conv5 each read a sliding window of the MVAU's SIMD channels per cycle.
  for (int k = 0; k < 6; ++k) {
    const auto name = "ConvolutionInputGenerator_" + std::to_string(k);
    ASSERT_TRUE(config.contains(name)) << name;
    EXPECT_EQ(config.at(name).at("SIMD").get<int>(), mapping.layers[static_cast<std::size_t>(k)].simd) << name;
  }
  EXPECT_FALSE(config.contains("ConvolutionInputGenerator_6"));
  EXPECT_TRUE(config.contains("StreamingMaxPool_Batch_0"));
  EXPECT_TRUE(config.contains("StreamingMaxPool_Batch_1"));
  EXPECT_FALSE(config.contains("StreamingMaxPool_Batch_2"));
  EXPECT_FALSE(config.contains("FMPadding_Batch_0"));  // CNV pads nothing
  // The signed 8-bit input is quantized by a Thresholding node as wide as conv0's window (SIMD 3).
  EXPECT_EQ(config.at("Thresholding_Batch_0").at("PE").get<int>(), 3);
  EXPECT_EQ(config.size(), 1u + 1u + 9u + 6u + 2u);
}

// The naming rule on a network with a skip connection: act1 is read by fc2 and by the add, so a
// DuplicateStreams follows fc1's MVAU; the add is AddStreams and its requantization a
// Thresholding node; each op type counts from 0 in graph (network) order.
TEST(FinnFoldingConfig, SkipConnectionGetsDuplicateAndAddStreamsNamedInGraphOrder) {
  const auto network = nn::load_network(examples / "networks/mnist_resmlp_w4a4.json");
  const auto mapping = hw::load_mapping((examples / "mappings/mnist_resmlp_w4a4.json").string());
  const auto nodes = finn_dataflow_nodes(network, mapping);
  std::vector<std::string> names, layers;
  for (const auto& node : nodes) {
    names.push_back(node.name);
    layers.push_back(node.layer);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Thresholding_Batch_0", "MatrixVectorActivation_0",
                                             "DuplicateStreams_Batch_0", "MatrixVectorActivation_1",
                                             "MatrixVectorActivation_2", "AddStreams_Batch_0",
                                             "Thresholding_Batch_1", "MatrixVectorActivation_3"}));
  EXPECT_EQ(layers, (std::vector<std::string>{"in", "fc1", "fc1", "fc2", "fc3", "res", "res", "fc4"}));
  EXPECT_EQ(nodes[0].attributes.at("PE").get<int>(), 16);  // fc1's SIMD
  // Streams without knobs move one pixel of all 256 channels per cycle, as codse's estimate assumes.
  EXPECT_EQ(nodes[2].attributes.at("PE").get<int>(), 256);
  EXPECT_EQ(nodes[5].attributes.at("PE").get<int>(), 256);
  EXPECT_EQ(nodes[6].attributes.at("PE").get<int>(), 256);
  EXPECT_EQ(nodes[7].attributes.at("PE").get<int>(), 10);
  EXPECT_EQ(nodes[7].attributes.at("SIMD").get<int>(), 4);
}

// A padded convolution gets FINN's FMPadding node, with the SIMD of its sliding window.
TEST(FinnFoldingConfig, PaddedConvolutionGetsPaddingNode) {
  const auto network = nn::parse_network_json(R"({"name": "padded", "layers": [
    {"name": "in", "type": "input", "shape": [4, 6, 6], "bits": 8, "signed": false},
    {"name": "c0", "type": "conv2d", "filters": 8, "kernel": 3, "padding": 1, "bias": false, "weight_bits": 2},
    {"name": "a0", "type": "quant", "bits": 2, "signed": false},
    {"name": "fc", "type": "dense", "units": 10, "weight_bits": 2}]})",
                                              "padded");
  const auto mapping = hw::parse_mapping(R"({"template": "folded", "clock_mhz": 100, "layers": [
    {"layer": "c0", "pe": 4, "simd": 2, "storage": "lutram", "multipliers": "dsp"},
    {"layer": "fc", "pe": 5, "simd": 8, "storage": "offchip"}]})",
                                         "padded mapping");
  const auto config = finn_folding_config(finn_dataflow_nodes(network, mapping));
  EXPECT_EQ(config.at("FMPadding_Batch_0").at("SIMD").get<int>(), 2);
  EXPECT_EQ(config.at("ConvolutionInputGenerator_0").at("SIMD").get<int>(), 2);
  EXPECT_EQ(config.at("MatrixVectorActivation_0").at("ram_style").get<std::string>(), "distributed");
  EXPECT_EQ(config.at("MatrixVectorActivation_0").at("resType").get<std::string>(), "dsp");
  EXPECT_EQ(config.at("MatrixVectorActivation_1").at("mem_mode").get<std::string>(), "external");
}

TEST(FinnFoldingConfig, UnrolledMappingIsRefused) {
  const auto network = nn::load_network(examples / "networks/digits_mlp_w4a4.json");
  const auto mapping = hw::parse_mapping(R"({"template": "unrolled", "clock_mhz": 100, "layers": [
    {"layer": "fc1", "reuse": 8}, {"layer": "fc2", "reuse": 4}]})",
                                         "unrolled mapping");
  try {
    finn_dataflow_nodes(network, mapping);
    FAIL() << "an unrolled mapping was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("'unrolled'"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace codse::interop
