// `codse dse --space --command` end to end (issue 15): every design of a space evaluated by a fast
// fake command, --workers 2 giving the trials of --workers 1, and a run killed with SIGKILL that
// resumes without running a finished design again.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "cli/run_codse.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

// 24 legal designs (pe 1, 2, 4: 7 widths each; pe 8: widths 4, 6, 8).
const char* const space_yaml =
    "knobs: {pe: [1, 2, 4, 8], width: {range: [4, 16, 2]}}\n"
    "constraints: [\"pe * width <= 64\"]\n"
    "objectives: [cost:min, latency:min]\n";

/// A fake evaluation taking `seconds`: it appends pe-width to DIR/count once it has finished its
/// work (a run killed before that leaves no line), then prints its metrics as JSON.
std::string fake_command(const TempDir& dir, const std::string& seconds) {
  // In a subshell: a process the shell started, which a killed codse must not leave running.
  return "'(sleep " + seconds + "; echo {pe}-{width} >> " + (dir / "count").string() +
         "); echo \"{\\\"cost\\\": $(({pe} * {width})), \\\"latency\\\": $((1000 / ({pe} * {width} + {width})))}\"'";
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// How many times each line occurs in a file.
std::map<std::string, int> line_counts(const std::filesystem::path& path) {
  std::map<std::string, int> counts;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) ++counts[line];
  return counts;
}

int stored_trials(const std::filesystem::path& db) {
  sqlite3* handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(handle);
    return 0;
  }
  sqlite3_busy_timeout(handle, 1000);
  int count = 0;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(handle, "SELECT COUNT(DISTINCT design_key) FROM trials", -1, &statement, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW)
    count = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return count;
}

TEST(DseLive, EvaluatesEveryDesignOfTheSpaceAndWritesItsTable) {
  TempDir dir;
  const auto space = dir.write("space.yaml", space_yaml);
  const auto db = dir / "s.sqlite";
  const auto args = "dse --space " + space.string() + " --command " + fake_command(dir, "0") +
                    " --algo grid --budget 24 --workers 2 --db " + db.string() + " --trials-csv " +
                    (dir / "table.csv").string();
  const auto run = run_codse(args);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("24 legal designs"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("24 commands run, 0 from the cache"), std::string::npos) << run.output;
  EXPECT_EQ(line_counts(dir / "count").size(), 24u);
  EXPECT_EQ(stored_trials(db), 24);
  EXPECT_TRUE(std::filesystem::is_directory(dir / "s.sqlite.runs"));
  const auto table = slurp(dir / "table.csv");
  EXPECT_EQ(table.substr(0, table.find('\n')), "pe,width,cost,latency");
  EXPECT_NE(table.find("\n8,8,64,13\n"), std::string::npos) << table;

  // The table it wrote is one `dse --table` explores.
  const auto replay = run_codse("dse --table " + (dir / "table.csv").string() +
                                " --knobs pe,width --objective cost:min --objective latency:min --algo atne --budget 6");
  EXPECT_EQ(replay.exit_code, 0) << replay.output;

  // A second run of the same study replays the store; a new study with another seed reads the cache.
  const auto again = run_codse(args);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("24 resumed"), std::string::npos) << again.output;
  const auto other = run_codse(args + " --seed 2");
  ASSERT_EQ(other.exit_code, 0) << other.output;
  EXPECT_NE(other.output.find("0 commands run, 24 from the cache"), std::string::npos) << other.output;
  EXPECT_EQ(slurp(dir / "count").size(), slurp(dir / "count").size());
  for (const auto& [design, runs] : line_counts(dir / "count")) EXPECT_EQ(runs, 1) << design;
}

TEST(DseLive, TwoWorkersGiveTheTrialsOfOne) {
  TempDir one;
  TempDir two;
  const auto run_with = [](const TempDir& dir, const std::string& workers) {
    const auto space = dir.write("space.yaml", space_yaml);
    return run_codse("dse --space " + space.string() + " --command " + fake_command(dir, "0.0$(({pe} % 3))") +
                     " --algo atne --budget 12 --ask-batch 2 --workers " + workers + " --workdir " +
                     (dir / "runs").string() + " --trials-csv " + (dir / "trials.csv").string());
  };
  const auto serial = run_with(one, "1");
  const auto parallel = run_with(two, "2");
  ASSERT_EQ(serial.exit_code, 0) << serial.output;
  ASSERT_EQ(parallel.exit_code, 0) << parallel.output;
  EXPECT_EQ(slurp(one / "trials.csv"), slurp(two / "trials.csv"));
}

TEST(DseLive, FailedRunsAreRecordedWithTheirReasonAndLog) {
  TempDir dir;
  const auto space = dir.write("space.yaml", space_yaml);
  const auto run = run_codse("dse --space " + space.string() +
                             " --command 'if [ {pe} = 8 ]; then exit 4; fi; echo \"{\\\"cost\\\": {pe}, \\\"latency\\\": "
                             "{width}}\"' --algo grid --budget 24 --timeout 10 --workdir " +
                             (dir / "runs").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("failed:       3"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("exit code 4 (log: " + (dir / "runs").string()), std::string::npos) << run.output;
}

/// Starts codse with args through the shell (the command template holds quotes), output to /dev/null.
pid_t spawn_codse(const std::string& args) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    const std::string line = std::string("exec ") + CODSE_BINARY + " " + args;
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// The acceptance test of issue 15's resume: a live run killed with SIGKILL mid-run and started
// again runs every design exactly once, and the store ends with every trial once.
TEST(DseLive, AKilledRunResumesWithoutRunningAFinishedDesignAgain) {
  TempDir dir;
  const auto space = dir.write("space.yaml", space_yaml);
  const auto db = dir / "s.sqlite";
  const auto args = "dse --space " + space.string() + " --command " + fake_command(dir, "0.15") +
                    " --algo random --budget 24 --workers 2 --db " + db.string();
  const pid_t victim = spawn_codse(args);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  bool still_running = true;
  while (stored_trials(db) < 8 && std::chrono::steady_clock::now() < deadline) {
    if (waitpid(victim, &status, WNOHANG) == victim) {
      still_running = false;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (still_running) {
    kill(victim, SIGKILL);
    waitpid(victim, &status, 0);
  }
  ASSERT_TRUE(still_running) << "the run finished before it could be killed";
  const int at_kill = stored_trials(db);
  EXPECT_GE(at_kill, 8);
  EXPECT_LT(at_kill, 24);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // what was killed is gone for good

  const auto resumed = run_codse(args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resumed from"), std::string::npos) << resumed.output;
  EXPECT_EQ(stored_trials(db), 24);
  const auto counts = line_counts(dir / "count");
  EXPECT_EQ(counts.size(), 24u);
  for (const auto& [design, runs] : counts) EXPECT_EQ(runs, 1) << design << " ran " << runs << " times";
}

}  // namespace
}  // namespace codse
