#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/run_codse.hpp"
#include "explore/explore_test_support.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using ::testing::HasSubstr;

pid_t spawn_quiet(const std::vector<std::string>& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    std::vector<char*> argv{const_cast<char*>(CODSE_BINARY)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(CODSE_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

void fs_create(const std::filesystem::path& path) { std::filesystem::create_directories(path); }

std::vector<Trial> stored(const std::filesystem::path& db) {
  if (!std::filesystem::exists(db)) return {};
  try {
    return Store(db).study("tiny").trials();
  } catch (const std::exception&) {
    return {};
  }
}

TEST(ExploreCommand, BadConfigAndMissingDatasetAreInputErrors) {
  testing::TempDir dir;
  const auto bad = testing::write_file(dir / "bad.yaml", testing::digits_config(3) + "budgets: {networks: 3}\n");
  const auto result = testing::run_codse("explore " + bad.string() + " --db " + (dir / "s.sqlite").string());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.output, HasSubstr("bad.yaml:14: budgets: unknown field"));

  auto missing_text = testing::digits_config(3);
  missing_text.replace(missing_text.find("csv:"), 4, "csv:/nonexistent");
  const auto missing = testing::write_file(dir / "missing.yaml", missing_text);
  const auto no_data = testing::run_codse("explore " + missing.string() + " --db " + (dir / "m.sqlite").string());
  EXPECT_EQ(no_data.exit_code, 2);
  EXPECT_THAT(no_data.output, HasSubstr("scripts/setup.sh"));
}

// Issue 17, defect 14: without --db the study name is the store's file name, so it must be a
// plain name: "../../x" would write outside the current directory.
TEST(ExploreCommand, StudyNameThatIsAPathIsRefused) {
  testing::TempDir dir;
  fs_create(dir / "a" / "b");
  auto text = testing::digits_config(1);
  text.replace(text.find("name: tiny"), 10, "name: \"../../x\"");
  const auto config = testing::write_file(dir / "a" / "b" / "c.yaml", text);
  const auto result = testing::run_codse("explore " + config.string(), "cd " + (dir / "a" / "b").string() + " &&");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("c.yaml:1: name: '../../x' is not a plain file name"));
  EXPECT_FALSE(std::filesystem::exists(dir / "x.sqlite"));
}

// Issue 17, defect 7: inputs with which no trial can work are refused when the config loads.
TEST(ExploreCommand, NetworkThatDoesNotFitTheDataOrANanConstraintIsRefusedUpFront) {
  testing::TempDir dir;
  auto text = testing::digits_config(2);
  const auto at = text.find("digits_mlp_w4a4.json");
  text.replace(at, std::string("digits_mlp_w4a4.json").size(), "mnist_mlp_w4a4.json");  // 784 inputs, 64 features
  const auto config = testing::write_file(dir / "wide.yaml", text);
  auto result = testing::run_codse("explore " + config.string() + " --db " + (dir / "w.sqlite").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("wide.yaml: networks: "));
  EXPECT_THAT(result.output, HasSubstr("mnist_mlp_w4a4.json takes 1x28x28 (784 values)"));
  EXPECT_FALSE(std::filesystem::exists(dir / "w.sqlite"));

  const auto nan = testing::write_file(dir / "nan.yaml", testing::digits_config(2, "constraints: [\"lut<=nan\"]\n"));
  result = testing::run_codse("explore " + nan.string() + " --db " + (dir / "n.sqlite").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("nan.yaml:"));
  EXPECT_THAT(result.output, HasSubstr("constraint 'lut<=nan': the bound must be a finite number"));
}

// Issue 17, defect 7: a study without a single result (no mapping of any network meets the
// constraint) is a failure (exit 1), not a success.
TEST(ExploreCommand, StudyWhereEveryTrialFailedExitsOne) {
  testing::TempDir dir;
  const auto config = testing::write_file(dir / "tight.yaml", testing::digits_config(2, "constraints: [\"lut<=1\"]\n"));
  const auto result = testing::run_codse("explore " + config.string() + " --db " + (dir / "d.sqlite").string());
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("every one of the"));
  EXPECT_THAT(result.output, HasSubstr("no mapping satisfies the constraints"));
}

// The acceptance test of resume: a run killed with SIGKILL mid-run and resumed ends with the same
// trials as an uninterrupted run, each stored once, and trains only what was not stored.
TEST(ExploreCommand, KilledRunResumesToTheUninterruptedTrials) {
  testing::TempDir dir;
  const auto config = testing::write_file(dir / "tiny.yaml", testing::digits_config(8));
  const auto full_db = dir / "full.sqlite", killed_db = dir / "killed.sqlite";
  const auto full = testing::run_codse("explore " + config.string() + " --db " + full_db.string());
  ASSERT_EQ(full.exit_code, 0) << full.output;
  EXPECT_THAT(full.output, HasSubstr("explored:  8 networks trained, 0 replayed"));

  int status = 0;
  const pid_t victim = spawn_quiet({"explore", config.string(), "--db", killed_db.string()});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool running = true;
  while (stored(killed_db).empty() && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(victim, &status, WNOHANG) == victim) {
      running = false;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (running) {
    kill(victim, SIGKILL);
    waitpid(victim, &status, 0);
  }
  ASSERT_TRUE(running) << "the run finished before it could be killed";
  const auto at_kill = stored(killed_db).size();
  ASSERT_GT(at_kill, 0u);
  ASSERT_LT(at_kill, stored(full_db).size());

  const auto again = testing::run_codse("explore " + config.string() + " --db " + killed_db.string());
  EXPECT_EQ(again.exit_code, 2) << "an existing study needs --resume";
  const auto resumed = testing::run_codse("explore " + config.string() + " --db " + killed_db.string() + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr("replayed"));
  const auto a = stored(full_db), b = stored(killed_db);
  ASSERT_EQ(a.size(), b.size());
  std::set<std::vector<double>> designs;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].design, b[i].design) << "trial " << i;
    EXPECT_EQ(a[i].metrics.values, b[i].metrics.values) << "trial " << i;
    designs.insert(b[i].design.values);
  }
  EXPECT_EQ(designs.size(), b.size()) << "no design stored twice";
  std::set<double> networks;
  for (const auto& t : b) networks.insert(t.design.values[0]);
  EXPECT_EQ(networks.size(), 8u);
}

TEST(ExploreCommand, CompareTabulatesTheStrategiesOfEachSeedAndRefusesAnIncompleteSet) {
  testing::TempDir dir;
  std::string stores;
  for (const auto* strategy : {"lemonade", "random"}) {
    const auto config = testing::write_file(dir / fmt::format("{}.yaml", strategy),
                                            testing::digits_config(2, fmt::format("strategy: {}\n", strategy)));
    const auto db = dir / fmt::format("{}.sqlite", strategy);
    const auto run = testing::run_codse("explore " + config.string() + " --db " + db.string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
    stores += " " + db.string();
  }
  const auto table = testing::run_codse("explore --compare" + stores);
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_THAT(table.output, HasSubstr("| 3 | lemonade | 2 |"));
  EXPECT_THAT(table.output, HasSubstr("| 3 | random | 2 | 6 |")) << "2 networks x 3 random mappings";
  EXPECT_THAT(table.output, HasSubstr("| lemonade / |  seed 3 | median |"));

  const auto alone = testing::run_codse("explore --compare " + (dir / "random.sqlite").string());
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_THAT(alone.output, HasSubstr("no run of the reference strategy 'lemonade'"));
  const auto missing = testing::run_codse("explore --compare " + (dir / "nope.sqlite").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("nope.sqlite: no such file"));
}

}  // namespace
}  // namespace codse
