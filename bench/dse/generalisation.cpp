// Generalisation of the explorers across design-space tables from several tool flows (issue 15):
// one run per table, explorer and seed to the larger budget; every smaller budget is scored on the
// run's prefix (no explorer knows its budget, so the first k asks of a run to 10% are exactly a
// run to k). A run that stopped by itself is scored at its stop.
//
//   bench_dse_general --runs OUT.csv [--seeds N] [--fractions 0.05,0.1] [--algos a,b]
//                     [--objectives 2|3] [--rows-dir DIR] [--dump-rows DIR] TABLE.csv...
//
// Objectives of a table: its columns named *_min / *_max (that sense), the first two (or three);
// a table without such columns (the Spector-HLS tables) uses obj1:min, obj2:min (obj1, obj2, lut
// for three). Knobs: knob_*.
//
// An algo named E+stop is explorer E with self_stop=true (its own stopping rule).
// --dump-rows DIR writes every run's evaluated rows as DIR/<table>.<o>obj.<algo>.seed<S>.rows.
// --rows-dir DIR scores external runs (algo "tpe", bench/dse/tpe_baseline.py): DIR/<table>.<o>obj.
// seed<S>.rows holds the evaluated rows (0-based) in order, so that every explorer is scored by
// this one ADRS definition (core/front_scorer, krg).
//
// Writes one CSV line per run and budget: table, objectives, algo, seed, fraction, budget,
// evaluations (at that budget), stopped (the run stopped by itself before the budget),
// adrs_krg (fraction), front_found (ADRS == 0), seconds (whole run).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "comma_list.hpp"
#include "core/front_scorer.hpp"
#include "core/table_space.hpp"
#include "core/trial_journal.hpp"
#include "search/candidate_pool.hpp"
#include "search/evaluator.hpp"
#include "search/explorer.hpp"
#include "search/explorer_options.hpp"
#include "search/study.hpp"

namespace {

using namespace codse;

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

std::vector<Objective> table_objectives(const TableSpace& table, std::size_t count) {
  std::vector<Objective> objectives;
  for (const auto& name : table.metric_names()) {
    if (ends_with(name, "_min")) objectives.push_back({name, Sense::minimize});
    if (ends_with(name, "_max")) objectives.push_back({name, Sense::maximize});
  }
  if (objectives.empty())
    objectives = {{"obj1", Sense::minimize}, {"obj2", Sense::minimize}, {"lut", Sense::minimize}};
  objectives.resize(std::min(count, objectives.size()));
  return objectives;
}

std::vector<std::size_t> run_explorer(const TableSpace& table, const CandidatePool& pool,
                                      const std::vector<Objective>& objectives, const std::string& algo,
                                      std::uint64_t seed, std::size_t budget) {
  // "atne+stop": the explorer with its self-stopping rule switched on; "atne:key=value:..." with
  // options (for tuning runs).
  const bool stop = ends_with(algo, "+stop");
  std::string spec = stop ? algo.substr(0, algo.size() - 5) : algo;
  ExplorerOptions options;
  if (stop) options.set("self_stop", true);
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  for (std::size_t at = colon; at != std::string::npos;) {
    const auto next = spec.find(':', at + 1);
    const std::string item = spec.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    const auto eq = item.find('=');
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    if (value == "true" || value == "false") options.set(key, value == "true");
    else if (value.find('.') != std::string::npos) options.set(key, std::stod(value));
    else options.set(key, std::stol(value));
    at = next;
  }
  auto explorer = make_explorer(name, {&pool, objectives, seed}, options);
  TableEvaluator evaluator(table);
  MemoryJournal journal;
  Study study(*explorer, evaluator, journal, {budget, 1});
  std::vector<std::size_t> rows;
  for (const auto& trial : study.run()) rows.push_back(*table.find(trial.design));
  return rows;
}

std::vector<std::size_t> read_rows(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing " + path.string());
  std::vector<std::size_t> rows;
  for (std::size_t row; in >> row;) rows.push_back(row);
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 5;
  std::vector<double> fractions{0.05, 0.1};
  std::vector<std::string> algos{"atne", "epal", "random"};
  std::size_t objective_count = 2;
  std::string runs_path, rows_dir, dump_dir;
  std::vector<std::filesystem::path> tables;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--seeds" && has_value) seeds = std::stoi(argv[++i]);
    else if (arg == "--fractions" && has_value) {
      fractions.clear();
      for (const auto& f : bench::split_commas(argv[++i])) fractions.push_back(std::stod(f));
    } else if (arg == "--algos" && has_value) algos = bench::split_commas(argv[++i]);
    else if (arg == "--objectives" && has_value) objective_count = std::stoul(argv[++i]);
    else if (arg == "--runs" && has_value) runs_path = argv[++i];
    else if (arg == "--rows-dir" && has_value) rows_dir = argv[++i];
    else if (arg == "--dump-rows" && has_value) dump_dir = argv[++i];
    else tables.emplace_back(arg);
  }
  if (runs_path.empty() || tables.empty() || fractions.empty()) {
    std::fprintf(stderr, "usage: %s --runs OUT.csv [--seeds N] [--fractions a,b] [--algos a,b] "
                         "[--objectives 2|3] [--rows-dir DIR] [--dump-rows DIR] TABLE.csv...\n", argv[0]);
    return 2;
  }
  std::sort(fractions.begin(), fractions.end());
  const bool fresh = !std::filesystem::exists(runs_path);
  std::ofstream out(runs_path, std::ios::app);
  if (fresh) out << "table,objectives,algo,seed,fraction,budget,evaluations,stopped,adrs_krg,front_found,seconds\n";

  for (const auto& path : tables) {
    const auto table = TableSpace::load(path, "knob_*");
    const auto objectives = table_objectives(table, objective_count);
    const CandidatePool pool(table.space(), table.designs());
    const FrontScorer scorer(objective_matrix(table, objectives), objectives);
    const std::string name = path.stem().string();
    auto budget_of = [&](double f) {
      return std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(f * static_cast<double>(table.size()))));
    };
    const std::size_t largest = budget_of(fractions.back());
    for (const auto& algo : algos) {
      for (int seed = 0; seed < seeds; ++seed) {
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::size_t> rows =
            algo == "tpe" ? read_rows(std::filesystem::path(rows_dir) /
                                      fmt::format("{}.{}obj.seed{}.rows", name, objectives.size(), seed))
                          : run_explorer(table, pool, objectives, algo, static_cast<std::uint64_t>(seed), largest);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (rows.size() > largest) rows.resize(largest);
        if (!dump_dir.empty()) {
          std::ofstream dump(std::filesystem::path(dump_dir) /
                             fmt::format("{}.{}obj.{}.seed{}.rows", name, objectives.size(), algo, seed));
          for (const auto row : rows) dump << row << '\n';
        }
        for (double f : fractions) {
          const std::size_t budget = budget_of(f);
          const std::vector<std::size_t> prefix(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(std::min(budget, rows.size())));
          const bool stopped = rows.size() < budget;
          const double adrs = scorer.adrs(AdrsForm::krg, prefix);
          out << fmt::format("{},{},{},{},{},{},{},{},{:.8g},{},{:.2f}\n", name, objectives.size(), algo, seed, f,
                             budget, prefix.size(), stopped ? 1 : 0, adrs, adrs == 0.0 ? 1 : 0, seconds);
        }
        out.flush();
        std::fprintf(stderr, "%-28s %dobj %-6s seed %d: %zu evaluations, %.1f s\n", name.c_str(),
                     static_cast<int>(objectives.size()), algo.c_str(), seed, rows.size(), seconds);
      }
    }
  }
  return 0;
}
