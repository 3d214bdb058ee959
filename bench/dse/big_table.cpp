// Memory and time of one explorer on a large synthetic table (issue 17, defect 4): epsilon-PAL and
// ATNE on 200,000 designs at a 1% budget must stay within 2 GB and 5 minutes.
//
//   bench_dse_big_table --algo epal|atne|... [--rows 200000] [--fraction 0.01] [--seed 1]
//                       [--batch 1] [--table OUT.csv]
//
// The table is a full factorial over six knobs (10 x 10 x 10 x 10 x 4 x 5 = 200,000 rows for the
// default; fewer rows take a prefix of it) with two objectives shaped like an HLS design space: a
// latency that falls with the parallelism knobs and has a memory-bound floor, and an area that
// grows with them, each with a deterministic, knob-dependent ripple so no two designs tie. The
// table is written to a temporary CSV (or --table) and read with TableSpace::load, as `codse dse`
// would. One explorer runs per process, so the peak RSS (getrusage ru_maxrss) is that explorer's
// plus the table's; the table alone is reported too (measured before the explorer starts).

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/table_space.hpp"
#include "core/trial_journal.hpp"
#include "search/candidate_pool.hpp"
#include "search/epal_explorer.hpp"
#include "search/evaluator.hpp"
#include "search/explorer.hpp"
#include "search/study.hpp"

namespace {

using namespace codse;

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// A deterministic value in [-1, 1] from a row's knob values.
double ripple(std::uint64_t key) {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdULL;
  key ^= key >> 33;
  key *= 0xc4ceb9fe1a85ec53ULL;
  key ^= key >> 33;
  return static_cast<double>(key % 2000001) / 1000000.0 - 1.0;
}

void write_table(const std::filesystem::path& path, std::size_t rows) {
  // Knob levels: unroll, pe, simd, buffer depth, memory ports, clock divider.
  const std::vector<std::vector<double>> levels{{1, 2, 3, 4, 6, 8, 12, 16, 24, 32},
                                                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                                                {1, 2, 4, 8, 16, 32, 64, 128, 256, 512},
                                                {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192},
                                                {1, 2, 4, 8},
                                                {1, 2, 3, 4, 5}};
  std::ofstream out(path);
  out << "n,knob_unroll,knob_pe,knob_simd,knob_depth,knob_ports,knob_clock,obj1,obj2\n";
  std::vector<std::size_t> at(levels.size(), 0);
  for (std::size_t r = 0; r < rows; ++r) {
    std::size_t rest = r;
    for (std::size_t k = levels.size(); k-- > 0;) {
      at[k] = rest % levels[k].size();
      rest /= levels[k].size();
    }
    const double unroll = levels[0][at[0]], pe = levels[1][at[1]], simd = levels[2][at[2]];
    const double depth = levels[3][at[3]], ports = levels[4][at[4]], clock = levels[5][at[5]];
    const double parallel = unroll * pe * simd;
    const double compute = 1e7 / parallel;
    const double memory = 2e5 / ports + 4e6 / depth;
    const double latency = clock * (std::max(compute, memory) + 0.1 * std::min(compute, memory)) *
                           (1.0 + 0.05 * ripple(r * 2 + 1));
    const double area = (200.0 * parallel / clock + 30.0 * depth / 16.0 + 500.0 * ports + 1000.0) *
                        (1.0 + 0.05 * ripple(r * 2 + 2));
    out << r;
    for (std::size_t k = 0; k < levels.size(); ++k) out << ',' << levels[k][at[k]];
    out << fmt::format(",{:.6g},{:.6g}\n", latency, area);
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

[[noreturn]] void usage() {
  std::fputs("usage: bench_dse_big_table --algo NAME [--rows N] [--fraction F] [--seed S] [--batch B] [--table OUT.csv]\n",
             stderr);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string algo;
  std::size_t rows = 200000;
  double fraction = 0.01;
  std::uint64_t seed = 1;
  std::size_t batch = 1;
  std::filesystem::path table_path;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (a + 1 >= argc) usage();
    const std::string value = argv[++a];
    if (arg == "--algo") algo = value;
    else if (arg == "--rows") rows = std::stoul(value);
    else if (arg == "--fraction") fraction = std::stod(value);
    else if (arg == "--seed") seed = std::stoull(value);
    else if (arg == "--batch") batch = std::stoul(value);
    else if (arg == "--table") table_path = value;
    else usage();
  }
  if (algo.empty() || rows == 0 || rows > 200000) usage();
  const bool temporary = table_path.empty();
  if (temporary) table_path = std::filesystem::temp_directory_path() / fmt::format("codse-big-table-{}.csv", ::getpid());
  write_table(table_path, rows);
  const auto table = TableSpace::load(table_path, "knob_*");
  if (temporary) std::filesystem::remove(table_path);
  const CandidatePool pool(table.space(), table.designs());
  const double table_rss = peak_rss_mb();
  const std::vector<Objective> objectives{{"obj1", Sense::minimize}, {"obj2", Sense::minimize}};
  const auto budget = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(table.size())));
  auto explorer = make_explorer(algo, {&pool, objectives, seed});
  TableEvaluator evaluator(table);
  MemoryJournal journal;
  Study study(*explorer, evaluator, journal, {budget, batch});

  const double cpu_start = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  std::size_t told = 0;
  study.on_trial([&](const StudyEvent&) {
    if (++told % 250 != 0) return;
    std::string state;
    if (const auto* epal = dynamic_cast<const EpalExplorer*>(explorer.get())) {
      std::size_t counts[3] = {0, 0, 0};
      for (const auto status : epal->status()) ++counts[static_cast<int>(status)];
      state = fmt::format(", undecided {}, pareto {}, discarded {}, posterior {:.0f} MB", counts[0], counts[1],
                          counts[2], static_cast<double>(epal->posterior(0).stored_bytes()) / 1048576.0);
    }
    std::fprintf(stderr, "%zu trials, %.0f s, CPU %.0f s, peak RSS %.0f MB%s\n", told,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                 cpu_seconds() - cpu_start, peak_rss_mb(), state.c_str());
  });
  const auto trials = study.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_start;
  std::printf("| %s | %zu | %zu | %zu | %.1f | %.1f | %.0f | %.0f |\n", algo.c_str(), table.size(), budget,
              trials.size(), wall, cpu, table_rss, peak_rss_mb());
  return 0;
}
