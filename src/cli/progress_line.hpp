#pragma once
// A one-line progress display with an ETA for long work. It redraws in place on a terminal, at
// most a few times a second, and prints nothing when standard error is not a terminal (piped
// output and CI logs stay clean).

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace codse {

class ProgressLine {
 public:
  /// enabled: nullopt = on when stderr is a terminal.
  explicit ProgressLine(std::string label, std::FILE* out = stderr, int force_enabled = -1);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// done of total units finished; detail is appended (e.g. "front 12").
  void update(std::size_t done, std::size_t total, const std::string& detail = {});
  /// Clears the line (call before printing the final summary).
  void finish();

 private:
  std::string label_;
  std::FILE* out_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace codse
