// What a user sees before running anything (issue 16): every subcommand's --help has an example
// and the shared option names, codse --version names the commit, the completion and the options of
// codse itself work after a subcommand.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "cli/run_codse.hpp"

namespace codse {
namespace {

using testing::run_codse;

/// Every command path (" hw map"), as the completion script lists them: the command tree itself.
std::vector<std::string> command_paths() {
  const auto completion = run_codse("completion bash");
  std::vector<std::string> paths;
  const std::regex path_case(R"re(^    "([^"]+)"\) words=)re");
  std::size_t start = 0;
  while (start < completion.output.size()) {
    const auto end = completion.output.find('\n', start);
    const std::string line = completion.output.substr(start, end - start);
    std::smatch match;
    if (std::regex_search(line, match, path_case)) paths.push_back(match[1]);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return paths;
}

TEST(Help, EverySubcommandHasAnExampleAndTheBlasNoteOnlyWhereTrainingRuns) {
  const auto paths = command_paths();
  ASSERT_GE(paths.size(), 14u) << "the completion lists too few commands";
  for (const auto& path : paths) {
    const auto help = run_codse(path + " --help");
    EXPECT_EQ(help.exit_code, 0) << path;
    EXPECT_NE(help.output.find("Example:\n  codse "), std::string::npos) << "codse" << path << " --help has no example";
    const bool trains = path == " train" || path == " explore";
    EXPECT_EQ(help.output.find("OpenBLAS kernels") != std::string::npos, trains) << "codse" << path;
  }
}

TEST(Help, OneNamePerIdea) {
  for (const auto& path : command_paths()) {
    const auto help = run_codse(path + " --help").output;
    // The former names live on only as aliases of the shared ones.
    EXPECT_EQ(help.find("  --algo"), std::string::npos) << path;
    EXPECT_EQ(help.find("  --threads"), std::string::npos) << path;
    if (path == " dse") {
      EXPECT_EQ(help.find("  --batch"), std::string::npos) << "dse's batch is --ask-batch";
    }
    if (std::regex_search(help, std::regex("  --[a-z-]*seed"))) {
      EXPECT_NE(help.find("  --seed"), std::string::npos) << path;
    }
    if (help.find("  --device ") != std::string::npos) {
      EXPECT_NE(help.find("  --devices"), std::string::npos) << path;
    }
  }
  // Old names still work where they were.
  EXPECT_NE(run_codse("dse --help").output.find("--explorer,--algo"), std::string::npos);
  EXPECT_NE(run_codse("train --help").output.find("--jobs,--threads"), std::string::npos);
}

TEST(Help, VersionNamesTheCommit) {
  const auto version = run_codse("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(std::regex_search(version.output, std::regex(R"(^codse \d+\.\d+\.\d+ \(commit ([0-9a-f]{12}(-modified)?|unknown)[^)]*\)\n)")))
      << version.output;
}

TEST(Help, QuietAndCompletionWork) {
  const auto quiet = run_codse("hw devices --quiet");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.output;
  const auto completion = run_codse("completion bash");
  EXPECT_EQ(completion.exit_code, 0);
  EXPECT_NE(completion.output.find("complete -o default -F _codse codse"), std::string::npos);
  EXPECT_TRUE(std::regex_search(completion.output, std::regex(R"re("\ hw map"\) words="[^"]*--objective)re")));
  const auto fish = run_codse("completion fish");
  EXPECT_EQ(fish.exit_code, 2);
  EXPECT_NE(fish.output.find("only bash"), std::string::npos);
}

}  // namespace
}  // namespace codse
