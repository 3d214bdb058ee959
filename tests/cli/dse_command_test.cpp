#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <regex>
#include <thread>

#include "cli/run_codse.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string example_table = std::string(CODSE_SOURCE_DIR) + "/examples/tables/mlp_folding.csv";
const std::string example_objectives = "--objective ii_cycles:min --objective lut:min";

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int stored_trials(const std::filesystem::path& db);

TEST(DseCommand, ExploresTheBundledExample) {
  const auto result = run_codse("dse --table " + example_table + " " + example_objectives +
                                " --algo random --budget 1008 --seed 1");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("evaluations:  1008"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("ADRS krg:     0.0000%"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("hypervolume ratio: 1.000000"), std::string::npos) << result.output;
}

// Issue 15: --algo defaults to auto, which picks by pool size, budget and objectives and says which.
TEST(DseCommand, AutoIsTheDefaultAndNamesTheExplorerItPicked) {
  const auto two = run_codse("dse --table " + example_table + " " + example_objectives + " --budget 20 --seed 1");
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(two.output.find("explorer:     epal (seed 1, ask batch 1, chosen by --algo auto: 2 objective(s) on"),
            std::string::npos)
      << two.output;
  const auto three = run_codse("dse --table " + example_table + " " + example_objectives +
                               " --objective latency_cycles:min --algo auto --budget 100 --seed 1");
  ASSERT_EQ(three.exit_code, 0) << three.output;
  EXPECT_NE(three.output.find("explorer:     atne (seed 1, ask batch 1, chosen by --algo auto: 3 objectives on"),
            std::string::npos)
      << three.output;
}

TEST(DseCommand, BudgetBelowOneIsAFractionOfTheTable) {
  TempDir dir;
  const auto log = dir / "order.csv";
  const auto result = run_codse("dse --table " + example_table + " " + example_objectives +
                                " --algo grid --budget 0.1 --log " + log.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto text = slurp(log);
  EXPECT_EQ(text.rfind("step,row\n0,", 0), 0u);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1 + 100);  // floor(0.1 * 1008)
}

// Issue 17, defect 2: an objective that is 0 for some designs (dsp:min on vivado_histogram) ran
// the whole search and then exited 1 on the ADRS's 1/x, after the trials were stored. Now the run
// succeeds and says which ADRS forms are not defined, and why.
TEST(DseCommand, ObjectiveWithZerosReportsWhatIsDefined) {
  TempDir dir;
  const auto table = dir.write("zeros.csv", "knob_a,knob_b,dsp,obj2\n1,1,0,9\n1,2,2,8\n2,1,3,3\n2,2,0,4\n3,1,1,1\n3,2,0,7\n");
  const auto db = dir / "study.sqlite";
  const auto result = run_codse("dse --table " + table.string() + " --objective dsp:min --objective obj2:min" +
                                " --algo random --budget 4 --seed 2 --db " + db.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("evaluations:  4"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("ADRS krg:     not defined (objective dsp:min is 0 in row 0"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("ADRS classic: not defined"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("ADRS range:   "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("hypervolume ratio: "), std::string::npos) << result.output;
  EXPECT_EQ(stored_trials(db), 4);
}

struct BadInput {
  std::string args;
  std::string expected;  ///< part of the message that names the culprit
};
// What ctest shows for a case (gtest would print the struct's bytes).
void PrintTo(const BadInput& value, std::ostream* out) { *out << value.args; }

class DseBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(DseBadInput, ExitsTwoWithAMessageNamingTheCulprit) {
  static const TempDir dir;
  dir.write("text.csv", "knob_a,obj1,obj2\n1,2,3\n2,x,4\n");
  dir.write("dup.csv", "knob_a,obj1,obj2\n1,2,3\n1,3,4\n");
  dir.write("empty.csv", "knob_a,obj1,obj2\n");
  const auto args = std::regex_replace(GetParam().args, std::regex("DIR"), dir.path().string());
  const auto result = run_codse(args);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(GetParam().expected), std::string::npos) << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << "one clear message";
}

const std::string good = " --objective obj1:min --objective obj2:min --algo random --budget 5";
INSTANTIATE_TEST_SUITE_P(
    Cases, DseBadInput,
    ::testing::Values(BadInput{"dse --table DIR/none.csv" + good, "none.csv: cannot open"},
                      BadInput{"dse --table DIR/text.csv" + good, "text.csv:3: column obj1"},
                      BadInput{"dse --table DIR/text.csv --objective obj3:min --algo random --budget 5",
                               "no metric column named obj3"},
                      BadInput{"dse --table DIR/empty.csv" + good, "empty.csv: empty table"},
                      BadInput{"dse --table DIR/dup.csv" + good, "dup.csv:3: duplicate design"},
                      BadInput{"dse --table DIR/text.csv --objective obj2:min --algo annealing --budget 5",
                               "--algo annealing: unknown explorer"},
                      BadInput{"dse --table DIR/text.csv --objective obj2:min --algo random --budget 0",
                               "--budget: 0 is out of range"},
                      BadInput{"dse --table DIR/text.csv --objective obj2:low --algo random --budget 1",
                               "obj2:low"},
                      BadInput{"dse --table DIR/text.csv --knobs 'param_*' --objective obj2:min --algo random --budget 1",
                               "param_*"},
                      BadInput{"dse --objective obj2:min --algo random --budget 1", "--table is required"},
                      // Issue 17, defect 14: a study name is a name, never a path.
                      BadInput{"dse --table DIR/dup.csv" + good + " --db DIR/s.sqlite --study ../x",
                               "--study '../x': not a plain file name"}),
    // Named by position: gtest would otherwise print the parameter's bytes (heap addresses).
    [](const ::testing::TestParamInfo<BadInput>& param) { return "case" + std::to_string(param.index); });

/// Trials stored in a study database so far (0 while the file or table does not exist yet).
int stored_trials(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    return 0;
  }
  sqlite3_busy_timeout(handle, 1000);
  int count = 0;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(handle, "SELECT COUNT(*) FROM trials", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW)
    count = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return count;
}

/// Starts codse with args (argv form), stdout/stderr to /dev/null.
pid_t spawn_codse(const std::vector<std::string>& args) {
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

struct KillCase {
  std::string algo;
  std::string batch;
  int kill_after;  ///< SIGKILL once at least this many trials are stored
};
void PrintTo(const KillCase& value, std::ostream* out) { *out << value.algo << " batch " << value.batch; }

class DseResume : public ::testing::TestWithParam<KillCase> {};

// The acceptance test of resume: a run killed with SIGKILL mid-run and started again with the same
// command and --db ends with the same evaluation order as an uninterrupted run, and the store holds
// every design once.
TEST_P(DseResume, KilledRunResumesToTheUninterruptedOrder) {
  const auto& param = GetParam();
  TempDir dir;
  const std::vector<std::string> common{"dse", "--table", example_table, "--objective", "ii_cycles:min",
                                        "--objective", "lut:min", "--algo", param.algo, "--budget", "300",
                                        "--seed", "5", "--ask-batch", param.batch};
  auto with = [&](std::vector<std::string> extra) {
    auto args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  int status = 0;
  const pid_t reference = spawn_codse(with({"--log", (dir / "uninterrupted.csv").string()}));
  waitpid(reference, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);

  const auto db = dir / "study.sqlite";
  const pid_t victim = spawn_codse(with({"--db", db.string()}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  bool still_running = true;
  while (stored_trials(db) < param.kill_after && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(victim, &status, WNOHANG) == victim) {
      still_running = false;
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (still_running) {
    kill(victim, SIGKILL);
    waitpid(victim, &status, 0);
  }
  ASSERT_TRUE(still_running) << "the run finished before it could be killed";
  const int at_kill = stored_trials(db);
  EXPECT_GE(at_kill, param.kill_after);
  EXPECT_LT(at_kill, 300);

  const pid_t resumed = spawn_codse(with({"--db", db.string(), "--log", (dir / "resumed.csv").string()}));
  waitpid(resumed, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(slurp(dir / "resumed.csv"), slurp(dir / "uninterrupted.csv"));
  const auto order = slurp(dir / "resumed.csv");
  EXPECT_EQ(stored_trials(db), std::count(order.begin(), order.end(), '\n') - 1);
}

/// Replaces the stored configuration of every study in db (as an older codse wrote it).
void set_stored_config(const std::filesystem::path& db, const std::string& config) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "UPDATE studies SET config = ?", -1, &statement, nullptr), SQLITE_OK);
  sqlite3_bind_text(statement, 1, config.c_str(), -1, SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(statement), SQLITE_DONE);
  sqlite3_finalize(statement);
  sqlite3_close(handle);
}

// Issue 17, defect 16: the study identity held the table's absolute path, so the identical table
// moved elsewhere would not resume. It holds the file name and the content's SHA-256 now.
TEST(DseCommand, MovedIdenticalTableResumesAndAChangedOneIsRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  const auto first = dir / "a" / "table.csv";
  std::filesystem::copy_file(example_table, first);
  const auto db = dir / "study.sqlite";
  auto run = [&](const std::filesystem::path& table, int budget) {
    return run_codse("dse --table " + table.string() + " " + example_objectives + " --algo epal --seed 3 --budget " +
                     std::to_string(budget) + " --study s --db " + db.string());
  };
  const auto started = run(first, 20);
  ASSERT_EQ(started.exit_code, 0) << started.output;
  const auto moved = dir / "b" / "table.csv";
  std::filesystem::rename(first, moved);
  const auto resumed = run(moved, 25);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("20 resumed from"), std::string::npos) << resumed.output;

  auto text = slurp(moved);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  text.back() = text.back() == '9' ? '8' : '9';  // the last value of the last row differs
  const auto changed = dir / "b" / "changed" / "table.csv";
  std::filesystem::create_directories(changed.parent_path());
  std::ofstream(changed) << text << '\n';
  const auto refused = run(changed, 30);
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("table_sha256"), std::string::npos) << refused.output;
  const auto renamed = dir / "b" / "other.csv";
  std::filesystem::copy_file(moved, renamed);
  const auto other_name = run(renamed, 30);
  EXPECT_EQ(other_name.exit_code, 2) << other_name.output;
  EXPECT_NE(other_name.output.find("table"), std::string::npos) << other_name.output;
}

/// FNV-1a of a file's bytes, as codse stored it before issue 17.
std::string fnv1a(const std::filesystem::path& path) {
  const auto text = slurp(path);
  std::uint64_t hash = 1469598103934665603ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

// A study stored by the former codse (absolute path + FNV-1a) still resumes from a moved identical
// table, and is refused naming table_sha256 when its FNV-1a is not this table's.
TEST(DseCommand, StudyStoredWithThePathAndFnvResumes) {
  TempDir dir;
  const auto table = dir / "table.csv";
  std::filesystem::copy_file(example_table, table);
  const auto db = dir / "study.sqlite";
  auto run = [&](int budget) {
    return run_codse("dse --table " + table.string() + " " + example_objectives +
                     " --algo random --seed 3 --budget " + std::to_string(budget) + " --study s --db " + db.string());
  };
  ASSERT_EQ(run(10).exit_code, 0);
  auto old_config = [&](const std::string& hash) {
    return std::string(R"({"algo":"random","batch":1,"command":"dse","knobs":"knob_*",)") +
           R"("objectives":["ii_cycles:min","lut:min"],"seed":3,"table":"/somewhere/else/table.csv",)" +
           R"("table_fnv1a":")" + hash + R"("})";
  };
  set_stored_config(db, old_config(fnv1a(table)));
  const auto resumed = run(15);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("10 resumed from"), std::string::npos) << resumed.output;
  set_stored_config(db, old_config("0123456789abcdef"));
  const auto refused = run(20);
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("table_sha256"), std::string::npos) << refused.output;
}

INSTANTIATE_TEST_SUITE_P(Explorers, DseResume,
                         ::testing::Values(KillCase{"random", "1", 40}, KillCase{"random", "7", 40},
                                           KillCase{"nsga2", "1", 40}, KillCase{"atne", "1", 25},
                                           KillCase{"atne", "4", 25}, KillCase{"epal", "1", 25},
                                           KillCase{"epal", "3", 25}),
                         [](const ::testing::TestParamInfo<KillCase>& test) { return test.param.algo + "_batch" + test.param.batch; });

}  // namespace
}  // namespace codse

namespace codse {
namespace {

// Issue 17, defect 11: a full disk while recording is a failure (exit 1) whose message names the
// database file and says what failed in words, without SQL (a small tmpfs in a private mount
// namespace; skipped where unshare may not mount).
TEST(DseCommand, FullDiskNamesTheStoreAndSaysWhatFailed) {
  if (std::system("unshare -m true > /dev/null 2>&1") != 0) GTEST_SKIP() << "unshare -m is not permitted here";
  TempDir dir;
  const auto disk = (dir / "disk").string();
  std::filesystem::create_directories(disk);
  const auto db = disk + "/s.sqlite";
  const auto result = run_codse("dse --table " + std::string(CODSE_SOURCE_DIR) +
                                    "/examples/tables/mlp_folding.csv --objective lut:min --objective ii_cycles:min "
                                    "--algo random --budget 1000 --db " + db,
                                "unshare -m sh -c 'mount -t tmpfs -o size=160k tmpfs " + disk +
                                    " && exec \"$0\" \"$@\"'");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find(db + ": cannot record trial "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("the disk is full"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("INSERT"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("SELECT"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace codse
