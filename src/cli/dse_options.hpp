#pragma once
// The options of `codse dse`: a table of evaluated designs (--table, dse_command.cpp) or a knob
// space evaluated live by a command (--space/--command, dse_live.cpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace codse {

struct DseOptions {
  std::string table;
  std::string knobs = "knob_*";
  std::vector<std::string> objectives;
  std::string algo = "auto";  // search/explorer_choice.hpp picks one by the space's size and the budget
  double budget = 0.0;
  std::uint64_t seed = 1;  // the default seed of every command
  std::size_t batch = 0;   // 0: not given (1 for a table, --workers for a space)
  std::string db;
  std::string study;
  std::string log;
  // Live evaluation (--space).
  std::string space;
  std::string command;
  std::size_t workers = 1;
  bool worker_pipe = false;  // this process serves a coordinator's jobs (hidden)
  double timeout = 0.0;  // seconds; 0: none
  std::string metrics_file;
  std::string workdir;
  std::string trials_csv;
  std::string reference;  // a table of the whole space: ADRS of the live run against it
};

/// --budget is a count, or a fraction of the candidates when below 1.
std::size_t resolve_budget(double budget, std::size_t candidates);

/// InputError for a --study that is not a plain file name or an --explorer that is not registered
/// (nor auto): what both modes check before any work.
void check_study_and_explorer(const DseOptions& options);

/// With --explorer auto, sets options.algo to the explorer search/explorer_choice picks for the
/// pool, budget and objectives and returns ", chosen by --algo auto: WHY" for the summary; otherwise "".
std::string resolve_auto_explorer(DseOptions& options, std::size_t pool_size, std::size_t budget,
                                  std::size_t objectives);

class TableSpace;
struct Objective;
/// Prints how close the table rows evaluated come to the table's true front: front sizes, ADRS
/// (krg, classic, range) and the hypervolume ratio.
void print_front_quality(const TableSpace& table, const std::vector<Objective>& objectives,
                         const std::vector<std::size_t>& rows);

/// `codse dse --space SPACE --command CMD`.
void run_dse_live(DseOptions options);

}  // namespace codse
