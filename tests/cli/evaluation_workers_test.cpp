// Issue 13's acceptance: a study records the same trials in this process, with --workers 2 and on
// three MPI ranks; a worker or rank killed mid-run ends the run with a message naming it and
// --resume finishes with every trial recorded once; SIGTERM records what finished and says how to
// resume. These run the codse binary as a user would (mpirun as root needs its two variables).

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
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
namespace fs = std::filesystem;

const std::string mpirun = "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 "
                           "mpirun -n 3";

bool have_mpirun() { return std::system("command -v mpirun >/dev/null 2>&1") == 0; }

/// Every trial of every study in the store, in study then trial order.
std::vector<Trial> stored(const fs::path& db) {
  if (!fs::exists(db)) return {};
  try {
    const Store store(db, StoreAccess::read_only);
    std::vector<Trial> trials;
    for (const auto& name : store.study_names())
      for (auto& trial : store.study(name).trials()) trials.push_back(std::move(trial));
    return trials;
  } catch (const std::exception&) {
    return {};  // not created yet
  }
}

/// The same trials: designs, outcomes and metrics (times and the store's own paths aside).
void expect_same_trials(const std::vector<Trial>& expected, const std::vector<Trial>& actual, const std::string& how) {
  ASSERT_EQ(expected.size(), actual.size()) << how;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].number, actual[i].number) << how;
    EXPECT_EQ(expected[i].design, actual[i].design) << how << ", trial " << i;
    EXPECT_EQ(expected[i].status, actual[i].status) << how << ", trial " << i;
    EXPECT_EQ(expected[i].metrics.values, actual[i].metrics.values) << how << ", trial " << i;
    EXPECT_EQ(expected[i].error, actual[i].error) << how << ", trial " << i;
  }
}

/// Each trial once, and one network per network id (explore) or one design per design (dse).
void expect_each_once(const std::vector<Trial>& trials) {
  std::set<std::vector<double>> designs;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    EXPECT_EQ(trials[i].number, i);
    designs.insert(trials[i].design.values);
  }
  EXPECT_EQ(designs.size(), trials.size()) << "a design recorded twice";
}

/// A background `sh -c command` with its output in a file; kill() then wait() it.
struct Background {
  explicit Background(const std::string& command, const fs::path& output) {
    pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      execl("/bin/sh", "sh", "-c", (command + " > " + output.string() + " 2>&1").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  /// Exit status of the shell (the command's).
  int wait() {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_t pid = -1;
};

/// Waits until the store holds at least one trial (true) or the command ended first (false).
bool wait_for_a_trial(const fs::path& db, pid_t shell) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!stored(db).empty()) return true;
    int status = 0;
    if (waitpid(shell, &status, WNOHANG) == shell) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

/// The pids of the processes whose command line contains every word, newest last.
std::vector<pid_t> processes_with(const std::vector<std::string>& words) {
  std::vector<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto& c : line) c = c == '\0' ? ' ' : c;
    bool all = line.starts_with(CODSE_BINARY);
    for (const auto& word : words) all = all && line.find(word) != std::string::npos;
    if (all) pids.push_back(std::stoi(name));
  }
  std::sort(pids.begin(), pids.end());
  return pids;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The digits config with networks trained long enough (8 epochs) to be killed mid-run.
std::string longer_config(std::size_t networks) {
  auto text = testing::digits_config(networks);
  const std::string from = "epochs: 3,";
  text.replace(text.find(from), from.size(), "epochs: 8,");
  return text;
}

TEST(EvaluationWorkers, ACoExplorationRecordsTheSameTrialsInProcessWithWorkersAndOnMpiRanks) {
  testing::TempDir dir;
  const auto config = testing::write_file(dir / "tiny.yaml", testing::digits_config(6));
  const auto explore = [&](const std::string& name, const std::string& extra, const std::string& launcher) {
    const auto run = testing::run_codse("explore " + config.string() + " --db " + (dir / name).string() + extra,
                                        launcher);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return stored(dir / name);
  };
  const auto serial = explore("serial.sqlite", "", "");
  ASSERT_EQ(serial.size(), 18u);  // 6 networks, 3 mappings each
  expect_same_trials(serial, explore("pool.sqlite", " --workers 2", ""), "--workers 2");
  if (!have_mpirun()) GTEST_SKIP() << "mpirun is not installed (openmpi-bin)";
  expect_same_trials(serial, explore("mpi.sqlite", "", mpirun), "mpirun -n 3");
}

TEST(EvaluationWorkers, ATableStudyRecordsTheSameTrialsInProcessWithWorkersAndOnMpiRanks) {
  testing::TempDir dir;
  const auto dse = [&](const std::string& name, const std::string& extra, const std::string& launcher) {
    const auto run = testing::run_codse(
        fmt::format("dse --table {}/examples/tables/mlp_folding.csv --objective ii_cycles:min --objective lut:min "
                    "--explorer atne --ask-batch 2 --budget 40 --seed 2 --db {}{}",
                    CODSE_SOURCE_DIR, (dir / name).string(), extra),
        launcher);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return stored(dir / name);
  };
  const auto serial = dse("serial.sqlite", "", "");
  ASSERT_EQ(serial.size(), 40u);
  expect_same_trials(serial, dse("threads.sqlite", " --workers 2", ""), "--workers 2");
  if (!have_mpirun()) GTEST_SKIP() << "mpirun is not installed (openmpi-bin)";
  expect_same_trials(serial, dse("mpi.sqlite", "", mpirun), "mpirun -n 3");
}

/// Kills one evaluating process of a running co-exploration once a trial is stored, checks the
/// run's message, then resumes it with the same launcher and compares with an uninterrupted run.
void kill_a_worker_and_resume(const std::string& launcher, const std::string& workers, const std::string& worker_word,
                              const std::vector<std::string>& expected_messages) {
  testing::TempDir dir;
  const auto config = testing::write_file(dir / "tiny.yaml", longer_config(10));
  const auto full_db = dir / "full.sqlite", db = dir / "killed.sqlite";
  const auto full = testing::run_codse("explore " + config.string() + " --db " + full_db.string());
  ASSERT_EQ(full.exit_code, 0) << full.output;

  const auto command = fmt::format("{} {} explore {} --db {}{}", launcher, CODSE_BINARY, config.string(), db.string(), workers);
  Background run(command, dir / "run.txt");
  ASSERT_TRUE(wait_for_a_trial(db, run.pid)) << "the run ended before it could be killed: " << read_text(dir / "run.txt");
  // This test's store by its whole path: tests running at once (ctest -j) have stores of the same name.
  auto victims = processes_with({db.string(), worker_word});
  ASSERT_FALSE(victims.empty());
  kill(victims.back(), SIGKILL);
  EXPECT_NE(run.wait(), 0);
  const auto message = read_text(dir / "run.txt");
  for (const auto& expected : expected_messages) EXPECT_THAT(message, HasSubstr(expected));
  const auto at_kill = stored(db).size();
  EXPECT_GT(at_kill, 0u);
  EXPECT_LT(at_kill, stored(full_db).size());

  const auto resumed = testing::run_codse("explore " + config.string() + " --db " + db.string() + workers + " --resume",
                                          launcher);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr("replayed"));
  const auto trials = stored(db);
  expect_each_once(trials);
  expect_same_trials(stored(full_db), trials, "killed and resumed");
}

TEST(EvaluationWorkers, AKilledWorkerProcessEndsTheRunNamingItAndResumeRecordsEveryTrialOnce) {
  kill_a_worker_and_resume("", " --workers 2", "--worker-pipe", {"codse: failed: worker ", "was killed by signal 9", "--resume"});
}

TEST(EvaluationWorkers, AKilledMpiRankEndsTheJobNamingItAndResumeRecordsEveryTrialOnce) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun is not installed (openmpi-bin)";
  // The newest rank process is rank 1 or 2 (rank 0 starts first): a worker. mpirun names it.
  kill_a_worker_and_resume(mpirun, "", " explore ", {"mpirun noticed that process rank", "exited on signal 9"});
}

/// SIGTERM to the launcher (what Slurm sends at the time limit) once a trial is stored. Training
/// runs at batch size 2, not 32: the first trial is stored after the start network, and at 32 the
/// nine children took 0.3 s, less than mpirun takes to pass the signal on (the run then finished;
/// estimates that sent LEMONADE to smaller children were enough to tip it).
void terminate_and_resume(const std::string& launcher, const std::string& workers, int expected_exit) {
  testing::TempDir dir;
  auto text = longer_config(10);
  const std::string batch = "batch_size: 32";
  text.replace(text.find(batch), batch.size(), "batch_size: 2");
  const auto config = testing::write_file(dir / "tiny.yaml", text);
  const auto db = dir / "study.sqlite";
  Background run(fmt::format("exec {} {} explore {} --db {}{}", launcher, CODSE_BINARY, config.string(), db.string(),
                             workers),
                 dir / "run.txt");
  ASSERT_TRUE(wait_for_a_trial(db, run.pid)) << read_text(dir / "run.txt");
  kill(run.pid, SIGTERM);
  EXPECT_EQ(run.wait(), expected_exit);
  const auto message = read_text(dir / "run.txt");
  EXPECT_THAT(message, HasSubstr("interrupted by SIGTERM"));
  EXPECT_THAT(message, HasSubstr("--resume"));
  const auto recorded = stored(db).size();
  EXPECT_GT(recorded, 0u);
  EXPECT_LT(recorded, 30u);
  const auto resumed = testing::run_codse("explore " + config.string() + " --db " + db.string() + workers + " --resume",
                                          launcher);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto trials = stored(db);
  EXPECT_EQ(trials.size(), 30u);  // 10 networks, 3 mappings each
  expect_each_once(trials);
}

TEST(EvaluationWorkers, SigtermStopsWorkersRecordsWhatFinishedAndSaysHowToResume) {
  terminate_and_resume("", " --workers 2", 143);
}

TEST(EvaluationWorkers, SigtermToMpirunRecordsWhatFinishedAndSaysHowToResume) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun is not installed (openmpi-bin)";
  terminate_and_resume(mpirun, "", 1);  // mpirun's own exit code after its ranks stopped
}

}  // namespace
}  // namespace codse

namespace codse {
namespace {

// `mpirun -n 3 codse hw calibrate`: ranks 1 and 2 run the corpus's Yosys runs (each rank its own
// cache here, so they really synthesize) and the samples are those of a run in one process.
TEST(EvaluationWorkers, TheCalibrationCorpusSynthesizedOnMpiRanksGivesTheSameSamples) {
  if (!have_mpirun()) GTEST_SKIP() << "mpirun is not installed (openmpi-bin)";
  testing::TempDir dir;
  const auto calibrate = [&](const std::string& name, const std::string& launcher) {
    const auto run = testing::run_codse(
        fmt::format("hw calibrate --family ice40 --layers 4 --seed 5 --cache {0}/{1}.cache --work {0}/{1}.work "
                    "--samples {0}/{1}.csv -q",
                    dir.path().string(), name),
        launcher);
    // Four layers cannot determine the fit: the samples are written before it is refused.
    EXPECT_THAT(run.output, HasSubstr("cannot determine")) << run.output;
    return read_text(dir / (name + ".csv"));
  };
  const auto serial = calibrate("serial", "");
  ASSERT_THAT(serial, HasSubstr("cal03_"));
  EXPECT_EQ(serial, calibrate("mpi", mpirun));
}

}  // namespace
}  // namespace codse
