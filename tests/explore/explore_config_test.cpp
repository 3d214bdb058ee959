#include "explore/explore_config.hpp"

#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "explore/explore_test_support.hpp"
#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

using ::testing::HasSubstr;

std::string message_of(const std::string& text) {
  try {
    parse_explore_config(text, std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "bad.yaml");
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ExploreConfig, TheExamplesParse) {
  for (const auto* name :
       {"mnist_xc7z020.yaml", "fmnist_cnn_zcu104.yaml", "digits_ice40.yaml", "digits_ice40_synthesis.yaml"}) {
    const auto path = std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / name;
    if (!std::filesystem::exists(path)) continue;
    const auto config = load_explore_config(path);
    EXPECT_FALSE(config.networks.empty()) << name;
    EXPECT_EQ(config.objectives.front().metric, "error") << name;
    EXPECT_GT(config.budget_minutes, 0.0) << name;
  }
  const auto mnist = load_explore_config(std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "mnist_xc7z020.yaml");
  EXPECT_EQ(mnist.hardware.devices, std::vector<std::string>{"XC7Z020"});
  EXPECT_EQ(mnist.dataset.train_samples, 0u) << "the main job trains on the whole MNIST training set";
  EXPECT_EQ(mnist.dataset.test_samples, 0u) << "and is tested on all 10,000 test images";
  EXPECT_EQ(mnist.strategy, "lemonade");
  const auto synthesis =
      load_explore_config(std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "digits_ice40_synthesis.yaml");
  EXPECT_EQ(synthesis.fidelity, ExploreFidelity::synthesis);
  EXPECT_EQ(synthesis.synthesis.per_network, 3u);
}

TEST(ExploreConfig, UnknownAndIllTypedFieldsNameFileLineAndField) {
  const auto base = testing::digits_config(3);
  EXPECT_THAT(message_of(base + "colour: red\n"), HasSubstr("bad.yaml:14: colour: unknown field"));
  auto typo = base;
  typo.replace(typo.find("epochs: 3,"), 10, "epochs: one,");
  EXPECT_THAT(message_of(typo), HasSubstr("bad.yaml:8: training.epochs: expected an integer, got 'one'"));
  auto device = base;
  device.replace(device.find("max_params"), 10, "max_parms");
  EXPECT_THAT(message_of(device), HasSubstr("ml_knobs.max_parms: unknown field"));
  auto objective = base;
  objective.replace(objective.find("lut:min"), 7, "luts:min");
  EXPECT_THAT(message_of(objective), HasSubstr("bad.yaml:11: objectives: unknown metric 'luts'"));
  // The test error is measured after the search, for its front only: never something to search by.
  auto tested = base;
  tested.replace(tested.find("lut:min"), 7, "test_error:min");
  EXPECT_THAT(message_of(tested), HasSubstr("bad.yaml:11: objectives: metric 'test_error' is not measured during the search"));
  auto budget = base;
  budget.replace(budget.find("networks: 3"), 11, "networks: -3");
  EXPECT_THAT(message_of(budget), HasSubstr("budget.networks: -3 is out of range"));
  EXPECT_THAT(message_of(base + "fidelity: exact\n"), HasSubstr("fidelity: unknown fidelity 'exact'"));
  auto network = base;
  network.replace(network.find("digits_mlp_w4a4"), 15, "digits_mlp_nope");
  EXPECT_THAT(message_of(network), HasSubstr("networks: no such file"));
  EXPECT_THAT(message_of("dataset: {name: mnist}\n"), HasSubstr("networks: missing"));
  auto sizes = base;
  sizes.replace(sizes.find("generated: 8"), 12, "generated: 1");
  EXPECT_THAT(message_of(sizes),
              HasSubstr("lemonade.accepted: 2 is more than lemonade.generated (1)"));
}

TEST(ExploreConfig, AsStrictAsNetworkFiles) {
  const auto base = testing::digits_config(3);
  const auto with = [&base](const std::string& from, const std::string& to) {
    auto text = base;
    text.replace(text.find(from), from.size(), to);
    return message_of(text);
  };
  // Quoted numbers are strings, as in network files.
  EXPECT_THAT(with("seed: 3", "seed: \"3\""), HasSubstr("bad.yaml:2: seed: expected an integer, got the quoted string"));
  EXPECT_THAT(with("validation_fraction: 0.15", "validation_fraction: '0.15'"),
              HasSubstr("dataset.validation_fraction: expected a number, got the quoted string"));
  // An integer range is not truncated ([2.7, 6.9] was [2, 6]).
  EXPECT_THAT(with("epochs: [1, 2]", "epochs: [2.7, 6.9]"),
              HasSubstr("bad.yaml:9: ml_knobs.epochs: expected an integer, got '2.7'"));
  // Duplicate keys, at the top and nested, block or flow style.
  EXPECT_THAT(with("seed: 3\n", "seed: 3\nseed: 4\n"), HasSubstr("bad.yaml:3: seed: appears twice in one mapping"));
  EXPECT_THAT(with("{epochs: 3,", "{epochs: 3, epochs: 5,"), HasSubstr("training.epochs: appears twice"));
  EXPECT_THAT(with("  test_fraction: 0.25\n", "  test_fraction: 0.25\n  test_fraction: 0.5\n"),
              HasSubstr("dataset.test_fraction: appears twice"));
  // Duplicate objectives (which would pass "error and at least one hardware objective").
  EXPECT_THAT(with("[error:min, lut:min, latency_us:min]", "[error:min, error:min]"),
              HasSubstr("objectives: the metric error is an objective twice (error:min and error:min)"));
  EXPECT_THAT(with("[error:min, lut:min, latency_us:min]", "[error:min, lut:min, lut:max]"),
              HasSubstr("objectives: the metric lut is an objective twice"));
  EXPECT_THAT(with("[error:min, lut:min, latency_us:min]", "[error:min, accuracy:max]"),
              HasSubstr("objectives: the metric accuracy is an objective twice"));
  // Bounds that are not finite.
  EXPECT_THAT(message_of(base + "constraints: [\"lut<=nan\"]\n"), HasSubstr("lut<=nan"));
}

TEST(ExploreConfig, IdentityLeavesTheBudgetOut) {
  const auto source = std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "t.yaml";
  const auto a = parse_explore_config(testing::digits_config(3), source);
  const auto b = parse_explore_config(testing::digits_config(30), source);
  EXPECT_EQ(a.identity(), b.identity());
  EXPECT_EQ(a.budget_networks, 3u);
  auto other_seed = testing::digits_config(3);
  other_seed.replace(other_seed.find("seed: 3"), 7, "seed: 4");
  EXPECT_NE(parse_explore_config(other_seed, source).identity(), a.identity());
}

TEST(ExploreConfig, StrategyAndSynthesisFieldsAreValidated) {
  const auto source = std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "t.yaml";
  const auto base = testing::digits_config(3);
  EXPECT_EQ(parse_explore_config(base, source).strategy, "lemonade");
  EXPECT_EQ(parse_explore_config(base + "strategy: random\n", source).strategy, "random");
  EXPECT_EQ(parse_explore_config(base + "strategy: sequential\n", source).strategy, "sequential");
  EXPECT_THAT(message_of(base + "strategy: greedy\n"),
              HasSubstr("bad.yaml:14: strategy: unknown strategy 'greedy' (known: lemonade, random, sequential)"));
  EXPECT_THAT(message_of(base + "synthesis: {per_network: 2}\n"),
              HasSubstr("bad.yaml:14: synthesis: only with fidelity: synthesis"));
  const auto synth = base + "fidelity: synthesis\n";
  EXPECT_THAT(message_of(synth + "synthesis: {explorer: lemonade}\n"),
              HasSubstr("bad.yaml:15: synthesis.explorer: unknown explorer 'lemonade' (known: random, grid, nsga2, atne, epal)"));
  EXPECT_EQ(parse_explore_config(synth + "synthesis: {explorer: grid}\n", source).synthesis.explorer, "grid");
  // The key's former name is still read, once.
  EXPECT_EQ(parse_explore_config(synth + "synthesis: {learner: atne}\n", source).synthesis.explorer, "atne");
  EXPECT_THAT(message_of(synth + "synthesis: {learner: atne, explorer: epal}\n"),
              HasSubstr("synthesis.explorer: given twice, as explorer and as its former name learner"));
  EXPECT_THAT(message_of(synth + "synthesis: {per_network: 0}\n"), HasSubstr("synthesis.per_network: 0 is out of range"));
  EXPECT_THAT(message_of(synth + "synthesis: {budget: 3}\n"), HasSubstr("synthesis.budget: unknown field"));
  const auto parsed = parse_explore_config(synth + "synthesis: {per_network: 3, explorer: atne, verify_inputs: 4}\n", source);
  EXPECT_EQ(parsed.synthesis.per_network, 3u);
  EXPECT_EQ(parsed.synthesis.explorer, "atne");
  EXPECT_EQ(parsed.synthesis.verify_inputs, 4u);

  // The default strategy and fidelity leave the identity as studies stored before these fields
  // had it; the others change it, so a study is never resumed with another strategy.
  const auto lemonade = parse_explore_config(base, source).identity();
  EXPECT_FALSE(lemonade.contains("strategy"));
  EXPECT_FALSE(lemonade.contains("synthesis"));
  EXPECT_EQ(parse_explore_config(base + "strategy: random\n", source).identity()["strategy"], "random");
  EXPECT_EQ(parsed.identity()["synthesis"]["explorer"], "atne");
  auto stored = parsed.identity();  // as a study stored before the key was renamed has it
  stored["synthesis"]["learner"] = stored["synthesis"]["explorer"];
  stored["synthesis"].erase("explorer");
  EXPECT_EQ(parsed.upgrade_identity(stored), parsed.identity());
}

TEST(ExploreConfig, AnEditedNetworkFileIsAnotherStudy) {
  codse::testing::TempDir dir;
  std::ifstream in(std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "networks" / "digits_mlp_w4a4.json");
  const std::string network_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  dir.write("net.json", network_text);
  auto config_text = testing::digits_config(3);
  const auto at = config_text.find("networks: [");
  config_text.replace(at, config_text.find(']', at) - at + 1, "networks: [net.json]");
  const auto before = parse_explore_config(config_text, dir / "c.yaml");
  EXPECT_EQ(before.identity()["networks"], nlohmann::json::array({"net.json"}));
  ASSERT_EQ(before.identity()["network_contents"].size(), 1u);
  EXPECT_EQ(before.identity()["network_contents"][0].get<std::string>().size(), 64u);  // SHA-256 hex
  // A study stored before contents were recorded resumes on the name, as it did then; one stored
  // with them keeps its own.
  auto old = before.identity();
  old.erase("network_contents");
  EXPECT_EQ(before.upgrade_identity(old), before.identity());

  dir.write("net.json", network_text + "\n");  // the same name, other bytes
  const auto after = parse_explore_config(config_text, dir / "c.yaml");
  EXPECT_EQ(after.identity()["networks"], before.identity()["networks"]);
  EXPECT_NE(after.identity()["network_contents"], before.identity()["network_contents"]);
  EXPECT_NE(after.upgrade_identity(before.identity()), after.identity());
}

TEST(ExploreConfig, TheShippedExampleKeepsItsStoredIdentity) {
  // What studies of the main job stored before the config became one table of fields and before
  // templates were plugins, when folded was spelled dataflow_folded: the spelling is upgraded, and
  // the cost model they used (FINN-R's) is recorded. They
  // measured error on the test set (and trained on 6000 images), so they no longer resume: their
  // trials would mix with validation errors.
  const auto mnist = load_explore_config(std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "mnist_xc7z020.yaml");
  const auto stored = nlohmann::json::parse(
            R"({"constraints":[],"dataset":{"name":"mnist","test_samples":2000,"train_samples":6000,)"
            R"("validation_fraction":0.1},"fidelity":"analytic","hardware":{"clocks_mhz":[100.0],"devices":["XC7Z020"],)"
            R"("mappings_per_network":6,"templates":["dataflow_folded"]},"kind":"explore","lemonade":{"accepted":4,)"
            R"("generated":24,"hyper_mutation":0.15},"ml_knobs":{"batch_size":[64,256],"epochs":[1,3],)"
            R"("learning_rate":[0.0005,0.01],"max_layers":6,"max_params":600000,"max_sparsity":0.9,"min_bits":1,)"
            R"("morphisms":["widen","deepen","add_skip","remove_layer","remove_skip","prune_units","lower_bits",)"
            R"("raise_sparsity"]},"must_fit":true,"networks":["mnist_mlp_w4a4.json"],"objectives":["error:min",)"
            R"("lut:min","latency_us:min"],"seed":1,"training":{"batch_size":128,"epochs":2,"learning_rate":0.002,)"
            R"("optimizer":"adam","threads":1}})");
  const auto upgraded = mnist.upgrade_identity(stored);
  // They estimated XC7Z020 with FINN-R's formulas, before the built-in catalog carried its calibration.
  EXPECT_EQ(upgraded["hardware"]["cost_model"]["XC7Z020"], "published");
  auto hardware = upgraded["hardware"];
  hardware.erase("cost_model");
  auto shipped_hardware = mnist.identity()["hardware"];
  shipped_hardware.erase("cost_model");
  EXPECT_EQ(hardware, shipped_hardware);
  EXPECT_EQ(upgraded["network_contents"], mnist.identity()["network_contents"]);
  EXPECT_EQ(mnist.identity()["hardware"]["templates"], nlohmann::json::array({"folded"}));
  EXPECT_FALSE(upgraded.contains("error_split"));
  EXPECT_EQ(mnist.identity()["error_split"], "validation");
  EXPECT_NE(upgraded, mnist.identity());
}

TEST(ExploreConfig, SettingsThatChangeTrialsEnterTheIdentityWhenNotDefault) {
  const auto source = std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "t.yaml";
  const auto base = testing::digits_config(3);
  const auto plain = parse_explore_config(base, source).identity();
  for (const auto& [from, to, key] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"epochs: 3,", "epochs: 3, schedule: step,", "/training/schedule"},
           {"epochs: 3,", "epochs: 3, weight_decay: 0.001,", "/training/weight_decay"},
           {"epochs: 3,", "epochs: 3, patience: 2,", "/training/patience"}}) {
    auto text = base;
    ASSERT_NE(text.find(from), std::string::npos) << from;
    text.replace(text.find(from), from.size(), to);
    const auto identity = parse_explore_config(text, source).identity();
    EXPECT_TRUE(identity.contains(nlohmann::json::json_pointer(key))) << key;
    EXPECT_FALSE(plain.contains(nlohmann::json::json_pointer(key))) << key;
    EXPECT_NE(identity, plain) << key;
  }
  // Where the data files are is not part of it (another copy of the same data resumes).
  auto elsewhere = base;
  elsewhere.replace(elsewhere.find("dataset:\n"), 9, "dataset:\n  data_dir: /elsewhere\n");
  EXPECT_EQ(parse_explore_config(elsewhere, source).identity(), plain);
}

}  // namespace
}  // namespace codse::explore
