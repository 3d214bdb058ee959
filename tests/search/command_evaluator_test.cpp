#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <thread>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/trial_journal.hpp"
#include "search/candidate_pool.hpp"
#include "search/command_evaluator.hpp"
#include "search/random_explorer.hpp"
#include "search/study.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::TempDir;

Space small_space() { return Space({Knob::choice("pe", {1, 2, 4}), Knob::choice("width", {4, 8})}); }

/// A fake evaluation: appends to a counter file, prints some noise and the metrics as JSON.
std::string fake_command(const TempDir& dir) {
  return "echo {pe}-{width} >> " + (dir / "count").string() +
         "; echo building >&2; echo noise; echo \"{\\\"cost\\\": $(({pe} * {width})), \\\"latency\\\": $((64 / {pe}))}\"";
}

std::size_t lines_in(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::size_t count = 0;
  for (std::string line; std::getline(in, line);) count += !line.empty();
  return count;
}

std::string failure_of(CommandEvaluator& evaluator, const Design& design) {
  try {
    evaluator.evaluate(design);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "succeeded";
}

CommandEvaluatorOptions options_in(const TempDir& dir) {
  CommandEvaluatorOptions options;
  options.workdir = dir / "runs";
  options.required_metrics = {"cost", "latency"};
  return options;
}

TEST(CommandEvaluator, RunsTheCommandInTheDesignsDirectoryAndReadsTheLastLine) {
  TempDir dir;
  const auto space = small_space();
  CommandEvaluator evaluator(space, fake_command(dir) + "; echo done", options_in(dir));
  CommandEvaluator last(space, "pwd > where.txt; " + fake_command(dir), options_in(dir));
  const Design design{{2, 8}};
  const auto metrics = last.evaluate(design);
  EXPECT_EQ(metrics.values.at("cost"), 16);
  EXPECT_EQ(metrics.values.at("latency"), 32);
  const auto directory = std::filesystem::absolute(last.directory(design));
  EXPECT_EQ(directory.filename().string(), design_key_hex(design));
  std::ifstream where(directory / "where.txt");
  std::string cwd;
  std::getline(where, cwd);
  EXPECT_EQ(std::filesystem::path(cwd), directory);
  std::ifstream log(directory / "run.log");
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_NE(text.str().find("building"), std::string::npos);  // stderr
  EXPECT_NE(text.str().find("noise"), std::string::npos);     // stdout
  EXPECT_TRUE(std::filesystem::exists(directory / "metrics.json"));
  EXPECT_NE(failure_of(evaluator, Design{{4, 4}}).find("not a JSON object"), std::string::npos);
}

TEST(CommandEvaluator, AFinishedRunIsReusedAndAChangedCommandRunsAgain) {
  TempDir dir;
  const auto space = small_space();
  CommandEvaluator evaluator(space, fake_command(dir), options_in(dir));
  const Design design{{4, 8}};
  EXPECT_EQ(evaluator.evaluate(design).values.at("cost"), 32);
  EXPECT_EQ(evaluator.evaluate(design).values.at("cost"), 32);
  CommandEvaluator again(space, fake_command(dir), options_in(dir));  // a new process, the same workdir
  EXPECT_EQ(again.evaluate(design).values.at("latency"), 16);
  EXPECT_EQ(lines_in(dir / "count"), 1u);
  EXPECT_EQ(evaluator.runs(), 1);
  EXPECT_EQ(evaluator.cache_hits() + again.cache_hits(), 2);
  CommandEvaluator changed(space, fake_command(dir) + " # v2", options_in(dir));
  changed.evaluate(design);
  EXPECT_EQ(lines_in(dir / "count"), 2u);
}

TEST(CommandEvaluator, FailuresSayWhyAndNameTheLog) {
  TempDir dir;
  const auto space = small_space();
  const Design design{{1, 4}};
  CommandEvaluator exits(space, "echo '{\"cost\": 1, \"latency\": 2}'; exit 3", options_in(dir));
  const auto exit_text = failure_of(exits, design);
  EXPECT_NE(exit_text.find("exit code 3"), std::string::npos) << exit_text;
  EXPECT_NE(exit_text.find("run.log"), std::string::npos) << exit_text;
  CommandEvaluator killed(space, "kill -9 $$", options_in(dir));
  EXPECT_NE(failure_of(killed, design).find("killed by signal 9"), std::string::npos);
  CommandEvaluator missing(space, "echo '{\"cost\": 1, \"latency\": \"fast\"}'", options_in(dir));
  EXPECT_NE(failure_of(missing, design).find("missing metric latency"), std::string::npos);
  CommandEvaluator silent(space, "true", options_in(dir));
  EXPECT_NE(failure_of(silent, design).find("is empty"), std::string::npos);
  EXPECT_EQ(lines_in(dir / "count"), 0u);
}

TEST(CommandEvaluator, ATimedOutRunIsKilledWithItsChildren) {
  TempDir dir;
  const auto space = small_space();
  auto options = options_in(dir);
  options.timeout = std::chrono::milliseconds(300);
  CommandEvaluator slow(space, "sleep 20 & sleep 20; echo '{}'", options);
  const auto start = std::chrono::steady_clock::now();
  const auto text = failure_of(slow, Design{{1, 8}});
  EXPECT_NE(text.find("timed out after 0.3 s"), std::string::npos) << text;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(CommandEvaluator, MetricsFromAFileTheCommandNames) {
  TempDir dir;
  const auto space = small_space();
  auto options = options_in(dir);
  options.metrics_file = "out/m.json";
  CommandEvaluator evaluator(space, "mkdir -p out; echo '{\"cost\": {pe}, \"latency\": 1}' > {dir}/out/m.json", options);
  EXPECT_EQ(evaluator.evaluate(Design{{4, 4}}).values.at("cost"), 4);
  options.metrics_file = "../m.json";
  EXPECT_THROW(CommandEvaluator(space, "true", options), InputError);
}

TEST(CommandEvaluator, UnknownPlaceholdersAreRefusedBeforeAnyRun) {
  const auto space = small_space();
  try {
    CommandEvaluator(space, "synth --lanes {lanes} --pe {pe}", {});
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("unknown placeholder {lanes} at column 15 (knobs: pe, width"),
              std::string::npos)
        << error.what();
  }
  // Shell text needs no escaping; {{ }} are literal braces.
  const CommandTemplate shell("echo ${HOME} {a,b} {{pe}} {pe}", space);
  EXPECT_EQ(shell.render(Design{{2, 4}}, "/tmp/x y"), "echo ${HOME} {a,b} {pe} 2");
  EXPECT_EQ(CommandTemplate("cd {dir}", space).render(Design{{2, 4}}, "/tmp/x y"), "cd '/tmp/x y'");
}

/// Trials of a study of every design of the space, asked four at a time, with `workers` workers.
std::vector<Trial> study_trials(const TempDir& dir, std::size_t workers, CommandEvaluator& evaluator) {
  const auto space = small_space();
  const CandidatePool pool(space, space.enumerate());
  RandomExplorer explorer({&pool, {{"cost", Sense::minimize}, {"latency", Sense::minimize}}, 3});
  DesignEvaluation evaluation(evaluator);
  ThreadPoolExecutor executor(evaluation, workers);
  MemoryJournal journal;
  Study study(explorer, executor, journal, {6, 4});
  (void)dir;
  return study.run();
}

TEST(CommandEvaluator, TwoWorkersGiveTheSameTrialsAsOne) {
  TempDir one_dir;
  TempDir two_dir;
  const auto space = small_space();
  CommandEvaluator one(space, "sleep 0.0$(({pe} % 3)); " + fake_command(one_dir), options_in(one_dir));
  CommandEvaluator two(space, "sleep 0.0$(({pe} % 3)); " + fake_command(two_dir), options_in(two_dir));
  const auto serial = study_trials(one_dir, 1, one);
  const auto parallel = study_trials(two_dir, 2, two);
  ASSERT_EQ(serial.size(), 6u);
  ASSERT_EQ(parallel.size(), 6u);
  for (std::size_t i = 0; i < serial.size(); ++i) {
    EXPECT_EQ(serial[i].number, parallel[i].number);
    EXPECT_EQ(serial[i].design, parallel[i].design);
    EXPECT_EQ(serial[i].metrics.values, parallel[i].metrics.values);
  }
  EXPECT_EQ(lines_in(two_dir / "count"), 6u);
}

// SIGINT while commands run: they are killed, nothing unfinished is recorded, run() returns soon.
TEST(CommandEvaluator, AnInterruptionKillsTheRunningCommandsAndRecordsNothingUnfinished) {
  TempDir dir;
  const auto space = small_space();
  CommandEvaluator evaluator(space, "if [ {pe} = 1 ]; then echo '{\"cost\": 1, \"latency\": 1}'; else sleep 20; fi",
                             options_in(dir));
  const CandidatePool pool(space, space.enumerate());
  RandomExplorer explorer({&pool, {{"cost", Sense::minimize}, {"latency", Sense::minimize}}, 3});
  DesignEvaluation evaluation(evaluator);
  ThreadPoolExecutor executor(evaluation, 2);
  MemoryJournal journal;
  Study study(explorer, executor, journal, {6, 6});
  std::thread signaller([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    set_interrupt_for_testing(SIGINT);
  });
  const auto start = std::chrono::steady_clock::now();
  const auto trials = study.run();
  signaller.join();
  set_interrupt_for_testing(0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(study.interrupted_by(), SIGINT);
  for (const auto& trial : journal.trials()) EXPECT_EQ(trial.design.values[0], 1);  // only pe 1 finishes
  EXPECT_EQ(journal.trials().size(), trials.size());
  EXPECT_LT(trials.size(), 6u);
}

}  // namespace
}  // namespace codse
