#include "cli/dse_command.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/numeric_option.hpp"
#include "cli/progress_line.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/front_scorer.hpp"
#include "core/table_space.hpp"
#include "search/candidate_pool.hpp"
#include "search/explorer.hpp"
#include "search/study.hpp"
#include "store/store.hpp"

namespace codse {
namespace {

struct DseOptions {
  std::string table;
  std::string knobs = "knob_*";
  std::vector<std::string> objectives;
  std::string algo;
  double budget = 0.0;
  std::uint64_t seed = 0;
  std::size_t batch = 1;
  std::string db;
  std::string study;
  std::string log;
};

/// --budget is a count, or a fraction of the table when below 1.
std::size_t resolve_budget(double budget, std::size_t table_size) {
  if (!(budget > 0.0))
    throw InputError(fmt::format("--budget {}: must be a positive count or a fraction in (0, 1)", budget));
  if (budget < 1.0) return std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(budget * static_cast<double>(table_size))));
  if (budget != std::floor(budget))
    throw InputError(fmt::format("--budget {}: a count must be a whole number", budget));
  return static_cast<std::size_t>(budget);
}

/// FNV-1a of the file's bytes: a resumed study must explore the same table, not only the same path.
std::string file_fingerprint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::uint64_t hash = 1469598103934665603ull;
  for (char c; in.get(c);) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

/// Everything that decides which designs a run evaluates; a resumed run must match it.
nlohmann::json study_config(const DseOptions& options, const std::vector<Objective>& objectives) {
  nlohmann::json objective_list = nlohmann::json::array();
  for (const auto& objective : objectives) objective_list.push_back(objective.to_string());
  return {{"command", "dse"},
          {"table", std::filesystem::weakly_canonical(options.table).string()},
          {"table_fnv1a", file_fingerprint(options.table)},
          {"knobs", options.knobs},
          {"objectives", objective_list},
          {"algo", options.algo},
          {"seed", options.seed},
          {"batch", options.batch}};
}

/// Writes step,row for every evaluated design, atomically: a killed run or a full disk never
/// leaves a half-written log.
void write_log(const std::string& path, const TableSpace& table, const std::vector<Trial>& trials) {
  std::string text = "step,row\n";
  for (const auto& trial : trials) text += fmt::format("{},{}\n", trial.number, *table.find(trial.design));
  write_file_atomically(path, text);
}

void run_dse(const DseOptions& options) {
  std::vector<Objective> objectives;
  for (const auto& text : options.objectives) objectives.push_back(Objective::parse(text));
  require_distinct_objectives(objectives, "--objective");
  if (options.batch == 0) throw InputError("--batch 0: must be at least 1");
  const auto& algos = explorer_names();
  if (std::find(algos.begin(), algos.end(), options.algo) == algos.end()) {
    std::string known;
    for (const auto& name : algos) known += (known.empty() ? "" : ", ") + name;
    throw InputError(fmt::format("--algo {}: unknown explorer (known: {})", options.algo, known));
  }

  const auto table = TableSpace::load(options.table, options.knobs);
  for (const auto& objective : objectives) table.require_numeric(objective.metric);
  const auto budget = resolve_budget(options.budget, table.size());

  const CandidatePool pool(table.space(), table.designs());
  auto explorer = make_explorer(options.algo, {&pool, objectives, options.seed});
  TableEvaluator evaluator(table);

  std::unique_ptr<Store> store;
  std::unique_ptr<TrialJournal> journal;
  if (options.db.empty()) {
    journal = std::make_unique<MemoryJournal>();
  } else {
    store = std::make_unique<Store>(options.db);
    const auto name = options.study.empty()
                          ? fmt::format("{}-{}-seed{}", std::filesystem::path(options.table).stem().string(),
                                        options.algo, options.seed)
                          : options.study;
    journal = std::make_unique<StudyJournal>(store->open_study(name, study_config(options, objectives)));
  }

  Study study(*explorer, evaluator, *journal, {budget, options.batch});
  ProgressLine progress(fmt::format("dse {}", options.algo));
  study.on_trial([&](const StudyEvent& event) { progress.update(event.finished, event.budget); });
  const auto trials = study.run();
  progress.finish();

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

  const FrontScorer scorer(objective_matrix(table, objectives), objectives);
  const auto quality = scorer.score(rows);
  const bool stopped_early = trials.size() < budget;
  fmt::print("table:        {} ({} designs, {} knobs)\n", options.table, table.size(), table.space().dimension());
  fmt::print("algorithm:    {} (seed {}, batch {})\n", options.algo, options.seed, options.batch);
  fmt::print("evaluations:  {} of budget {} ({:.2f}% of the table){}{}\n", trials.size(), budget,
             100.0 * static_cast<double>(trials.size()) / static_cast<double>(table.size()),
             stopped_early ? ", explorer stopped by itself" : "",
             study.replayed_count() ? fmt::format(", {} resumed from {}", study.replayed_count(), options.db) : "");
  if (failed) fmt::print("failed:       {}\n", failed);
  fmt::print("front:        {} designs evaluated on it; the table's true front has {}\n", quality.front_size,
             quality.true_front_size);
  fmt::print("ADRS krg:     {:.4f}%\n", 100.0 * quality.adrs_krg);
  fmt::print("ADRS classic: {:.4f}%\n", 100.0 * quality.adrs_classic);
  fmt::print("ADRS range:   {:.4f}%\n", 100.0 * quality.adrs_range);
  fmt::print("hypervolume ratio: {:.6f}\n", quality.hypervolume_ratio);
}

}  // namespace

void add_dse_command(CLI::App& app) {
  auto options = std::make_shared<DseOptions>();
  auto* dse = app.add_subcommand("dse", "Explore a table of evaluated designs (CSV) with an explorer");
  dse->add_option("--table", options->table, "CSV of evaluated designs")->required();
  dse->add_option("--knobs", options->knobs, "Knob columns: comma list of names or globs")
      ->capture_default_str();
  dse->add_option("--objective", options->objectives, "NAME:min or NAME:max (repeat)")->required();
  std::string algos;
  for (const auto& name : explorer_names()) algos += (algos.empty() ? "" : "|") + name;
  dse->add_option("--algo", options->algo, "Explorer: " + algos)->required();
  dse->add_option("--budget", options->budget,
                  "Evaluations: a count, or a fraction of the table when below 1")
      ->required()
      ->check(cli::real_above(0));
  dse->add_option("--seed", options->seed, "Random seed")->capture_default_str()->check(cli::seed_number());
  dse->add_option("--batch", options->batch, "Designs asked at a time")
      ->capture_default_str()
      ->check(cli::whole_in(1, 1 << 30));
  dse->add_option("--db", options->db, "SQLite store: records every trial; rerun to resume");
  dse->add_option("--study", options->study, "Study name in --db (default: TABLE-ALGO-seedS)");
  dse->add_option("--log", options->log, "Write step,row (0-based data row) in evaluation order");
  dse->callback([options] { run_dse(*options); });
}

}  // namespace codse
