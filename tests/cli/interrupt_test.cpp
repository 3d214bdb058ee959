// SIGTERM and SIGINT as a user or a batch system sends them (issue 17, defect 12): `hw synth`
// killed mid-Yosys leaves no Yosys process and no temporary directory in the synthesis cache and
// exits 143; `explore` interrupted with SIGINT exits 130, says how to resume, and its store holds
// what finished and resumes.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/run_codse.hpp"
#include "explore/explore_test_support.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/ir/weights.hpp"
#include "nn/quant/random_weights.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

/// Starts codse with its output in `log`.
pid_t spawn_codse(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(out, 2);
    std::vector<char*> argv{const_cast<char*>(CODSE_BINARY)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(CODSE_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The pids of live processes (zombies excluded) whose command line contains `needle`.
std::vector<pid_t> processes_mentioning(const std::string& needle) {
  std::vector<pid_t> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (pid == getpid()) continue;
    std::string cmdline = read_text(entry.path() / "cmdline");
    for (auto& c : cmdline)
      if (c == '\0') c = ' ';
    const std::string stat = read_text(entry.path() / "stat");
    const auto state = stat.rfind(')');
    if (state != std::string::npos && state + 2 < stat.size() && stat[state + 2] == 'Z') continue;
    if (cmdline.find(needle) != std::string::npos) found.push_back(pid);
  }
  return found;
}

/// Waits for the child up to `limit`; returns its wait status, or -1 (then it is killed).
int wait_for(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  int status = 0;
  while (Clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

/// Trials the study in db holds so far (0 while the store or the study does not exist yet).
std::size_t stored_trials(const fs::path& db, const std::string& study) {
  if (!fs::exists(db)) return 0;
  try {
    return Store(db).study(study).trials().size();
  } catch (const std::exception&) {
    return 0;
  }
}

/// Waits until the study in db holds at least `trials` trials (failing if codse ends first), then
/// sends SIGINT and checks codse exits 130 saying so.
void interrupt_once_stored(pid_t codse, const fs::path& db, const std::string& study, std::size_t trials,
                           const fs::path& log) {
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (stored_trials(db, study) < trials && Clock::now() < deadline) {
    int status = 0;
    ASSERT_NE(waitpid(codse, &status, WNOHANG), codse) << "codse ended before it was interrupted:\n" << read_text(log);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(codse, SIGINT);
  const int status = wait_for(codse, std::chrono::seconds(60));
  ASSERT_NE(status, -1) << read_text(log);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << ":\n" << read_text(log);
  EXPECT_EQ(WEXITSTATUS(status), 130) << read_text(log);
  EXPECT_THAT(read_text(log), HasSubstr("interrupted by SIGINT"));
}

std::vector<std::string> temporary_entries(const fs::path& cache) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(cache))
    if (entry.path().filename().string().starts_with(".tmp-")) names.push_back(entry.path().filename().string());
  return names;
}

TEST(Interrupt, SigtermMidYosysKillsYosysCleansTheCacheAndExits143) {
  testing::TempDir dir;
  const std::string source = CODSE_SOURCE_DIR;
  const auto network = source + "/examples/networks/mnist_mlp_w4a4.json";
  const auto weights = (dir / "weights.bin").string();
  nn::random_weights(nn::load_network(network), 3).save(weights);
  const auto cache = dir / "cache";
  const auto log = dir / "codse.log";
  const pid_t codse = spawn_codse({"hw", "synth", "--network", network, "--weights", weights, "--mapping",
                                   source + "/examples/mappings/mnist_mlp_w4a4.json", "--device", "xc7z020",
                                   "--cache", cache.string(), "--out", (dir / "out").string(), "--no-place-route",
                                   "--jobs", "2"},
                                  log);
  // Yosys runs on a script in the cache's temporary directory: wait until one does.
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  while (processes_mentioning(cache.string() + "/.tmp-").empty() && Clock::now() < deadline) {
    int status = 0;
    ASSERT_NE(waitpid(codse, &status, WNOHANG), codse) << "codse ended before Yosys ran:\n" << read_text(log);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(processes_mentioning(cache.string() + "/.tmp-").empty()) << "Yosys never started:\n" << read_text(log);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // well inside the Yosys run
  ASSERT_FALSE(processes_mentioning(cache.string() + "/.tmp-").empty()) << "Yosys finished too soon to test";
  kill(codse, SIGTERM);
  const int status = wait_for(codse, std::chrono::seconds(30));
  ASSERT_NE(status, -1) << "codse did not exit within 30 s of SIGTERM:\n" << read_text(log);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status) << ":\n" << read_text(log);
  EXPECT_EQ(WEXITSTATUS(status), 143) << read_text(log);
  const auto output = read_text(log);
  EXPECT_THAT(output, HasSubstr("interrupted by SIGTERM"));
  EXPECT_THAT(output, HasSubstr("run the same command again"));
  EXPECT_EQ(processes_mentioning(cache.string()).size(), 0u) << "a tool outlived codse";
  const auto temporaries = temporary_entries(cache);
  EXPECT_EQ(temporaries.size(), 0u) << (temporaries.empty() ? "" : temporaries.front());
  // The interrupted runs' logs are not failures' logs.
  for (const auto& entry : fs::directory_iterator(cache / "failed")) ADD_FAILURE() << "left in failed/: " << entry.path();
}

TEST(Interrupt, SigintStopsExploreWithTheResumeHintAndAnIntactStore) {
  testing::TempDir dir;
  const auto config = testing::write_file(dir / "tiny.yaml", testing::digits_config(8));
  const auto db = dir / "tiny.sqlite";
  const auto log = dir / "explore.log";
  const pid_t codse = spawn_codse({"explore", config.string(), "--db", db.string()}, log);
  interrupt_once_stored(codse, db, "tiny", 1, log);
  if (HasFatalFailure()) return;
  const auto output = read_text(log);
  EXPECT_THAT(output, HasSubstr("--db " + db.string() + " --resume"));
  const auto kept = stored_trials(db, "tiny");
  EXPECT_GE(kept, 1u);

  const auto resumed = testing::run_codse("explore " + config.string() + " --db " + db.string() + " --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr(" replayed"));
}

TEST(Interrupt, SigintStopsDseWithItsLogTheResumeHintAndAnIntactStore) {
  testing::TempDir dir;
  const std::string table = std::string(CODSE_SOURCE_DIR) + "/examples/tables/mlp_folding.csv";
  const auto db = dir / "dse.sqlite";
  const auto trace = dir / "steps.csv";
  const std::vector<std::string> args{"dse", "--table", table, "--objective", "lut:min", "--objective",
                                      "ii_cycles:min", "--algo", "epal", "--budget", "300", "--db", db.string(),
                                      "--study", "s", "--log", trace.string()};
  const auto log = dir / "dse.log";
  const pid_t codse = spawn_codse(args, log);
  interrupt_once_stored(codse, db, "s", 5, log);
  if (HasFatalFailure()) return;
  const auto output = read_text(log);
  EXPECT_THAT(output, HasSubstr("run the same command again to resume"));
  const auto kept = stored_trials(db, "s");
  ASSERT_GE(kept, 5u);
  ASSERT_LT(kept, 300u);
  // --log holds exactly the trials that finished: a header and one line per stored trial.
  const auto steps = read_text(trace);
  EXPECT_EQ(static_cast<std::size_t>(std::count(steps.begin(), steps.end(), '\n')), kept + 1) << steps;

  std::string command;
  for (const auto& arg : std::vector<std::string>(args.begin() + 1, args.end())) command += " '" + arg + "'";
  const auto resumed = testing::run_codse("dse" + command);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_THAT(resumed.output, HasSubstr(fmt::format("{} resumed from", kept)));
}

}  // namespace
}  // namespace codse
