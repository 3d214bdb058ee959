#include "core/interrupt.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>

#include <fmt/format.h>

namespace codse {
namespace {

constexpr std::size_t max_groups = 64;

std::atomic<int> received{0};
std::array<std::atomic<pid_t>, max_groups> groups{};
std::string hint;  // written by the main thread before work starts, read by main after it

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<pid_t>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

extern "C" void on_signal(int signal) {
  int expected = 0;
  if (received.compare_exchange_strong(expected, signal)) return;  // the first: stop gracefully
  // A second signal: kill the registered children and leave now (only async-signal-safe calls).
  for (auto& group : groups) {
    const pid_t pid = group.load();
    if (pid > 0) kill(-pid, SIGKILL);
  }
  static const char message[] = "codse: second signal, exiting at once\n";
  const auto ignored = write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
  _exit(128 + signal);
}

}  // namespace

std::string Interrupted::signal_name() const {
  if (signal_ == SIGINT) return "SIGINT";
  if (signal_ == SIGTERM) return "SIGTERM";
  return fmt::format("signal {}", signal_);
}

void install_interrupt_handlers() {
  struct sigaction action{};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // reads and writes carry on; the loops poll the flag
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int interrupt_signal() noexcept { return received.load(std::memory_order_relaxed); }

void throw_if_interrupted() {
  if (const int signal = interrupt_signal()) throw Interrupted(signal);
}

void set_interrupt_for_testing(int signal) noexcept { received.store(signal); }

void set_resume_hint(std::string text) { hint = std::move(text); }
const std::string& resume_hint() { return hint; }

ChildGroup::ChildGroup(pid_t group) {
  for (std::size_t i = 0; i < max_groups; ++i) {
    pid_t expected = 0;
    if (groups[i].compare_exchange_strong(expected, group)) {
      slot_ = static_cast<int>(i);
      return;
    }
  }
}

ChildGroup::~ChildGroup() {
  if (slot_ >= 0) groups[static_cast<std::size_t>(slot_)].store(0);
}

void kill_and_reap_group(pid_t pid) noexcept {
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace codse
