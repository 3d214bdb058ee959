#include "cli/progress_line.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace codse {

ProgressLine::ProgressLine(std::string label, std::FILE* out, int force_enabled)
    : label_(std::move(label)),
      out_(out),
      enabled_(force_enabled >= 0 ? force_enabled != 0 : isatty(fileno(out)) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(std::size_t done, std::size_t total, const std::string& detail) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
  constexpr int width = 24;
  const int filled = static_cast<int>(fraction * width);
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(width, ' ');
  std::string eta = "--";
  if (done > 0 && done < total) eta = fmt::format("{:.0f}s", elapsed / fraction - elapsed);
  fmt::print(out_, "\r{} [{}] {}/{}  {:.1f}s  ETA {}  {}\x1b[K", label_, bar, done, total, elapsed,
             eta, detail);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressLine::finish() {
  if (!drawn_) return;
  fmt::print(out_, "\r\x1b[K");
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace codse
