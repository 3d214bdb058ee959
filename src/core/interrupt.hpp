#pragma once
// SIGINT and SIGTERM: the first one asks codse to stop starting work. The handler only sets a flag
// (async-signal-safe, no allocation); long loops poll `interrupted()` between units of work (a
// trial, a training batch, a tool run's wait), stop, let the store keep what finished and throw
// `Interrupted`, which `main` turns into a message saying how to resume and the exit code 128 +
// signal (130 for SIGINT, 143 for SIGTERM). Child processes run in process groups registered here
// (`ChildGroup`); the waits kill their group on an interruption, and a second signal kills every
// registered group and exits at once.

#include <sys/types.h>

#include <string>

namespace codse {

/// Thrown where work stops after a signal. Not a std::exception on purpose: the handlers that
/// record a failed trial (`catch (const std::exception&)`) must not swallow it.
class Interrupted {
 public:
  explicit Interrupted(int signal) : signal_(signal) {}
  int signal() const { return signal_; }
  /// "SIGINT", "SIGTERM" or "signal N".
  std::string signal_name() const;
  /// 128 + the signal number: 130 for SIGINT, 143 for SIGTERM.
  int exit_code() const { return 128 + signal_; }

 private:
  int signal_;
};

/// Installs the handlers of SIGINT and SIGTERM (main calls it once, before any work).
void install_interrupt_handlers();

/// The signal received so far (SIGINT or SIGTERM), or 0.
int interrupt_signal() noexcept;
inline bool interrupted() noexcept { return interrupt_signal() != 0; }
/// Throws Interrupted when a signal was received.
void throw_if_interrupted();

/// Tests: act as if `signal` arrived (0 clears it).
void set_interrupt_for_testing(int signal) noexcept;

/// What `main` prints after an interruption to say how to resume; a command sets it before its
/// work starts (empty: nothing to resume).
void set_resume_hint(std::string hint);
const std::string& resume_hint();

/// Registers a child's process group (its pid, the child being the group leader) for as long as
/// it lives, so that a second signal kills it before codse exits. At most 64 groups at a time;
/// more are simply not registered (the waits still kill them).
class ChildGroup {
 public:
  explicit ChildGroup(pid_t group);
  ~ChildGroup();
  ChildGroup(const ChildGroup&) = delete;
  ChildGroup& operator=(const ChildGroup&) = delete;

 private:
  int slot_ = -1;
};

/// Kills the process group of `pid` (SIGKILL) and reaps `pid`.
void kill_and_reap_group(pid_t pid) noexcept;

}  // namespace codse
