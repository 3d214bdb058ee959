// A process killed (SIGKILL) while it records trials leaves a store that opens, passes SQLite's
// integrity check, and holds exactly the trials whose record() returned: numbers 0..k-1, intact.

#include <csignal>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/sqlite.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

Trial numbered_trial(std::size_t number) {
  Trial trial;
  trial.number = number;
  trial.design.values = {static_cast<double>(number), 0.1 * static_cast<double>(number)};
  trial.metrics.values = {{"obj1", 1.0 / (1.0 + static_cast<double>(number))},
                          {"obj2", 3.0 * static_cast<double>(number)}};
  trial.metrics.seconds = 0.5;
  return trial;
}

/// The child: records trials without end and reports each returned record() on the pipe.
[[noreturn]] void record_forever(const std::filesystem::path& path, int report_fd) {
  try {
    Store store(path, Durability::process_crash);
    auto journal = store.open_study("crash", {{"seed", 7}});
    for (std::size_t number = 0;; ++number) {
      journal.record(numbered_trial(number));
      const char done = 'r';
      if (::write(report_fd, &done, 1) != 1) ::_exit(3);
    }
  } catch (...) {
    ::_exit(2);
  }
}

TEST(StoreCrash, KillingAWriterNeverCorruptsStoredTrials) {
  testing::TempDir dir;
  const auto path = dir / "crash.sqlite";
  constexpr int reported_before_kill = 40;
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    record_forever(path, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  int reported = 0;
  char byte = 0;
  while (reported < reported_before_kill && ::read(pipe_fds[0], &byte, 1) == 1) ++reported;
  ASSERT_EQ(reported, reported_before_kill) << "the writer stopped early";
  // Killed in the middle of whatever it is doing, most likely inside a transaction.
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(pipe_fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));

  {
    SqliteDatabase raw(path, false);
    EXPECT_EQ(raw.query_text("PRAGMA integrity_check"), "ok");
  }
  const auto trials = Store(path).open_study("crash", {{"seed", 7}}).trials();
  ASSERT_GE(trials.size(), static_cast<std::size_t>(reported_before_kill));
  for (std::size_t i = 0; i < trials.size(); ++i) {
    const auto expected = numbered_trial(i);
    ASSERT_EQ(trials[i].number, i);
    EXPECT_EQ(trials[i].design, expected.design);
    EXPECT_EQ(trials[i].metrics.values, expected.metrics.values);
  }
}

}  // namespace
}  // namespace codse
