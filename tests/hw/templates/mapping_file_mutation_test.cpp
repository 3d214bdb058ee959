// Property test of the mapping and device catalog readers (issue 17): mutated example mappings
// either parse into a mapping the estimator takes or refuses with an InputError, and mutated
// device catalogs either parse or are refused. See support/parser_mutation.hpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hw/estimate/estimator.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/mapping_file.hpp"
#include "nn/ir/network_io.hpp"
#include "support/parser_mutation.hpp"

namespace codse::hw {
namespace {

namespace fs = std::filesystem;
using codse::testing::check_mutants;
using codse::testing::mutation_count;

TEST(MappingFileMutation, IsParsedAndEstimatedOrRefusedWithAMessage) {
  const fs::path examples = fs::path(CODSE_SOURCE_DIR) / "examples";
  const DeviceCatalog catalog = DeviceCatalog::builtin();
  const int count = mutation_count(300);
  std::uint64_t seed = 2001;
  codse::testing::MutationTally all;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(examples / "mappings")) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    // The network a mapping was written for (its "network" field; several mappings may share one).
    const nn::Network network = nn::load_network(examples / "networks" / (mapping_file_network(file.string()) + ".json"));
    const Estimator estimator(network, catalog.find("XC7Z020"), catalog.calibration("XC7Z020"));
    // The seed itself is valid.
    ASSERT_NO_THROW(estimator.estimate(parse_mapping(codse::testing::read_text_file(file), file.string()))) << file;
    all += check_mutants(file.filename().string(), codse::testing::read_text_file(file), seed++, count, [&](const std::string& text) {
      const Mapping mapping = parse_mapping(text, file.string());
      estimator.estimate(mapping);
      // What is written reads back as the same mapping.
      if (!(parse_mapping(mapping_json_text(mapping), file.string()) == mapping))
        ADD_FAILURE() << file << ": an accepted mapping does not read back as itself";
    });
  }
  codse::testing::print_tally("mapping", all);
  EXPECT_GT(all.refused, all.total() / 2);
}

TEST(DeviceCatalogMutation, IsParsedOrRefusedWithAMessage) {
  const std::string valid(builtin_device_catalog_text());
  const auto tally = check_mutants("data/devices.json", valid, 3001, mutation_count(300) * 10, [](const std::string& text) {
    const DeviceCatalog catalog = DeviceCatalog::parse(text, "devices.json");
    for (const auto& device : catalog.devices()) catalog.calibration(device.name);
  });
  codse::testing::print_tally("device catalog", tally);
  EXPECT_GT(tally.refused, tally.accepted);
}

}  // namespace
}  // namespace codse::hw
