#pragma once
// Progress of long work with an ETA, in the form the output goes to: on a terminal a bar redrawn
// in place (at most 5 times a second); piped or in a log (nohup, Slurm, CI) one plain line every
// 10 s and one at the end, so a log shows the run is alive; nothing under `codse --quiet`.

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace codse {

enum class ProgressStyle { bar, lines, quiet };

class ProgressLine {
 public:
  /// style: by default a bar when `out` is a terminal, else lines; quiet when set_quiet(true).
  explicit ProgressLine(std::string label, std::FILE* out = stderr);
  ProgressLine(std::string label, std::FILE* out, ProgressStyle style,
               std::chrono::milliseconds line_interval = std::chrono::seconds(10));
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// `codse --quiet`: every ProgressLine made afterwards prints nothing.
  static void set_quiet(bool quiet);

  /// done of total units finished; detail is appended (e.g. "front 12").
  void update(std::size_t done, std::size_t total, const std::string& detail = {});
  /// Clears the bar (call before printing the final summary); in lines style prints the last
  /// state if it was not printed yet.
  void finish();

 private:
  std::string text(std::size_t done, std::size_t total, const std::string& detail, double elapsed) const;

  std::string label_;
  std::FILE* out_;
  ProgressStyle style_;
  std::chrono::milliseconds line_interval_;
  bool drawn_ = false;          // bar: a line is on screen; lines: the last state is unprinted
  std::string last_text_;       // lines: the latest state, printed at the next interval or finish
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace codse
