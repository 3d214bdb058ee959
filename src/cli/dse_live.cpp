// `codse dse --space SPACE.yaml --command CMD`: explores a knob space whose designs are evaluated
// live, each by a run of a shell command (search/command_evaluator.hpp), several at a time
// (--workers, through the study's ThreadPoolExecutor), with every finished trial in the store and
// every finished run cached in its directory, so a killed run resumes without running a finished
// design again.

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/dse_options.hpp"
#include "cli/evaluation_workers.hpp"
#include "cli/progress_line.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/file_name.hpp"
#include "core/interrupt.hpp"
#include "core/output_path.hpp"
#include "core/pareto_front.hpp"
#include "core/table_space.hpp"
#include "search/candidate_pool.hpp"
#include "search/command_evaluator.hpp"
#include "search/executor.hpp"
#include "search/explorer_registry.hpp"
#include "search/space_file.hpp"
#include "search/study.hpp"
#include "store/store.hpp"

namespace codse {
namespace {

namespace fs = std::filesystem;

void check_live_options(const DseOptions& options) {
  if (options.command.empty()) throw InputError("--space needs --command (the shell command that evaluates a design)");
  if (!options.log.empty()) throw InputError("--log goes with --table; with --space use --trials-csv");
  if (options.knobs != "knob_*") throw InputError("--knobs goes with --table; a space file names its knobs");
  check_study_and_explorer(options);
  if (!options.trials_csv.empty()) require_writable_file("--trials-csv", options.trials_csv);
  if (!options.reference.empty()) require_readable_file("--reference", options.reference);
}

std::vector<Objective> live_objectives(const DseOptions& options, const SpaceFile& space) {
  std::vector<Objective> objectives;
  for (const auto& text : options.objectives) objectives.push_back(Objective::parse(text));
  require_distinct_objectives(objectives, "--objective");
  if (objectives.empty()) objectives = space.objectives;
  if (objectives.empty())
    throw InputError(fmt::format("no objectives: pass --objective NAME:min (repeat) or list objectives: in {}",
                                 options.space));
  return objectives;
}

/// What decides which designs a study evaluates and how: a resumed run must match it. The space
/// is identified by its file name and content, the command by its template (not the timeout or
/// the number of workers, which do not change a finished run's result).
nlohmann::json live_study_config(const DseOptions& options, const SpaceFile& space,
                                 const std::vector<Objective>& objectives, std::size_t batch) {
  nlohmann::json objective_list = nlohmann::json::array();
  for (const auto& objective : objectives) objective_list.push_back(objective.to_string());
  nlohmann::json knob_columns = nlohmann::json::array();
  for (const auto& knob : space.space.knobs()) knob_columns.push_back(knob.name());
  return {{"command", "dse"},
          {"space", fs::path(options.space).filename().string()},
          {"space_sha256", space.sha256},
          {"command_template", options.command},
          {"metrics_file", options.metrics_file},
          {"knob_columns", knob_columns},
          {"objectives", objective_list},
          {"algo", options.algo},
          {"seed", options.seed},
          {"batch", batch}};
}

fs::path default_workdir(const DseOptions& options) {
  if (!options.workdir.empty()) return options.workdir;
  if (!options.db.empty()) return options.db + ".runs";
  return fs::path(options.space).stem().string() + ".runs";
}

/// The finished designs as a table `codse dse --table` reads: knob columns, then every metric.
void write_trials_csv(const std::string& path, const Space& space, const std::vector<Trial>& trials) {
  std::set<std::string> metric_names;
  for (const auto& trial : trials)
    if (trial.status == TrialStatus::complete)
      for (const auto& [name, value] : trial.metrics.values) metric_names.insert(name);
  std::string text;
  for (const auto& knob : space.knobs()) text += knob.name() + ",";
  for (const auto& name : metric_names) text += name + ",";
  text.back() = '\n';
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::complete) continue;
    std::string row;
    for (std::size_t k = 0; k < space.knobs().size(); ++k) row += space.knobs()[k].format(trial.design.values[k]) + ",";
    for (const auto& name : metric_names) {
      const auto it = trial.metrics.values.find(name);
      row += (it == trial.metrics.values.end() ? std::string() : fmt::format("{}", it->second)) + ",";
    }
    row.back() = '\n';
    text += row;
  }
  write_file_atomically(path, text);
}

void print_front(const SpaceFile& space, const std::vector<Objective>& objectives, const std::vector<Trial>& trials) {
  std::vector<const Trial*> complete;
  for (const auto& trial : trials)
    if (trial.status == TrialStatus::complete) complete.push_back(&trial);
  if (complete.empty()) return;
  Eigen::MatrixXd points(static_cast<Eigen::Index>(complete.size()), static_cast<Eigen::Index>(objectives.size()));
  for (std::size_t i = 0; i < complete.size(); ++i)
    for (std::size_t j = 0; j < objectives.size(); ++j)
      points(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          objectives[j].minimised(complete[i]->metrics.values.at(objectives[j].metric));
  const auto front = pareto_front(points);
  fmt::print("front:        {} of the {} finished designs\n", front.size(), complete.size());
  for (const auto i : front) {
    std::string values;
    for (const auto& objective : objectives)
      values += fmt::format("{}{}={}", values.empty() ? "" : " ", objective.metric,
                            complete[i]->metrics.values.at(objective.metric));
    fmt::print("  {}: {}\n", space.space.describe(complete[i]->design), values);
  }
}

/// The run's ADRS against a table of the whole space (a full sweep's --trials-csv): every finished
/// design must be a row of it.
void print_reference_quality(const std::string& path, const SpaceFile& space, const std::vector<Objective>& objectives,
                             const std::vector<Trial>& trials) {
  std::string knob_names;
  for (const auto& knob : space.space.knobs()) knob_names += (knob_names.empty() ? "" : ",") + knob.name();
  const auto table = TableSpace::load(path, knob_names);
  for (const auto& objective : objectives) table.require_numeric(objective.metric);
  std::vector<std::size_t> rows;
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::complete) continue;
    const auto row = table.find(trial.design);
    if (!row)
      throw InputError(fmt::format("--reference {}: no row for the design {}; it is not a table of this space", path,
                                   space.space.describe(trial.design)));
    rows.push_back(*row);
  }
  fmt::print("reference:    {} ({} designs)\n", path, table.size());
  std::fflush(stdout);
  print_front_quality(table, objectives, rows);
}

}  // namespace

void run_dse_live(DseOptions options) {
  check_live_options(options);
  const auto space = SpaceFile::load(options.space);
  const auto objectives = live_objectives(options, space);
  const auto budget = resolve_budget(options.budget, space.designs.size());
  const auto auto_reason = resolve_auto_explorer(options, space.designs.size(), budget, objectives.size());
  const std::size_t batch = options.batch ? options.batch : options.workers;

  CommandEvaluatorOptions evaluator_options;
  evaluator_options.workdir = default_workdir(options);
  evaluator_options.timeout = std::chrono::duration<double>(options.timeout);
  evaluator_options.metrics_file = options.metrics_file;
  for (const auto& objective : objectives) evaluator_options.required_metrics.push_back(objective.metric);
  CommandEvaluator evaluator(space.space, options.command, evaluator_options);  // checks the placeholders first
  require_writable_directory("--workdir", evaluator_options.workdir);

  DesignEvaluation evaluation(evaluator);
  if (serves_jobs(options.worker_pipe)) return serve_jobs_for_coordinator(evaluation, options.worker_pipe);
  // Commands are processes already: local workers are threads that each wait for one; MPI ranks
  // run commands on their own nodes.
  const auto executor = make_evaluation_executor(options.workers, &evaluation);
  const CandidatePool pool(space.space, space.designs);
  auto explorer = make_explorer(options.algo, {&pool, objectives, options.seed});

  std::unique_ptr<Store> store;
  std::unique_ptr<TrialJournal> journal;
  if (options.db.empty()) {
    journal = std::make_unique<MemoryJournal>();
  } else {
    store = std::make_unique<Store>(options.db);
    const auto name = options.study.empty() ? fmt::format("{}-{}-seed{}", fs::path(options.space).stem().string(),
                                                          options.algo, options.seed)
                                            : options.study;
    journal = std::make_unique<StudyJournal>(
        store->open_study(name, live_study_config(options, space, objectives, batch)));
  }
  set_resume_hint(options.db.empty()
                      ? fmt::format("nothing was stored (no --db), but finished runs are cached in {}; pass --db FILE "
                                    "to make a run resumable",
                                    evaluator_options.workdir.string())
                      : fmt::format("the finished trials are in {} and the finished runs in {}; run the same command "
                                    "again to resume",
                                    options.db, evaluator_options.workdir.string()));

  Study study(*explorer, *executor, *journal, {budget, batch});
  ProgressLine progress(fmt::format("dse {} (live)", options.algo));
  study.on_trial([&](const StudyEvent& event) { progress.update(event.finished, event.budget); });
  const auto trials = study.run();
  progress.finish();
  if (study.interrupted_by()) throw Interrupted(study.interrupted_by());

  if (!options.trials_csv.empty()) write_trials_csv(options.trials_csv, space.space, trials);
  std::size_t failed = 0;
  for (const auto& trial : trials) failed += trial.status == TrialStatus::failed;
  fmt::print("space:        {} ({} legal designs, {} knobs)\n", options.space, space.designs.size(),
             space.space.dimension());
  fmt::print("explorer:     {} (seed {}, ask batch {}, {} workers{})\n", options.algo, options.seed, batch,
             options.workers, auto_reason);
  fmt::print("evaluations:  {} of budget {}: {} commands run, {} from the cache in {}{}\n", trials.size(), budget,
             evaluator.runs(), evaluator.cache_hits(), evaluator_options.workdir.string(),
             study.replayed_count() ? fmt::format(", {} resumed from {}", study.replayed_count(), options.db) : "");
  if (failed) {
    fmt::print("failed:       {}\n", failed);
    for (const auto& trial : trials)
      if (trial.status == TrialStatus::failed) {
        fmt::print("  first: {}: {}\n", space.space.describe(trial.design), trial.error);
        break;
      }
  }
  print_front(space, objectives, trials);
  if (!options.reference.empty()) print_reference_quality(options.reference, space, objectives, trials);
}

}  // namespace codse
