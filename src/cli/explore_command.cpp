#include "cli/explore_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "cli/evaluation_workers.hpp"
#include "cli/explore_dry_run.hpp"
#include "cli/help_example.hpp"
#include "cli/progress_line.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "explore/co_exploration.hpp"
#include "explore/explore_config.hpp"
#include "explore/explore_dataset.hpp"
#include "explore/explore_study.hpp"
#include "explore/network_evaluation.hpp"
#include "explore/strategy_comparison.hpp"
#include "nn/train/blas_runtime.hpp"
#include "store/store.hpp"

namespace codse {
namespace {

std::vector<std::string> options_objectives_text(const std::vector<Objective>& objectives) {
  std::vector<std::string> text;
  for (const auto& o : objectives) text.push_back(o.to_string());
  return text;
}

struct ExploreCommandOptions {
  std::string config;
  std::string db;
  bool resume = false;
  bool verbose = false;              // the whole front and every hint after the summary
  std::vector<std::string> compare;  // study stores to compare instead of exploring
  std::string reference = "lemonade";
  std::size_t workers = 1;   // worker processes training networks at once
  bool worker_pipe = false;  // this process is one of them (hidden)
  bool dry_run = false;      // print the plan, store nothing
};

std::string metric_text(const Trial& trial, const std::string& name) {
  const auto it = trial.metrics.values.find(name);
  if (it == trial.metrics.values.end()) return "-";
  if (name == "error" || name == "accuracy") return fmt::format("{:.2f}%", 100.0 * it->second);
  return fmt::format("{:.4g}", it->second);
}

/// The held-out test error measured for a front trial at the end of the run, or "-".
std::string test_error_text(const explore::ExploreResult& result, const Trial& trial) {
  const auto it = result.test_error.find(trial.number);
  return it == result.test_error.end() ? "-" : fmt::format("{:.2f}%", 100.0 * it->second);
}

/// The front trial of lowest test error, or null when none was measured.
const Trial* best_test_error(const explore::ExploreResult& result) {
  const Trial* best = nullptr;
  for (auto index : result.front) {
    const auto& trial = result.trials[index];
    const auto it = result.test_error.find(trial.number);
    if (it != result.test_error.end() && (!best || it->second < result.test_error.at(best->number))) best = &trial;
  }
  return best;
}

/// The whole front and every hint: `--verbose`, and what `codse report` shows as a page.
void print_front_and_hints(const explore::ExploreConfig& config, const explore::ExploreResult& result) {
  std::string header = fmt::format("{:>6}", "trial");
  for (const auto& o : config.objectives) header += fmt::format(" {:>11}", o.metric);
  // error is the validation error the search chose by; test_error the held-out one, measured after.
  const bool tested = !result.test_error.empty();
  if (tested) header += fmt::format(" {:>11}", "test_error");
  fmt::print("{}  {:>9}  change\n", header, "params");
  for (auto index : result.front) {
    const auto& trial = result.trials[index];
    std::string row = fmt::format("{:>6}", trial.number);
    for (const auto& o : config.objectives) row += fmt::format(" {:>11}", metric_text(trial, o.metric));
    if (tested) row += fmt::format(" {:>11}", test_error_text(result, trial));
    const auto artifacts = nlohmann::json::parse(trial.artifacts_json, nullptr, false);
    fmt::print("{}  {:>9}  {}\n", row, metric_text(trial, "params"),
               artifacts.is_object() ? artifacts.value("morphism", "") : "");
  }
  if (!result.hints.empty()) fmt::print("hints:\n");
  for (const auto& hint : result.hints) fmt::print("  - {}\n", hint.text);
}

/// Bytes of the files under dir (0 when it does not exist).
std::uintmax_t directory_bytes(const std::filesystem::path& dir) {
  std::uintmax_t bytes = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error))
    if (it->is_regular_file(error)) bytes += it->file_size(error);
  return bytes;
}

/// The end of a run in at most 20 lines: what was found, the best design per objective, the first
/// hints, where the results are and what to run next. The whole front and all hints are behind
/// --verbose and `codse report`.
void print_summary(const std::string& config_path, const explore::ExploreConfig& config,
                   const explore::ExploreResult& result, const std::filesystem::path& db,
                   const std::filesystem::path& artifacts) {
  const auto failed = std::count_if(result.trials.begin(), result.trials.end(),
                                    [](const Trial& t) { return t.status != TrialStatus::complete; });
  fmt::print("explored:  {} networks trained, {} replayed; {} designs ({} failed); front {} designs, hypervolume {:.4f}\n",
             result.trained_networks, result.replayed_networks, result.trials.size(), failed, result.front.size(),
             result.hypervolume);
  for (const auto& objective : config.objectives) {
    const Trial* best = nullptr;
    for (auto index : result.front) {
      const auto& trial = result.trials[index];
      const auto value = trial.metrics.values.find(objective.metric);
      if (value == trial.metrics.values.end()) continue;
      if (!best || objective.minimised(value->second) < objective.minimised(best->metrics.values.at(objective.metric)))
        best = &trial;
    }
    if (best)
      fmt::print("best {:<11} {:>10} (trial {}; {})\n", objective.metric + ":", metric_text(*best, objective.metric),
                 best->number, fmt::join([&] {
                   std::vector<std::string> others;
                   if (result.test_error.contains(best->number))
                     others.push_back("test_error " + test_error_text(result, *best));
                   for (const auto& o : config.objectives)
                     if (o.metric != objective.metric) others.push_back(o.metric + " " + metric_text(*best, o.metric));
                   return others;
                 }(), ", "));
  }
  if (const auto* tested = best_test_error(result))
    fmt::print("test:      error {} at best on the held-out test set (trial {}; validation error {}), measured once "
               "for the front's {} designs\n",
               test_error_text(result, *tested), tested->number, metric_text(*tested, "error"),
               result.test_error.size());
  constexpr std::size_t shown_hints = 3;
  if (!result.hints.empty())
    fmt::print("hints:     {} (the first {}; all in the report)\n", result.hints.size(),
               std::min(shown_hints, result.hints.size()));
  for (std::size_t i = 0; i < result.hints.size() && i < shown_hints; ++i) fmt::print("  - {}\n", result.hints[i].text);
  fmt::print("store:     {} (study {})\n", db.string(), config.name);
  fmt::print("artifacts: {}/ ({:.1f} MB: trained weights, RTL of synthesized designs)\n", artifacts.string(),
             static_cast<double>(directory_bytes(artifacts)) / 1e6);
  fmt::print("next:      codse report {} --out {}.html    (the front, all hints, per-layer costs)\n", db.string(),
             config.name);
  fmt::print("           codse explore {} --db {} --resume --verbose    (the whole front here)\n", config_path,
             db.string());
}

/// codse explore --compare: every study of every store, by the strategy and seed of its config.
void run_compare(const ExploreCommandOptions& options) {
  std::vector<explore::StrategyRun> runs;
  std::vector<Objective> objectives;
  std::string objectives_from;
  for (const auto& path : options.compare) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) throw InputError(fmt::format("--compare {}: no such file", path));
    const Store store(path, StoreAccess::read_only);
    for (const auto& name : store.study_names()) {
      const auto journal = store.study(name);
      const auto& config = journal.config();
      if (config.value("kind", "") != "explore")
        throw InputError(fmt::format("--compare {}: study '{}' is not a codse explore study", path, name));
      std::vector<Objective> these;
      for (const auto& o : config.at("objectives")) these.push_back(Objective::parse(o.get<std::string>()));
      if (objectives.empty()) {
        objectives = these;
        objectives_from = path;
      } else if (config.at("objectives").dump() != nlohmann::json(options_objectives_text(objectives)).dump()) {
        throw InputError(fmt::format("--compare {}: study '{}' has other objectives than {}", path, name, objectives_from));
      }
      runs.push_back({config.value("strategy", std::string("lemonade")), config.at("seed").get<std::uint64_t>(),
                      journal.trials()});
    }
  }
  if (runs.empty()) throw InputError("--compare: the stores hold no study");
  const auto comparison = explore::compare_strategies(runs, objectives, options.reference);
  fmt::print("{}", explore::comparison_markdown(comparison));
}

void run_explore(const ExploreCommandOptions& options) {
  if (!options.compare.empty()) return run_compare(options);
  if (options.config.empty()) throw InputError("codse explore: give CONFIG.yaml (or --compare STUDY.sqlite...)");
  const auto config = explore::load_explore_config(options.config);
  // Before any executor or store: under MPI every rank returns from here, none serves jobs.
  if (options.dry_run) return print_explore_plan(options.config, config, options.workers);
  const std::filesystem::path db = std::filesystem::path(options.db.empty() ? config.name + ".sqlite" : options.db);
  // The data first: a network that does not fit it is refused before a store is created.
  const auto data = explore::load_explore_dataset(config);
  explore::check_networks_fit(config, data);
  nn::set_blas_threads(config.training.threads);
  const auto artifacts = explore::artifacts_directory(db);
  if (serves_jobs(options.worker_pipe)) {  // a worker process or MPI rank: train what rank 0 sends
    explore::NetworkEvaluation evaluation(config, data, artifacts);
    return serve_jobs_for_coordinator(evaluation, options.worker_pipe);
  }
  // Before the store: an error from here on stops the workers on the way out.
  const auto executor = make_evaluation_executor(options.workers);
  Store store(db);
  auto journal = explore::open_explore_study(store, config, options.resume, "--resume");

  set_resume_hint(fmt::format("the finished trials are in {}; resume with: {}", db.string(),
                              resume_command(fmt::format("explore {} --db {} --resume", options.config, db.string()))));
  explore::CoExploration exploration(config, data, artifacts);
  ProgressLine progress("explore");
  exploration.on_progress([&](const explore::ExploreProgress& p) {
    // The ETA follows networks when they bound the run, else wall time (in tenths of a percent).
    const auto detail = fmt::format("{} trials, front {}, HV {:.4f}", p.trials, p.front, p.hypervolume);
    if (p.budget_networks) progress.update(p.networks, p.budget_networks, detail);
    else progress.update(static_cast<std::size_t>(1000.0 * p.elapsed_seconds / p.budget_seconds), 1000, detail);
  });
  fmt::print(stderr, "explore {}: {} on {}, {} train / {} validation / {} test samples, store {}, training in {}\n",
             config.name, config.dataset.name, fmt::join(config.hardware.devices, ", "), data.train.size(),
             data.validation.size(), data.test.size(), db.string(), evaluation_workers_text(options.workers));
  const auto result = exploration.run(journal, executor.get());
  progress.finish();
  if (options.verbose) print_front_and_hints(config, result);
  print_summary(options.config, config, result, db, artifacts);
  const auto succeeded = std::count_if(result.trials.begin(), result.trials.end(),
                                       [](const Trial& t) { return t.status == TrialStatus::complete; });
  if (!result.trials.empty() && succeeded == 0)
    throw std::runtime_error(fmt::format("every one of the {} trials failed (trial {}: {}); the study in {} has no result",
                                         result.trials.size(), result.trials.front().number,
                                         result.trials.front().error, db.string()));
}

}  // namespace

void add_explore_command(CLI::App& app) {
  auto options = std::make_shared<ExploreCommandOptions>();
  auto* command = app.add_subcommand("explore", "Co-explore networks and hardware mappings (LEMONADE x HAL)");
  set_help_example(command, "codse explore examples/mnist_xc7z020.yaml --db mnist.sqlite && codse report mnist.sqlite --out mnist.html");
  command->add_option("config", options->config, "YAML configuration (see examples/mnist_xc7z020.yaml)")
      ->check(CLI::ExistingFile);
  command->add_option("--db", options->db, "SQLite study store (default: NAME.sqlite in the current directory)");
  command->add_flag("--resume", options->resume, "Continue the study stored in --db (after a kill or to extend it)");
  command->add_flag("--verbose", options->verbose, "Print the whole front and every hint before the summary");
  command->add_option("--workers", options->workers,
                      "Networks trained at once, each in a worker process of its own (one training thread each: "
                      "training.threads); the trials are the same for any number. Under mpirun/srun the MPI ranks "
                      "are the workers instead (rank 0 coordinates)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}));
  command->add_flag("--dry-run", options->dry_run,
                    "Print the plan (networks, trials, workers, expected wall time from training the starting "
                    "network once) without creating the store");
  command->add_flag("--worker-pipe", options->worker_pipe, "(internal) serve jobs to the process that started this one")
      ->group("");
  command->add_option("--compare", options->compare,
                      "Instead of exploring: the final hypervolumes of the studies in these stores side by side, "
                      "per seed with a common normalisation (bench/explore)");
  command->add_option("--reference", options->reference, "With --compare: the strategy the others are divided into "
                      "(default lemonade)");
  command->callback([options] { run_explore(*options); });
}

}  // namespace codse
