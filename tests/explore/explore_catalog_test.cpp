// hardware.catalog: a device file (like what `codse hw calibrate` writes) extends the built-in
// catalog of an exploration; its devices, with their calibration, are the ones estimated on.

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "explore/co_exploration.hpp"
#include "explore/explore_config.hpp"
#include "hw/templates/mapping_file.hpp"
#include "explore/explore_dataset.hpp"
#include "explore/explore_test_support.hpp"
#include "hw/model/device.hpp"
#include "hw/estimate/estimator.hpp"
#include "nn/ir/network_io.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

using ::testing::HasSubstr;

/// The built-in iCE40UP5K entry under another name, with a linear calibration
/// (LUT = 10 + 1.5 x the analytic count per matrix-vector unit, FF unchanged).
nlohmann::json calibrated_ice40(const std::string& name, double lut_scale = 1.5) {
  const auto builtin = nlohmann::json::parse(hw::builtin_device_catalog_text());
  for (auto entry : builtin.at("devices")) {
    if (entry.at("name") != "iCE40UP5K") continue;
    entry["name"] = name;
    entry["calibration"] = {{"lut_offset", 10.0}, {"lut_scale", lut_scale}, {"ff_offset", 0.0},
                            {"ff_scale", 1.0}, {"source", "explore_catalog_test"}};
    return entry;
  }
  throw std::logic_error("no iCE40UP5K in the built-in catalog");
}

std::string catalog_text(const std::vector<nlohmann::json>& devices, int indent = 2) {
  return nlohmann::json{{"devices", devices}}.dump(indent);
}

/// The tiny digits config (explore_test_support.hpp) on other devices, with more hardware fields.
std::string config_on(const std::string& hardware, std::size_t networks = 1) {
  auto text = testing::digits_config(networks);
  const std::string from = "hardware: {devices: [iCE40UP5K], mappings_per_network: 3}";
  text.replace(text.find(from), from.size(), "hardware: {" + hardware + "}");
  return text;
}

std::string message_of(const std::string& text, const std::filesystem::path& source) {
  try {
    parse_explore_config(text, source);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(ExploreCatalog, ADeviceOnlyInTheFileIsExploredWithItsCalibration) {
  testing::TempDir dir;
  dir.write("cal.json", catalog_text({calibrated_ice40("iCE40UP5K-cal")}));
  // A relative path: next to the config file, not the working directory.
  const auto config = parse_explore_config(
      config_on("devices: [ice40up5k-CAL], catalog: cal.json, mappings_per_network: 3"), dir / "tiny.yaml");
  EXPECT_EQ(config.hardware.catalog, dir / "cal.json");
  testing::ExplorationStudy study(config, dir.path());
  const auto result = study.run();
  ASSERT_EQ(result.trained_networks, 1u);

  const auto plain_device = hw::DeviceCatalog::builtin().find("iCE40UP5K");
  const auto file_catalog = config.hardware.device_catalog();
  const auto& file_device = file_catalog.find("iCE40UP5K-cal");
  std::size_t checked = 0;
  for (const auto& trial : result.trials) {
    ASSERT_EQ(trial.status, TrialStatus::complete) << trial.error;
    const auto artifacts = nlohmann::json::parse(trial.artifacts_json);
    EXPECT_EQ(artifacts["device"], "iCE40UP5K-cal");
    const auto network = nn::parse_network_json(artifacts["network"].dump(), "trial network");
    const auto mapping = hw::parse_mapping(artifacts["mapping"].dump(), "trial mapping");
    const auto calibrated = hw::Estimator(network, file_device, file_catalog.calibration("iCE40UP5K-cal")).estimate(mapping);
    const auto plain = hw::Estimator(network, plain_device).estimate(mapping);
    // The trial's LUTs are the calibrated estimate's, and these are the calibration applied to
    // every matrix-vector unit of the uncalibrated one.
    EXPECT_DOUBLE_EQ(trial.metrics.at("lut"), calibrated.total.lut);
    EXPECT_DOUBLE_EQ(trial.metrics.at("ff"), plain.total.ff) << "ff_scale 1, ff_offset 0";
    ASSERT_EQ(calibrated.layers.size(), plain.layers.size());
    double expected_total = 0.0;
    for (std::size_t i = 0; i < plain.layers.size(); ++i) {
      const auto& unit = plain.layers[i].resources;
      const double expected =
          plain.layers[i].unit == "matrix_vector" ? std::max(10.0 + 1.5 * unit.lut, unit.lutram) : unit.lut;
      EXPECT_DOUBLE_EQ(calibrated.layers[i].resources.lut, expected) << plain.layers[i].name;
      expected_total += expected;
    }
    EXPECT_DOUBLE_EQ(calibrated.total.lut, expected_total);
    EXPECT_GT(calibrated.total.lut, plain.total.lut + 10.0);
    ++checked;
  }
  EXPECT_GE(checked, 1u);

  // Resume: the same config (re-read) opens the stored study and replays it without training.
  const auto again = parse_explore_config(
      config_on("devices: [ice40up5k-CAL], catalog: cal.json, mappings_per_network: 3"), dir / "tiny.yaml");
  auto resumed = study.store.open_study(again.name, again.identity());
  CoExploration replay(again, study.data, dir / "study.artifacts");
  const auto replayed = replay.run(resumed);
  EXPECT_EQ(replayed.replayed_networks, 1u);
  EXPECT_EQ(replayed.trained_networks, 0u);
  ASSERT_EQ(replayed.trials.size(), result.trials.size());
  for (std::size_t i = 0; i < result.trials.size(); ++i)
    EXPECT_EQ(replayed.trials[i].metrics.at("lut"), result.trials[i].metrics.at("lut"));

  // A recalibrated file is another device: the study does not resume with it.
  dir.write("cal.json", catalog_text({calibrated_ice40("iCE40UP5K-cal", 2.0)}));
  const auto recalibrated = parse_explore_config(
      config_on("devices: [ice40up5k-CAL], catalog: cal.json, mappings_per_network: 3"), dir / "tiny.yaml");
  EXPECT_THROW(study.store.open_study(recalibrated.name, recalibrated.identity()), InputError);
}

TEST(ExploreCatalog, TheFileOverridesABuiltInDeviceOfTheSameName) {
  testing::TempDir dir;
  dir.write("cal.json", catalog_text({calibrated_ice40("ice40up5k")}));
  const auto config = parse_explore_config(config_on("devices: [iCE40UP5K], catalog: cal.json"), dir / "t.yaml");
  const auto catalog = config.hardware.device_catalog();
  EXPECT_EQ(catalog.devices().size(), hw::DeviceCatalog::builtin().devices().size()) << "replaced, not added";
  EXPECT_DOUBLE_EQ(catalog.calibration("iCE40UP5K").lut_scale, 1.5);
  EXPECT_TRUE(catalog.calibration("XC7Z020").by_terms) << "the others stay built in, calibrated";
  // Without the field, the built-in device with the built-in calibration (data/calibration/ice40.json).
  const auto plain = parse_explore_config(config_on("devices: [iCE40UP5K]"), dir / "t.yaml");
  const auto builtin = hw::DeviceCatalog::builtin();
  EXPECT_TRUE(builtin.calibration("iCE40UP5K").by_terms);
  EXPECT_EQ(plain.hardware.device_catalog().calibration("iCE40UP5K").to_json(),
            builtin.calibration("iCE40UP5K").to_json());
  EXPECT_TRUE(plain.hardware.catalog.empty());
}

TEST(ExploreCatalog, IdentityNamesTheFileAndFingerprintsTheListedDevicesItDefines) {
  testing::TempDir dir;
  const auto cal = calibrated_ice40("iCE40UP5K-cal");
  const auto other = calibrated_ice40("spare", 3.0);
  dir.write("cal.json", catalog_text({cal, other}));
  const auto hardware = "devices: [iCE40UP5K-cal, XC7Z020], catalog: cal.json";
  const auto identity = parse_explore_config(config_on(hardware), dir / "t.yaml").identity();
  const auto& stored = identity["hardware"]["catalog"];
  EXPECT_EQ(stored["file"], "cal.json");
  ASSERT_EQ(stored["devices"].size(), 1u) << stored.dump() << ": XC7Z020 is built in, spare is not listed";
  EXPECT_EQ(stored["devices"]["iCE40UP5K-cal"].get<std::string>().size(), 16u);

  // Formatting, the file's place and its devices that are not listed do not matter.
  std::filesystem::create_directories(dir / "elsewhere");
  dir.write("elsewhere/cal.json", catalog_text({calibrated_ice40("spare", 4.0), cal}, -1));
  const auto moved = parse_explore_config(config_on("devices: [iCE40UP5K-cal, XC7Z020], catalog: elsewhere/cal.json"),
                                          dir / "t.yaml");
  EXPECT_EQ(moved.identity(), identity);
  // Without hardware.catalog the identity is what studies stored before the field had.
  const auto plain = parse_explore_config(config_on("devices: [XC7Z020]"), dir / "t.yaml").identity();
  EXPECT_FALSE(plain["hardware"].contains("catalog"));
}

TEST(ExploreCatalog, TheMainExampleEstimatesCalibratedAndDocumentsThePublishedModel) {
  // As shipped, examples/mnist_xc7z020.yaml estimates XC7Z020 with the built-in calibration
  // (data/calibration/xc7.json); its commented-out line asks for FINN-R's published formulas.
  const auto path = std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "mnist_xc7z020.yaml";
  const auto shipped = load_explore_config(path);
  const auto builtin = hw::DeviceCatalog::builtin();
  const auto& builtin_calibration = builtin.calibration("XC7Z020");
  ASSERT_TRUE(builtin_calibration.by_terms);
  EXPECT_EQ(shipped.hardware.device_catalog().calibration("XC7Z020").to_json(), builtin_calibration.to_json());
  EXPECT_EQ(shipped.identity()["hardware"]["cost_model"]["XC7Z020"].get<std::string>().size(), 16u);
  EXPECT_FALSE(shipped.identity()["hardware"].contains("catalog"));

  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto yaml = text.str();
  const std::string commented = "# cost_model: published";
  const auto at = yaml.find(commented);
  ASSERT_NE(at, std::string::npos) << "the example documents hardware.cost_model";
  yaml.replace(at, commented.size(), commented.substr(2));
  const auto published = parse_explore_config(yaml, path);
  EXPECT_TRUE(published.hardware.device_catalog().calibration("XC7Z020").is_identity());
  EXPECT_EQ(published.identity()["hardware"]["cost_model"]["XC7Z020"], "published");
  EXPECT_NE(published.identity(), shipped.identity());
}

TEST(ExploreCatalog, AStudyStoredBeforeCalibrationsWereBuiltInResumesOnlyUnderThePublishedModel) {
  testing::TempDir dir;
  const auto calibrated = parse_explore_config(config_on("devices: [XC7Z020]"), dir / "t.yaml");
  const auto published = parse_explore_config(config_on("devices: [XC7Z020], cost_model: published"), dir / "t.yaml");
  // What such a study stored: no cost_model, and FINN-R's estimates for the built-in XC7Z020.
  auto stored = published.identity();
  stored["hardware"].erase("cost_model");
  EXPECT_EQ(published.upgrade_identity(stored), published.identity());
  EXPECT_NE(calibrated.upgrade_identity(stored), calibrated.identity());

  // With a hardware.catalog file, its devices were estimated with the file's calibration then too.
  dir.write("cal.json", catalog_text({calibrated_ice40("iCE40UP5K-cal")}));
  const auto with_file = parse_explore_config(config_on("devices: [iCE40UP5K-cal], catalog: cal.json"), dir / "t.yaml");
  auto stored_with_file = with_file.identity();
  stored_with_file["hardware"].erase("cost_model");
  EXPECT_EQ(with_file.upgrade_identity(stored_with_file), with_file.identity());
  EXPECT_THAT(message_of(config_on("devices: [XC7Z020], cost_model: fitted"), dir / "bad.yaml"),
              HasSubstr("hardware.cost_model: unknown cost model 'fitted' (calibrated, published)"));
}

TEST(ExploreCatalog, BadCatalogsAndUnknownDevicesNameFileLineAndField) {
  testing::TempDir dir;
  const auto source = dir / "bad.yaml";
  EXPECT_THAT(message_of(config_on("devices: [XC7Z020], catalog: nope.json"), source),
              HasSubstr(fmt::format("bad.yaml:10: hardware.catalog: cannot read the device file {}",
                                    (dir / "nope.json").string())));
  auto broken = calibrated_ice40("Broken");
  broken.erase("lut");
  dir.write("broken.json", catalog_text({broken}));
  EXPECT_THAT(message_of(config_on("devices: [XC7Z020], catalog: broken.json"), source),
              HasSubstr(fmt::format("bad.yaml:10: hardware.catalog: {}: device Broken: missing field 'lut'",
                                    (dir / "broken.json").string())));
  dir.write("text.json", "devices: none");
  EXPECT_THAT(message_of(config_on("devices: [XC7Z020], catalog: text.json"), source),
              HasSubstr("hardware.catalog: " + (dir / "text.json").string() + ": not valid JSON"));
  EXPECT_THAT(message_of(config_on("devices: [XC7Z020], catalog: [a, b]"), source),
              HasSubstr("bad.yaml:10: hardware.catalog: expected a string"));

  dir.write("cal.json", catalog_text({calibrated_ice40("iCE40UP5K-cal")}));
  EXPECT_THAT(message_of(config_on("devices: [XC7Z020, XC9Z999], catalog: cal.json"), source),
              HasSubstr(fmt::format("bad.yaml:10: hardware.devices: unknown device 'XC9Z999': in neither the "
                                    "built-in catalog nor {} (known: XC7Z020, ",
                                    (dir / "cal.json").string())));
  EXPECT_THAT(message_of(config_on("devices: [XC7Z020, XC9Z999], catalog: cal.json"), source),
              HasSubstr(", iCE40UP5K-cal)"));
  EXPECT_THAT(message_of(config_on("devices: [iCE40UP5K-cal]"), source),
              HasSubstr("bad.yaml:10: hardware.devices: unknown device 'iCE40UP5K-cal' (known: XC7Z020, "));
  EXPECT_THAT(message_of(config_on("devices: [iCE40UP5K-cal]"), source),
              HasSubstr("add one with hardware.catalog: FILE)"));
}

}  // namespace
}  // namespace codse::explore
