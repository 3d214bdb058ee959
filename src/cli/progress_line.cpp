#include "cli/progress_line.hpp"

#include <unistd.h>

#include <atomic>
#include <cmath>

#include <fmt/format.h>

namespace codse {
namespace {

std::atomic<bool> quiet_everywhere{false};

ProgressStyle default_style(std::FILE* out) {
  if (quiet_everywhere) return ProgressStyle::quiet;
  return isatty(fileno(out)) != 0 ? ProgressStyle::bar : ProgressStyle::lines;
}

std::string duration_text(double seconds) {
  if (seconds < 60) return fmt::format("{:.0f}s", seconds);
  if (seconds < 3600) return fmt::format("{:.0f}m{:02.0f}s", std::floor(seconds / 60), std::fmod(seconds, 60));
  return fmt::format("{:.0f}h{:02.0f}m", std::floor(seconds / 3600), std::fmod(seconds / 60, 60));
}

}  // namespace

ProgressLine::ProgressLine(std::string label, std::FILE* out) : ProgressLine(std::move(label), out, default_style(out)) {}

ProgressLine::ProgressLine(std::string label, std::FILE* out, ProgressStyle style, std::chrono::milliseconds line_interval)
    : label_(std::move(label)),
      out_(out),
      style_(style),
      line_interval_(line_interval),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::set_quiet(bool quiet) { quiet_everywhere = quiet; }

std::string ProgressLine::text(std::size_t done, std::size_t total, const std::string& detail, double elapsed) const {
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
  std::string eta = "--";
  if (done > 0 && done < total) eta = duration_text(elapsed / fraction - elapsed);
  if (done >= total && total > 0) eta = "done";
  return fmt::format("{}/{} ({:.0f}%)  {}  ETA {}{}{}", done, total, 100.0 * fraction, duration_text(elapsed), eta,
                     detail.empty() ? "" : "  ", detail);
}

void ProgressLine::update(std::size_t done, std::size_t total, const std::string& detail) {
  if (style_ == ProgressStyle::quiet) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (style_ == ProgressStyle::lines) {
    last_text_ = text(done, total, detail, elapsed);
    drawn_ = true;
    if (now - last_draw_ < line_interval_) return;
    last_draw_ = now;
    fmt::print(out_, "{}: {}\n", label_, last_text_);
    std::fflush(out_);
    drawn_ = false;
    return;
  }
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
  constexpr int width = 24;
  std::string bar(static_cast<std::size_t>(fraction * width), '=');
  bar.resize(width, ' ');
  fmt::print(out_, "\r{} [{}] {}\x1b[K", label_, bar, text(done, total, detail, elapsed));
  std::fflush(out_);
  drawn_ = true;
}

void ProgressLine::finish() {
  if (!drawn_) return;
  if (style_ == ProgressStyle::lines) fmt::print(out_, "{}: {}\n", label_, last_text_);
  else fmt::print(out_, "\r\x1b[K");
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace codse
