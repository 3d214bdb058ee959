// Property test of the network file readers (issue 17): mutated example networks, in JSON and in
// block YAML, either parse into a network that writes and reads back as itself, or are refused
// with an InputError. See support/parser_mutation.hpp.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "nn/ir/network_io.hpp"
#include "support/parser_mutation.hpp"

namespace codse::nn {
namespace {

namespace fs = std::filesystem;
using codse::testing::check_mutants;
using codse::testing::mutation_count;

std::vector<fs::path> example_networks() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(CODSE_SOURCE_DIR) / "examples" / "networks"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// The same document in block-style YAML (what a person writes), so the YAML reader's own
/// syntax (indentation, dashes, colons) is what gets mutated.
void write_block_yaml(const nlohmann::ordered_json& value, int indent, std::string& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (item.is_structured() && !item.empty()) {
        out += pad + key + ":\n";
        write_block_yaml(item, indent + 2, out);
      } else {
        out += pad + key + ": " + item.dump() + "\n";
      }
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_object()) {
        std::string inner;
        write_block_yaml(item, indent + 2, inner);
        out += pad + "- " + inner.substr(pad.size() + 2);
      } else {
        out += pad + "- " + item.dump() + "\n";
      }
    }
  }
}

void check_round_trip(const Network& network, const std::string& source) {
  network.stats();
  const Network again = parse_network_json(format_network_json(network), source);
  if (!(again.layers() == network.layers()) || again.name() != network.name())
    ADD_FAILURE() << source << ": an accepted network does not read back as itself";
}

TEST(NetworkFileMutation, JsonIsParsedOrRefusedWithAMessage) {
  const int count = mutation_count(300);
  std::uint64_t seed = 1;
  codse::testing::MutationTally all;
  for (const auto& file : example_networks()) {
    all += check_mutants(file.filename().string(), codse::testing::read_text_file(file), seed++, count, [&](const std::string& text) {
      check_round_trip(parse_network_json(text, file.string()), file.string());
    });
  }
  codse::testing::print_tally("network JSON", all);
  // Most mutants are broken; a mutator that broke nothing would test nothing.
  EXPECT_GT(all.refused, all.total() / 2);
}

TEST(NetworkFileMutation, YamlIsParsedOrRefusedWithAMessage) {
  const int count = mutation_count(300);
  std::uint64_t seed = 1001;
  codse::testing::MutationTally all;
  for (const auto& file : example_networks()) {
    std::string yaml;
    write_block_yaml(nlohmann::ordered_json::parse(codse::testing::read_text_file(file)), 0, yaml);
    // The seed itself is valid: otherwise the mutants test only the first error.
    const Network original = parse_network_yaml(yaml, file.string() + ".yaml");
    ASSERT_EQ(original.layers(), parse_network_json(codse::testing::read_text_file(file), file.string()).layers()) << yaml;
    all += check_mutants(file.filename().string() + ".yaml", yaml, seed++, count, [&](const std::string& text) {
      check_round_trip(parse_network_yaml(text, file.string() + ".yaml"), file.string());
    });
  }
  codse::testing::print_tally("network YAML", all);
  EXPECT_GT(all.refused, all.total() / 2);
}

}  // namespace
}  // namespace codse::nn
