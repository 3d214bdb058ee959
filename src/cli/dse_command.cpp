#include "cli/dse_command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/help_example.hpp"
#include "cli/numeric_option.hpp"
#include "cli/progress_line.hpp"
#include "core/atomic_file.hpp"
#include "core/content_hash.hpp"
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

namespace codse {
namespace {

struct DseOptions {
  std::string table;
  std::string knobs = "knob_*";
  std::vector<std::string> objectives;
  std::string algo = "auto";  // search/explorer_choice.hpp picks one by the table's size and the budget
  double budget = 0.0;
  std::uint64_t seed = 1;  // the default seed of every command
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
  // Checked before the cast: a double beyond size_t's range converts with undefined behaviour.
  if (budget > 9007199254740992.0)
    throw InputError(fmt::format("--budget {}: too large (at most 2^53; the table has {} designs)", budget, table_size));
  return static_cast<std::size_t>(budget);
}

/// The bytes of the table a study explores, hashed: FNV-1a (what codse stored until issue 17,
/// kept to recognise those studies) and SHA-256 (what it stores now).
struct TableHashes {
  std::string fnv1a;
  std::string sha256;
};

TableHashes hash_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the table (no such file or unreadable)", path));
  std::uint64_t fnv = 1469598103934665603ull;
  ContentHash sha;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    const auto count = static_cast<std::size_t>(in.gcount());
    for (std::size_t i = 0; i < count; ++i) {
      fnv ^= static_cast<unsigned char>(buffer[i]);
      fnv *= 1099511628211ull;
    }
    sha.update(std::string_view(buffer.data(), count));
  }
  if (in.bad()) throw InputError(fmt::format("{}: cannot read the table", path));
  return {fmt::format("{:016x}", fnv), sha.hex()};
}

/// Everything that decides which designs a run evaluates; a resumed run must match it. The table
/// is identified by its content and its file name, not its path, so a moved identical table
/// resumes and a changed one is refused (naming table_sha256).
nlohmann::json study_config(const DseOptions& options, const std::vector<Objective>& objectives,
                            const TableHashes& hashes, const TableSpace& table) {
  nlohmann::json objective_list = nlohmann::json::array();
  for (const auto& objective : objectives) objective_list.push_back(objective.to_string());
  // The knob columns chosen (a function of the table and --knobs): `report` names the design
  // values with them, since the table may no longer be where the study found it.
  nlohmann::json knob_columns = nlohmann::json::array();
  for (const auto& knob : table.space().knobs()) knob_columns.push_back(knob.name());
  return {{"command", "dse"},
          {"table", std::filesystem::path(options.table).filename().string()},
          {"table_sha256", hashes.sha256},
          {"knobs", options.knobs},
          {"knob_columns", knob_columns},
          {"objectives", objective_list},
          {"algo", options.algo},
          {"seed", options.seed},
          {"batch", options.batch}};
}

/// A study stored before issue 17 holds the table's absolute path and FNV-1a. Its file name is
/// kept; its content is today's table when the FNV-1a equals this table's (then it takes this
/// table's SHA-256), otherwise it stays unknown and the resume is refused naming table_sha256.
nlohmann::json upgrade_study_config(nlohmann::json stored, const TableHashes& hashes, const nlohmann::json& today) {
  if (!stored.is_object() || !stored.contains("table_fnv1a") || stored.contains("table_sha256")) return stored;
  const auto fnv = stored["table_fnv1a"];
  stored.erase("table_fnv1a");
  // Not stored then; the same table and --knobs choose the same columns.
  if (stored.value("knobs", nlohmann::json()) == today.value("knobs", nlohmann::json()))
    stored["knob_columns"] = today.value("knob_columns", nlohmann::json());
  if (stored.contains("table") && stored["table"].is_string())
    stored["table"] = std::filesystem::path(stored["table"].get<std::string>()).filename().string();
  stored["table_sha256"] = fnv.is_string() && fnv.get<std::string>() == hashes.fnv1a
                               ? hashes.sha256
                               : "unknown: stored by an older codse as FNV-1a " + fnv.dump() + ", another content";
  return stored;
}

/// Writes step,row for every evaluated design, atomically: a killed run or a full disk never
/// leaves a half-written log.
void write_log(const std::string& path, const TableSpace& table, const std::vector<Trial>& trials) {
  std::string text = "step,row\n";
  for (const auto& trial : trials) text += fmt::format("{},{}\n", trial.number, *table.find(trial.design));
  write_file_atomically(path, text);
}

void run_dse(DseOptions options) {
  std::vector<Objective> objectives;
  for (const auto& text : options.objectives) objectives.push_back(Objective::parse(text));
  require_distinct_objectives(objectives, "--objective");
  if (options.batch == 0) throw InputError("--ask-batch 0: must be at least 1");
  if (!options.study.empty())
    if (const auto why = not_a_plain_file_name(options.study))
      throw InputError(fmt::format("--study '{}': not a plain file name: {}", options.study, *why));
  if (options.algo != "auto" && !find_explorer(options.algo))
    throw InputError(fmt::format("--algo {}: unknown explorer (known: {})", options.algo, explorer_name_list()));

  if (!options.log.empty()) require_writable_file("--log", options.log);
  const auto table = TableSpace::load(options.table, options.knobs);
  for (const auto& objective : objectives) table.require_numeric(objective.metric);
  const auto budget = resolve_budget(options.budget, table.size());
  std::string auto_reason;
  if (options.algo == "auto") {
    auto choice = choose_explorer(table.size(), budget);
    options.algo = std::move(choice.explorer);  // the study records (and resumes) the explorer run
    auto_reason = fmt::format(", chosen by --algo auto: {}", choice.reason);
  }

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
    const auto hashes = hash_table(options.table);
    const auto config = study_config(options, objectives, hashes, table);
    journal = std::make_unique<StudyJournal>(store->open_study(
        name, config, [&](nlohmann::json stored) { return upgrade_study_config(std::move(stored), hashes, config); }));
  }

  set_resume_hint(options.db.empty()
                      ? std::string("nothing was stored (no --db); pass --db FILE to make a run resumable")
                      : fmt::format("the finished trials are in {}; run the same command again to resume", options.db));
  Study study(*explorer, evaluator, *journal, {budget, options.batch});
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

}  // namespace

void add_dse_command(CLI::App& app) {
  auto options = std::make_shared<DseOptions>();
  auto* dse = app.add_subcommand("dse", "Explore a table of evaluated designs (CSV) with an explorer");
  set_help_example(dse, "codse dse --table examples/tables/mlp_folding.csv --objective lut:min --objective ii_cycles:min "
                        "--explorer atne --budget 0.1 --db dse.sqlite");
  dse->add_option("--table", options->table, "CSV of evaluated designs")->required();
  dse->add_option("--knobs", options->knobs, "Knob columns: comma list of names or globs")
      ->capture_default_str();
  dse->add_option("--objective", options->objectives, "NAME:min or NAME:max (repeat)")->required();
  std::string algos;
  for (const auto& name : explorer_names()) algos += (algos.empty() ? "" : "|") + name;
  dse->add_option("--explorer,--algo", options->algo,
                  "Explorer: auto|" + algos + " (--algo is the former name; auto picks by table size and budget)")
      ->capture_default_str();
  dse->add_option("--budget", options->budget,
                  "Evaluations: a count, or a fraction of the table when below 1")
      ->required()
      ->check(cli::real_above(0));
  dse->add_option("--seed", options->seed, "Random seed")->capture_default_str()->check(cli::seed_number());
  dse->add_option("--ask-batch", options->batch, "Designs the explorer is asked for at a time")
      ->capture_default_str()
      ->check(cli::whole_in(1, 1 << 30));
  dse->add_option("--db", options->db, "SQLite store: records every trial; rerun to resume");
  dse->add_option("--study", options->study, "Study name in --db (default: TABLE-EXPLORER-seedS)");
  dse->add_option("--log", options->log, "Write step,row (0-based data row) in evaluation order");
  dse->callback([options] { run_dse(*options); });
}

}  // namespace codse
