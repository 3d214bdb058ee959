#pragma once
// A CommandEvaluator evaluates a design by running a shell command (`codse dse --command`): the
// command template rendered for the design runs in the design's own directory
// `<workdir>/<design key>/`, with stdout and stderr in `run.log` there, and prints its metrics as
// one JSON object, on the last non-empty line of its stdout or in a file it names. A run that exits
// non-zero, is killed, times out, prints no JSON object or lacks a required metric throws, and the
// study records a failed trial with that reason and the log's path.
//
// Cache: a finished run leaves `metrics.json` ({"command": the rendered line, "metrics": {...}}) in
// its directory, written atomically; evaluating the same design with the same rendered command
// again reads it instead of running. This is what keeps a killed study from running a design that
// had finished but was not yet in the store. Thread-safe: each design has its own directory.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/space.hpp"
#include "core/trial.hpp"
#include "search/command_template.hpp"
#include "search/evaluator.hpp"

namespace codse {

struct CommandEvaluatorOptions {
  std::filesystem::path workdir;             ///< designs run in workdir/<design key>/ (created)
  std::chrono::duration<double> timeout{0};  ///< per run; 0: none
  std::string metrics_file;                  ///< relative to the design's directory; empty: stdout's last line
  std::vector<std::string> required_metrics;  ///< the objectives: a run without one of them failed
  Fidelity fidelity = Fidelity::synthesis;
};

class CommandEvaluator final : public Evaluator {
 public:
  /// Throws InputError for an unknown placeholder in command or a metrics file that is not a
  /// relative path inside the design's directory.
  CommandEvaluator(const Space& space, const std::string& command, CommandEvaluatorOptions options);

  Metrics evaluate(const Design& design) override;

  /// The directory of a design's run.
  std::filesystem::path directory(const Design& design) const;
  /// Commands started so far (cache hits start none).
  std::int64_t runs() const { return runs_.load(); }
  std::int64_t cache_hits() const { return cache_hits_.load(); }
  const CommandTemplate& command() const { return command_; }

 private:
  std::optional<Metrics> cached(const std::filesystem::path& directory, const std::string& line) const;
  Metrics read_metrics(const std::filesystem::path& directory, const std::string& last_line,
                       const std::filesystem::path& log) const;

  const Space* space_;
  CommandTemplate command_;
  CommandEvaluatorOptions options_;
  std::atomic<std::int64_t> runs_{0};
  std::atomic<std::int64_t> cache_hits_{0};
};

}  // namespace codse
