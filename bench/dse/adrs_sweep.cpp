// ADRS versus evaluations for every explorer on every table of a directory, over several seeds:
// the measurement behind issue 2's acceptance table (bench/dse/RESULTS.md, written by run.sh).
//
//   bench_dse_adrs DATA_DIR [--seeds N] [--fraction F] [--algos a,b,...] [--csv OUT.csv]
//
// For each table vivado_*.csv (objectives obj1:min, obj2:min, knobs knob_*) and seed, each explorer
// runs through a Study with a TableEvaluator to at most F of the table. The krg ADRS is recorded
// after every evaluation. Printed as markdown: final ADRS, evaluations used, and random sampling's
// ADRS at the same evaluation count, averaged over seeds.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
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
#include "search/study.hpp"

namespace {

using namespace codse;

struct Run {
  std::vector<double> adrs;  ///< adrs[k] = krg ADRS after k+1 evaluations
  double seconds = 0.0;
};

Run explore(const TableSpace& table, const CandidatePool& pool, const FrontScorer& scorer,
            const std::vector<Objective>& objectives, const std::string& algo, std::uint64_t seed,
            std::size_t budget) {
  auto explorer = make_explorer(algo, {&pool, objectives, seed});
  TableEvaluator evaluator(table);
  MemoryJournal journal;
  Study study(*explorer, evaluator, journal, {budget, 1});
  const auto start = std::chrono::steady_clock::now();
  const auto trials = study.run();
  Run run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<std::size_t> rows;
  for (const auto& trial : trials) {
    rows.push_back(*table.find(trial.design));
    run.adrs.push_back(scorer.adrs(AdrsForm::krg, rows));
  }
  return run;
}

double at(const std::vector<double>& curve, std::size_t evaluations) {
  if (curve.empty()) return INFINITY;
  return curve[std::min(evaluations, curve.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR [--seeds N] [--fraction F] [--algos a,b] [--csv OUT]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path data_dir = argv[1];
  int seeds = 10;
  double fraction = 0.10;
  std::vector<std::string> algos{"atne", "epal", "nsga2", "grid"};
  std::string csv_path;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seeds") seeds = std::stoi(argv[i + 1]);
    else if (flag == "--fraction") fraction = std::stod(argv[i + 1]);
    else if (flag == "--algos") algos = bench::split_commas(argv[i + 1]);
    else if (flag == "--csv") csv_path = argv[i + 1];
  }
  std::vector<std::filesystem::path> tables;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir))
    if (entry.path().extension() == ".csv" && entry.path().filename().string().rfind("vivado_", 0) == 0)
      tables.push_back(entry.path());
  std::sort(tables.begin(), tables.end());

  const std::vector<Objective> objectives{{"obj1", Sense::minimize}, {"obj2", Sense::minimize}};
  std::ofstream csv;
  if (!csv_path.empty()) {
    csv.open(csv_path);
    csv << "table,algo,seed,evaluations,adrs_krg\n";
  }
  // summary[algo] = per table {mean final ADRS, mean evaluations, mean random ADRS there, max seconds}
  struct Cell { double adrs = 0, evaluations = 0, random = 0, seconds = 0; };
  std::map<std::string, std::vector<Cell>> summary;
  std::vector<std::string> names;

  for (const auto& path : tables) {
    const auto table = TableSpace::load(path, "knob_*");
    const CandidatePool pool(table.space(), table.designs());
    const FrontScorer scorer(objective_matrix(table, objectives), objectives);
    const auto budget = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(table.size())));
    names.push_back(path.stem().string());
    std::vector<Run> random_runs;
    for (int seed = 0; seed < seeds; ++seed)
      random_runs.push_back(explore(table, pool, scorer, objectives, "random", static_cast<std::uint64_t>(seed), budget));
    for (const auto& algo : algos) {
      Cell cell;
      for (int seed = 0; seed < seeds; ++seed) {
        const auto run = algo == "random" ? random_runs[static_cast<std::size_t>(seed)]
                                          : explore(table, pool, scorer, objectives, algo,
                                                    static_cast<std::uint64_t>(seed), budget);
        const auto used = run.adrs.size();
        cell.adrs += run.adrs.back() / seeds;
        cell.evaluations += static_cast<double>(used) / seeds;
        cell.random += at(random_runs[static_cast<std::size_t>(seed)].adrs, used) / seeds;
        cell.seconds = std::max(cell.seconds, run.seconds);
        if (csv)
          for (std::size_t k = 0; k < run.adrs.size(); ++k)
            csv << names.back() << ',' << algo << ',' << seed << ',' << k + 1 << ',' << run.adrs[k] << '\n';
      }
      summary[algo].push_back(cell);
      std::fprintf(stderr, "%-20s %-6s ADRS %.3f%%  evaluations %.1f (%.2f%%)  random there %.3f%%  max %.2fs\n",
                   names.back().c_str(), algo.c_str(), 100 * cell.adrs, cell.evaluations,
                   100 * cell.evaluations / static_cast<double>(table.size()), 100 * cell.random, cell.seconds);
    }
  }

  fmt::print("Mean krg ADRS (%) over {} seeds, at most {:.0f}% of each table evaluated; in brackets the\n"
             "evaluations used, then random sampling's ADRS at the same count, then the ratio.\n\n",
             seeds, 100 * fraction);
  fmt::print("| table | designs |");
  for (const auto& algo : algos) fmt::print(" {} |", algo);
  fmt::print("\n|---|---|");
  for (std::size_t a = 0; a < algos.size(); ++a) fmt::print("---|");
  fmt::print("\n");
  for (std::size_t t = 0; t < names.size(); ++t) {
    const auto table = TableSpace::load(tables[t], "knob_*");
    fmt::print("| {} | {} |", names[t], table.size());
    for (const auto& algo : algos) {
      const auto& c = summary[algo][t];
      fmt::print(" {:.3f} ({:.0f} ev, random {:.2f}, {:.2f}x) |", 100 * c.adrs, c.evaluations, 100 * c.random,
                 c.random > 0 ? c.adrs / c.random : 0.0);
    }
    fmt::print("\n");
  }
  fmt::print("| **mean** | |");
  for (const auto& algo : algos) {
    double adrs = 0, worst = 0, random = 0, seconds = 0;
    for (const auto& c : summary[algo]) {
      adrs += c.adrs / static_cast<double>(names.size());
      random += c.random / static_cast<double>(names.size());
      worst = std::max(worst, c.adrs);
      seconds = std::max(seconds, c.seconds);
    }
    fmt::print(" **{:.3f}** (worst {:.3f}, random {:.2f}; slowest run {:.1f} s) |", 100 * adrs, 100 * worst,
               100 * random, seconds);
  }
  fmt::print("\n");
  return 0;
}
