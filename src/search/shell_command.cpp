#include "search/shell_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "core/interrupt.hpp"

extern char** environ;

namespace codse {
namespace {

using Clock = std::chrono::steady_clock;

/// Closes a file descriptor on every exit path.
struct Descriptor {
  int fd = -1;
  explicit Descriptor(int value = -1) : fd(value) {}
  ~Descriptor() {
    if (fd >= 0) close(fd);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
};

[[noreturn]] void fail(const ShellCommand& command, const std::string& what) {
  throw std::runtime_error(fmt::format("{}: {}: {}", command.directory.string(), what, std::strerror(errno)));
}

/// The child's side after fork: only async-signal-safe calls (codse has other threads). The child
/// leads the run's process group and supervises the shell: it forwards the shell's end as its own,
/// and if codse dies (even by SIGKILL, which no cleanup sees) it kills the whole group, so no
/// evaluation keeps running unseen and collides with the one a resumed codse starts.
[[noreturn]] void supervise_shell(const char* directory, const char* line, int out, int log, pid_t parent) {
  setpgid(0, 0);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigaction(SIGINT, &default_action, nullptr);  // codse's handlers are not the run's
  sigaction(SIGTERM, &default_action, nullptr);
  if (getppid() != parent) _exit(127);  // codse died already
  const int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(log, STDERR_FILENO) < 0 ||
      chdir(directory) != 0)
    _exit(127);
  const pid_t shell = fork();
  if (shell < 0) _exit(127);
  if (shell == 0) {
    char sh[] = "/bin/sh";
    char dash_c[] = "-c";
    char* argv[] = {sh, dash_c, const_cast<char*>(line), nullptr};
    execve(sh, argv, environ);
    _exit(127);
  }
  const timespec pause{0, 10'000'000};
  while (true) {
    int status = 0;
    if (waitpid(shell, &status, WNOHANG) == shell) {
      if (WIFSIGNALED(status)) {  // end the same way, so codse reports the signal
        sigaction(WTERMSIG(status), &default_action, nullptr);
        kill(getpid(), WTERMSIG(status));
      }
      _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
    }
    if (getppid() != parent) {
      kill(0, SIGKILL);  // the group: the shell and everything it started, this process last
      _exit(137);
    }
    nanosleep(&pause, nullptr);
  }
}

/// Copies the child's stdout into the log and remembers its last non-empty line.
class StdoutTap {
 public:
  StdoutTap(int pipe, int log) : pipe_(pipe), log_(log) {}
  /// Reads what is there; false at end of file.
  bool drain() {
    char buffer[4096];
    while (true) {
      const ssize_t count = read(pipe_, buffer, sizeof buffer);
      if (count == 0) return false;
      if (count < 0) return errno == EAGAIN || errno == EINTR;
      for (ssize_t written = 0; written < count;) {
        const ssize_t n = write(log_, buffer + written, static_cast<std::size_t>(count - written));
        if (n <= 0 && errno != EINTR) break;  // a full disk loses log text, not the run
        if (n > 0) written += n;
      }
      take(std::string_view(buffer, static_cast<std::size_t>(count)));
    }
  }
  std::string last_line() const {
    const auto trimmed = trim(partial_);
    return trimmed.empty() ? last_ : std::string(trimmed);
  }

 private:
  static std::string_view trim(std::string_view text) {
    while (!text.empty() && std::strchr(" \t\r\n", text.back())) text.remove_suffix(1);
    while (!text.empty() && std::strchr(" \t\r\n", text.front())) text.remove_prefix(1);
    return text;
  }
  void take(std::string_view bytes) {
    for (const char c : bytes) {
      if (c != '\n') {
        if (partial_.size() < (1u << 20)) partial_ += c;  // a line is the metrics: a MiB is plenty
        continue;
      }
      if (!trim(partial_).empty()) last_ = std::string(trim(partial_));
      partial_.clear();
    }
  }
  int pipe_;
  int log_;
  std::string partial_;
  std::string last_;
};

}  // namespace

std::string ShellOutcome::describe(const ShellCommand& command) const {
  switch (end) {
    case End::exited: return fmt::format("exit code {}", code);
    case End::signalled: return fmt::format("killed by signal {}", code);
    case End::timed_out: return fmt::format("timed out after {:.1f} s and was killed", command.timeout.count());
  }
  return {};
}

ShellOutcome run_shell_command(const ShellCommand& command) {
  throw_if_interrupted();
  const Descriptor log(open(command.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644));
  if (log.fd < 0) fail(command, fmt::format("cannot write the log {}", command.log.string()));
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) fail(command, "cannot make a pipe");
  const Descriptor out_read(ends[0]);
  Descriptor out_write(ends[1]);
  const std::string directory = command.directory.string();
  const pid_t parent = getpid();

  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) fail(command, "cannot fork");
  if (pid == 0) supervise_shell(directory.c_str(), command.line.c_str(), out_write.fd, log.fd, parent);
  setpgid(pid, pid);  // also here: no race with a kill of the group right after fork
  const ChildGroup registered(pid);
  close(out_write.fd);
  out_write.fd = -1;
  fcntl(out_read.fd, F_SETFL, O_NONBLOCK);

  StdoutTap tap(out_read.fd, log.fd);
  const bool bounded = command.timeout.count() > 0;
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(command.timeout);
  ShellOutcome outcome;
  bool open_pipe = true;
  while (true) {
    if (const int signal = interrupt_signal()) {
      kill_and_reap_group(pid);
      throw Interrupted(signal);
    }
    if (bounded && Clock::now() >= deadline) {
      kill_and_reap_group(pid);
      outcome.end = ShellOutcome::End::timed_out;
      break;
    }
    pollfd ready{out_read.fd, POLLIN, 0};
    if (open_pipe && poll(&ready, 1, 20) > 0) open_pipe = tap.drain();
    if (!open_pipe) usleep(5000);
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      // What the shell wrote before it ended; a helper it left running may hold the pipe open,
      // so take what is there and do not wait for its end.
      if (open_pipe) tap.drain();
      kill(-pid, SIGKILL);  // helpers left behind die with the evaluation
      outcome.end = WIFSIGNALED(status) ? ShellOutcome::End::signalled : ShellOutcome::End::exited;
      outcome.code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
      break;
    }
    if (done < 0 && errno != EINTR) fail(command, "waitpid failed");
  }
  outcome.last_stdout_line = tap.last_line();
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return outcome;
}

}  // namespace codse
