// Progress when the output is piped or logged (issue 16): plain lines at an interval and at the
// end, nothing when quiet; the bar on a terminal is redrawn in place.

#include "cli/progress_line.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>

namespace codse {
namespace {

std::string contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  for (int c; (c = std::fgetc(file)) != EOF;) text += static_cast<char>(c);
  return text;
}

TEST(ProgressLine, PipedPrintsALineEachIntervalAndTheLastStateAtTheEnd) {
  std::FILE* out = std::tmpfile();
  {
    ProgressLine progress("explore", out, ProgressStyle::lines, std::chrono::milliseconds(50));
    progress.update(1, 4, "front 1");  // within the interval: held
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    progress.update(2, 4, "front 2");  // the interval passed: printed
    progress.update(3, 4, "front 3");  // held, printed by finish
    progress.finish();
  }
  const std::string text = contents(out);
  std::fclose(out);
  EXPECT_EQ(text.find("1/4"), std::string::npos) << text;
  EXPECT_NE(text.find("explore: 2/4 (50%)"), std::string::npos) << text;
  EXPECT_NE(text.find("front 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("explore: 3/4 (75%)"), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << "no terminal control in a log";
  EXPECT_EQ(text.find("\x1b"), std::string::npos);
}

TEST(ProgressLine, QuietPrintsNothingAndABarRedrawsInPlace) {
  std::FILE* quiet = std::tmpfile();
  {
    ProgressLine progress("dse", quiet, ProgressStyle::quiet);
    progress.update(5, 10);
  }
  EXPECT_EQ(contents(quiet), "");
  std::fclose(quiet);
  std::FILE* terminal = std::tmpfile();
  {
    ProgressLine progress("dse", terminal, ProgressStyle::bar);
    progress.update(5, 10, "front 3");
  }
  const std::string bar = contents(terminal);
  std::fclose(terminal);
  EXPECT_NE(bar.find("\rdse [============            ] 5/10 (50%)"), std::string::npos) << bar;
  EXPECT_NE(bar.find("\r\x1b[K"), std::string::npos) << "the bar is cleared at the end";
}

}  // namespace
}  // namespace codse
