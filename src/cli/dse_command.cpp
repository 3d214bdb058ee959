#include "cli/dse_command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/dse_options.hpp"
#include "cli/evaluation_workers.hpp"
#include "cli/help_example.hpp"
#include "cli/numeric_option.hpp"
#include "cli/progress_line.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/output_path.hpp"
#include "core/file_name.hpp"
#include "core/front_scorer.hpp"
#include "core/interrupt.hpp"
#include "core/table_space.hpp"
#include "search/candidate_pool.hpp"
#include "search/explorer.hpp"
#include "search/explorer_choice.hpp"
#include "search/explorer_registry.hpp"
#include "search/study.hpp"
#include "store/store.hpp"
#include "store/table_study_config.hpp"

namespace codse {

std::size_t resolve_budget(double budget, std::size_t table_size) {
  if (!(budget > 0.0))
    throw InputError(fmt::format("--budget {}: must be a positive count or a fraction in (0, 1)", budget));
  if (budget < 1.0) return std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(budget * static_cast<double>(table_size))));
  if (budget != std::floor(budget))
    throw InputError(fmt::format("--budget {}: a count must be a whole number", budget));
  // Checked before the cast: a double beyond size_t's range converts with undefined behaviour.
  if (budget > 9007199254740992.0)
    throw InputError(fmt::format("--budget {}: too large (at most 2^53; the table has {} designs)", budget, table_size));
  return static_cast<std::size_t>(budget);
}

void check_study_and_explorer(const DseOptions& options) {
  if (!options.study.empty())
    if (const auto why = not_a_plain_file_name(options.study))
      throw InputError(fmt::format("--study '{}': not a plain file name: {}", options.study, *why));
  if (options.algo != "auto" && !find_explorer(options.algo))
    throw InputError(fmt::format("--algo {}: unknown explorer (known: {})", options.algo, explorer_name_list()));
}

std::string resolve_auto_explorer(DseOptions& options, std::size_t pool_size, std::size_t budget,
                                  std::size_t objectives) {
  if (options.algo != "auto") return {};
  auto choice = choose_explorer(pool_size, budget, objectives);
  options.algo = std::move(choice.explorer);  // the study records (and resumes) the explorer run
  return fmt::format(", chosen by --algo auto: {}", choice.reason);
}

void print_front_quality(const TableSpace& table, const std::vector<Objective>& objectives,
                         const std::vector<std::size_t>& rows) {
  const FrontScorer scorer(objective_matrix(table, objectives), objectives);
  const auto quality = scorer.score(rows);
  fmt::print("front:        {} designs evaluated on it; the table's true front has {}\n", quality.front_size,
             quality.true_front_size);
  // krg and classic invert objective values: with a value <= 0 (a count of 0 DSPs) they are not
  // defined, which is normal for such objectives and no failure.
  auto print_adrs = [&](const char* label, AdrsForm form, const std::optional<double>& value) {
    if (value) fmt::print("{}{:.4f}%\n", label, 100.0 * *value);
    else fmt::print("{}not defined ({})\n", label, scorer.undefined(form).value_or("no value"));
  };
  print_adrs("ADRS krg:     ", AdrsForm::krg, quality.adrs_krg);
  print_adrs("ADRS classic: ", AdrsForm::classic, quality.adrs_classic);
  fmt::print("ADRS range:   {:.4f}%\n", 100.0 * quality.adrs_range);
  fmt::print("hypervolume ratio: {:.6f}\n", quality.hypervolume_ratio);
}

namespace {

/// Writes step,row for every evaluated design, atomically: a killed run or a full disk never
/// leaves a half-written log.
void write_log(const std::string& path, const TableSpace& table, const std::vector<Trial>& trials) {
  std::string text = "step,row\n";
  for (const auto& trial : trials) text += fmt::format("{},{}\n", trial.number, *table.find(trial.design));
  write_file_atomically(path, text);
}

void run_dse_table(DseOptions options) {
  if (options.objectives.empty()) throw InputError("--objective: at least one is required with --table");
  for (const auto* option : {&options.command, &options.metrics_file, &options.workdir, &options.trials_csv,
                             &options.reference})
    if (!option->empty())
      throw InputError("--command, --metrics-file, --workdir, --trials-csv and --reference go with --space, not --table");
  if (options.timeout != 0.0) throw InputError("--timeout goes with --space (a table lookup has no time limit)");
  if (options.batch == 0) options.batch = 1;  // what a stored table study holds
  std::vector<Objective> objectives;
  for (const auto& text : options.objectives) objectives.push_back(Objective::parse(text));
  require_distinct_objectives(objectives, "--objective");
  check_study_and_explorer(options);

  if (!options.log.empty()) require_writable_file("--log", options.log);
  const auto table = TableSpace::load(options.table, options.knobs);
  for (const auto& objective : objectives) table.require_numeric(objective.metric);
  const auto budget = resolve_budget(options.budget, table.size());
  const auto auto_reason = resolve_auto_explorer(options, table.size(), budget, objectives.size());

  const CandidatePool pool(table.space(), table.designs());
  auto explorer = make_explorer(options.algo, {&pool, objectives, options.seed});
  TableEvaluator evaluator(table);
  DesignEvaluation evaluation(evaluator);
  if (serves_jobs(options.worker_pipe)) return serve_jobs_for_coordinator(evaluation, options.worker_pipe);
  // Before the store: an error from here on stops the MPI ranks on the way out. Lookups are cheap;
  // threads are enough locally (--workers matters only for a huge table), and the trials are the same.
  const auto executor = make_evaluation_executor(options.workers, &evaluation);

  std::unique_ptr<Store> store;
  std::unique_ptr<TrialJournal> journal;
  if (options.db.empty()) {
    journal = std::make_unique<MemoryJournal>();
  } else {
    store = std::make_unique<Store>(options.db);
    const TableStudySettings settings{options.table, options.knobs, objectives, options.algo, options.seed, options.batch};
    const auto name = options.study.empty() ? default_table_study_name(settings) : options.study;
    const auto hashes = hash_table(options.table);
    const auto config = table_study_config(settings, hashes, table);
    journal = std::make_unique<StudyJournal>(store->open_study(
        name, config, [&](nlohmann::json stored) { return upgrade_table_study_config(std::move(stored), hashes, config); }));
  }

  set_resume_hint(options.db.empty()
                      ? std::string("nothing was stored (no --db); pass --db FILE to make a run resumable")
                      : fmt::format("the finished trials are in {}; run the same command again to resume", options.db));
  Study study(*explorer, *executor, *journal, {budget, options.batch});
  ProgressLine progress(fmt::format("dse {}", options.algo));
  study.on_trial([&](const StudyEvent& event) { progress.update(event.finished, event.budget); });
  const auto trials = study.run();
  progress.finish();
  if (study.interrupted_by()) {
    if (!options.log.empty()) write_log(options.log, table, trials);  // the trials that finished
    throw Interrupted(study.interrupted_by());
  }

  std::vector<std::size_t> rows;
  std::size_t failed = 0;
  for (const auto& trial : trials) {
    if (trial.status == TrialStatus::failed) {
      ++failed;
      continue;
    }
    rows.push_back(*table.find(trial.design));
  }
  if (!options.log.empty()) write_log(options.log, table, trials);

  // What was run first: the trials are in the store and the log whatever the scoring says.
  const bool stopped_early = trials.size() < budget;
  fmt::print("table:        {} ({} designs, {} knobs)\n", options.table, table.size(), table.space().dimension());
  fmt::print("explorer:     {} (seed {}, ask batch {}{})\n", options.algo, options.seed, options.batch, auto_reason);
  fmt::print("evaluations:  {} of budget {} ({:.2f}% of the table){}{}\n", trials.size(), budget,
             100.0 * static_cast<double>(trials.size()) / static_cast<double>(table.size()),
             stopped_early ? ", explorer stopped by itself" : "",
             study.replayed_count() ? fmt::format(", {} resumed from {}", study.replayed_count(), options.db) : "");
  if (failed) fmt::print("failed:       {}\n", failed);
  std::fflush(stdout);

  print_front_quality(table, objectives, rows);
}

}  // namespace

void add_dse_command(CLI::App& app) {
  auto options = std::make_shared<DseOptions>();
  auto* dse = app.add_subcommand("dse", "Explore a table of evaluated designs (CSV) with an explorer");
  set_help_example(dse, "codse dse --table examples/tables/mlp_folding.csv --objective lut:min --objective ii_cycles:min "
                        "--explorer atne --budget 0.1 --db dse.sqlite");
  auto* table = dse->add_option("--table", options->table, "CSV of evaluated designs");
  auto* space = dse->add_option("--space", options->space, "Knob space YAML, evaluated live by --command (docs/FORMATS.md)");
  table->excludes(space);
  space->excludes(table);
  dse->add_option("--knobs", options->knobs, "Knob columns: comma list of names or globs")
      ->capture_default_str();
  dse->add_option("--objective", options->objectives,
                  "NAME:min or NAME:max (repeat); with --space, default: the space file's objectives");
  std::string algos;
  for (const auto& name : explorer_names()) algos += (algos.empty() ? "" : "|") + name;
  dse->add_option("--explorer,--algo", options->algo,
                  "Explorer: auto|" + algos + " (--algo is the former name; auto picks by objectives and designs x budget)")
      ->capture_default_str();
  dse->add_option("--budget", options->budget,
                  "Evaluations: a count, or a fraction of the table when below 1")
      ->required()
      ->check(cli::real_above(0));
  dse->add_option("--seed", options->seed, "Random seed")->capture_default_str()->check(cli::seed_number());
  dse->add_option("--ask-batch", options->batch,
                  "Designs the explorer is asked for at a time (default: 1, with --space --workers)")
      ->check(cli::whole_in(1, 1 << 30));
  dse->add_option("--db", options->db, "SQLite store: records every trial; rerun to resume");
  dse->add_option("--study", options->study, "Study name in --db (default: TABLE-EXPLORER-seedS)");
  dse->add_option("--log", options->log, "Write step,row (0-based data row) in evaluation order");
  dse->add_option("--command", options->command,
                  "With --space: shell command run per design in its directory; {knob} and {dir} are replaced, "
                  "the last stdout line is a JSON object of metrics");
  dse->add_option("--workers", options->workers,
                  "Evaluations at once (threads: a table's lookups, or --space's commands); the trials are the same "
                  "for any number. Under mpirun/srun the MPI ranks evaluate instead (rank 0 coordinates)")
      ->capture_default_str()
      ->check(cli::whole_in(1, 4096));
  dse->add_flag("--worker-pipe", options->worker_pipe, "(internal) serve jobs to the process that started this one")
      ->group("");
  dse->add_option("--timeout", options->timeout, "With --space: seconds a command may run (0: no limit)")
      ->check(cli::real_in(0));
  dse->add_option("--metrics-file", options->metrics_file,
                  "With --space: read the metrics JSON from this file in the design's directory");
  dse->add_option("--workdir", options->workdir,
                  "With --space: the designs' directories and cached results (default: DB.runs, or SPACE.runs)");
  dse->add_option("--trials-csv", options->trials_csv,
                  "With --space: write the finished designs (knobs and metrics) as a CSV table");
  dse->add_option("--reference", options->reference,
                  "With --space: a table of the whole space (--trials-csv of a full sweep); prints the run's ADRS "
                  "against it");
  dse->callback([options] {
    if (!options->space.empty()) run_dse_live(*options);
    else if (!options->table.empty()) run_dse_table(*options);
    else throw InputError("--table is required (or --space SPACE with --command)");
  });
}

}  // namespace codse
