// The bad-input corpus (issue 17): every case of tests/cli/bad_inputs.txt (its format is described at
// the top of that file) runs codse as a user would and must exit with the case's code and a message
// containing the case's word. One test per line, named by the line number: BadInputCorpus/Line.Refused/L42.

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/run_codse.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/ir/weights.hpp"
#include "nn/quant/random_weights.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string corpus_dir = std::string(CODSE_SOURCE_DIR) + "/tests/cli";

struct CorpusCase {
  int line = 0;
  int exit_code = 0;
  std::string word, args;
  std::string before;  // codse arguments run first in the same {tmp} (must succeed), e.g. a study to resume
  std::string error;  // a line that does not follow the format: the test fails with this
};

// What ctest shows for a case (gtest would print the struct's bytes).
void PrintTo(const CorpusCase& value, std::ostream* out) { *out << "bad_inputs.txt:" << value.line; }

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

std::vector<CorpusCase> read_corpus() {
  std::vector<CorpusCase> cases;
  std::ifstream in(corpus_dir + "/bad_inputs.txt");
  if (!in) {
    cases.push_back({0, 0, "", "", "", "cannot read " + corpus_dir + "/bad_inputs.txt"});
    return cases;
  }
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    const std::string content = trim(text);
    if (content.empty() || content.front() == '#') continue;
    CorpusCase c;
    c.line = line;
    const auto first = content.find('|');
    const auto second = first == std::string::npos ? first : content.find('|', first + 1);
    if (second == std::string::npos) {
      c.error = "expected EXIT | WORD | ARGUMENTS";
    } else {
      const std::string code = trim(content.substr(0, first));
      c.word = trim(content.substr(first + 1, second - first - 1));
      const auto third = content.find('|', second + 1);
      c.args = trim(content.substr(second + 1, third == std::string::npos ? std::string::npos : third - second - 1));
      if (third != std::string::npos) c.before = trim(content.substr(third + 1));
      if (code != "1" && code != "2") c.error = "EXIT must be 1 or 2, not '" + code + "'";
      if (c.word.empty() || c.args.empty()) c.error = "WORD and ARGUMENTS must not be empty";
      c.exit_code = code == "1" ? 1 : 2;
    }
    cases.push_back(c);
  }
  return cases;
}

std::string substitute(const std::string& text, const std::string& key, const std::string& value) {
  std::string out;
  std::size_t from = 0;
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, from)) {
    out.append(text, from, at - from);
    out += value;
    from = at + key.size();
  }
  out.append(text, from, std::string::npos);
  return out;
}

std::string case_name(const ::testing::TestParamInfo<CorpusCase>& param) { return fmt::format("L{}", param.param.line); }

class Line : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(Line, Refused) {
  const CorpusCase& c = GetParam();
  ASSERT_TRUE(c.error.empty()) << "bad_inputs.txt line " << c.line << ": " << c.error;
  TempDir tmp;
  // Weights of {in}/tiny.json, written per case: binary files are generated, not committed.
  const auto weights = (tmp / "tiny_weights.bin").string();
  nn::random_weights(nn::load_network(corpus_dir + "/bad_inputs/tiny.json"), 1).save(weights);
  // An empty file (a store that is not one), made per case: data files are not committed.
  const auto empty = (tmp / "empty_store.db").string();
  std::ofstream{empty};
  const auto expand = [&tmp, &weights, &empty](const std::string& text) {
    const std::string generated = substitute(substitute(text, "{weights}", weights), "{empty}", empty);
    const std::string in = substitute(generated, "{in}", corpus_dir + "/bad_inputs");
    const std::string data = substitute(in, "{data}", CODSE_SHARED_DATA_DIR);
    return substitute(substitute(data, "{repo}", CODSE_SOURCE_DIR), "{tmp}", tmp.path().string());
  };
  if (!c.before.empty()) {
    const auto before = run_codse(expand(c.before), "cd " + tmp.path().string() + " &&");
    ASSERT_EQ(before.exit_code, 0) << "line " << c.line << ": the step before failed: codse " << expand(c.before)
                                   << "\n" << before.output;
  }
  const std::string args = expand(c.args);
  const std::string word = expand(c.word);
  // Run inside the temporary directory, so a default output (a study's NAME.sqlite) lands there.
  const auto result = run_codse(args, "cd " + tmp.path().string() + " &&");
  EXPECT_EQ(result.exit_code, c.exit_code) << "line " << c.line << ": codse " << args << "\n" << result.output;
  EXPECT_NE(result.output.find(word), std::string::npos)
      << "line " << c.line << ": the message does not contain '" << word << "'\n" << result.output;
  // main.cpp's prefixes: "codse: error:" for bad input (2), "codse: failed:" for a failure (1).
  const std::string prefix = c.exit_code == 2 ? "error" : "failed";
  EXPECT_NE(result.output.find(prefix), std::string::npos)
      << "line " << c.line << ": no '" << prefix << "' message\n" << result.output;
}

INSTANTIATE_TEST_SUITE_P(BadInputCorpus, Line, ::testing::ValuesIn(read_corpus()), case_name);

}  // namespace
}  // namespace codse
