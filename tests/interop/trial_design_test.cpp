// The design a co-exploration trial recorded, read back from a hand-made store: network, weights
// and mapping as recorded, the device's part; each missing piece an error naming the trial.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "hw/estimate/estimate_json.hpp"
#include "hw/templates/mapping_file.hpp"
#include "interop/trial_design.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse::interop {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path examples = std::filesystem::path(CODSE_SOURCE_DIR) / "examples";

std::string error_of(const StudyJournal& journal, std::size_t number) {
  try {
    trial_design(journal, number);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(TrialDesign, ReadsTheRecordedNetworkWeightsMappingAndDevice) {
  testing::TempDir dir;
  const auto network = nn::load_network(examples / "networks/sfc_w1a1.json");
  const auto weights = nn::random_weights(network, 3);
  const auto mapping = hw::load_mapping((examples / "mappings/sfc_w1a1.json").string());
  std::filesystem::create_directories(dir / "s.artifacts/weights");
  weights.save((dir / "s.artifacts/weights/network-00004.bin").string());

  Store store(dir / "s.sqlite");
  auto journal = store.open_study("s", {{"seed", 1}});
  Trial joint;
  joint.number = 0;
  joint.design.values = {4, 0, 0};
  joint.artifacts_json = nlohmann::json{{"network", nn::network_to_json(network)},
                                        {"weights", "s.artifacts/weights/network-00004.bin"},
                                        {"mapping", hw::mapping_to_json(mapping)},
                                        {"device", "XC7Z020"}}
                             .dump();
  Trial lost = joint;
  lost.number = 1;
  lost.design.values = {5, 0, 0};
  lost.artifacts_json = nlohmann::json{{"network", nn::network_to_json(network)},
                                       {"weights", "s.artifacts/weights/network-00005.bin"}}
                            .dump();
  Trial table_row;  // what a dse trial holds: knob values, no artifacts
  table_row.number = 2;
  table_row.design.values = {1, 2};
  journal.record_all({joint, lost, table_row});

  const auto design = trial_design(journal, 0);
  EXPECT_EQ(nn::format_network_json(design.network), nn::format_network_json(network));
  ASSERT_TRUE(design.mapping.has_value());
  EXPECT_EQ(*design.mapping, mapping);
  ASSERT_TRUE(design.device.has_value());
  EXPECT_EQ(design.device->part, "xc7z020clg400-1");
  EXPECT_TRUE(design.integer_model.has_value()) << design.integer_model_error;
  EXPECT_EQ(design.weights.at("fc0").weight, weights.at("fc0").weight);

  EXPECT_THAT(error_of(journal, 1), HasSubstr("trial 1: weights file"));
  EXPECT_THAT(error_of(journal, 1), HasSubstr("network-00005.bin is missing"));
  EXPECT_THAT(error_of(journal, 2), HasSubstr("trial 2: records no network and weights"));
  EXPECT_THAT(error_of(journal, 7), HasSubstr("study 's': trial 7 is not in the study (its trials are 0 to 2)"));
}

}  // namespace
}  // namespace codse::interop
