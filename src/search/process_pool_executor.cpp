#include "search/process_pool_executor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "search/line_buffer.hpp"
#include "search/pipe_worker_link.hpp"
#include "search/worker_protocol.hpp"

extern char** environ;

namespace codse {

struct ProcessPoolExecutor::Worker {
  std::size_t index = 0;  // 1-based, for messages
  pid_t pid = -1;
  int jobs = -1;     // write end of the worker's fd 3
  int replies = -1;  // read end of the worker's fd 4
  LineBuffer buffer;
  std::optional<std::size_t> slot;  // the job it is evaluating
  std::size_t trial = 0;            // that job's number (a study's trial, a co-exploration's network)
  std::unique_ptr<ChildGroup> group;
};

namespace {

/// A close-on-exec copy of fd at 10 or above (so the spawn's dup2 onto 3 and 4 never meets it).
int high_fd(int fd) {
  const int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (copy < 0) throw std::runtime_error(fmt::format("starting a worker: {}", std::strerror(errno)));
  ::close(fd);
  return copy;
}

std::pair<int, int> pipe_pair() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("starting a worker: pipe: {}", std::strerror(errno)));
  return {high_fd(fds[0]), high_fd(fds[1])};
}

std::string how_it_ended(int status) {
  if (WIFSIGNALED(status)) return fmt::format("was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  return "ended";
}

/// The worker's exit, waited for a moment (it closed its pipe, so it is ending).
std::string reap(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return how_it_ended(status);
    if (done < 0) return "ended";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_and_reap_group(pid);
  return "closed its pipe";
}

}  // namespace

ProcessPoolExecutor::ProcessPoolExecutor(std::string executable, std::vector<std::string> command,
                                         std::size_t workers)
    : executable_(std::move(executable)), command_(std::move(command)), count_(workers) {
  if (count_ == 0) throw InputError("--workers must be at least 1");
  if (command_.empty()) throw InputError("a process pool needs the workers' command");
}

ProcessPoolExecutor::~ProcessPoolExecutor() { stop_workers(); }

void ProcessPoolExecutor::start_workers() {
  signal(SIGPIPE, SIG_IGN);  // a dead worker's pipe is an error to report, not a reason to die
  std::vector<char*> argv;
  for (auto& argument : command_) argv.push_back(argument.data());
  argv.push_back(nullptr);
  for (std::size_t i = 0; i < count_; ++i) {
    auto worker = std::make_unique<Worker>();
    worker->index = i + 1;
    const auto [jobs_read, jobs_write] = pipe_pair();
    const auto [replies_read, replies_write] = pipe_pair();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, jobs_read, PipeWorkerLink::jobs_fd);
    posix_spawn_file_actions_adddup2(&actions, replies_write, PipeWorkerLink::replies_fd);
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group: a terminal's Ctrl-C reaches the coordinator, which stops the workers.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    const int error = posix_spawn(&worker->pid, executable_.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(jobs_read);
    ::close(replies_write);
    worker->jobs = jobs_write;
    worker->replies = replies_read;
    if (error != 0) {
      ::close(jobs_write);
      ::close(replies_read);
      throw std::runtime_error(fmt::format("could not start worker {}: {}", i + 1, std::strerror(error)));
    }
    worker->group = std::make_unique<ChildGroup>(worker->pid);
    workers_.push_back(std::move(worker));
  }
}

void ProcessPoolExecutor::stop_workers() noexcept {
  for (auto& worker : workers_) {
    if (worker->jobs >= 0) {
      if (!worker->slot) {
        const auto stop = stop_message() + '\n';
        (void)!::write(worker->jobs, stop.data(), stop.size());
      }
      ::close(worker->jobs);
    }
  }
  for (auto& worker : workers_) {
    if (worker->pid < 0) {  // already reaped
    } else if (worker->slot) {
      kill_and_reap_group(worker->pid);  // abandoned mid-evaluation
    } else {
      int status = 0;
      bool reaped = false;
      for (int i = 0; i < 300 && !reaped; ++i) {  // an idle worker exits at once on the stop message
        reaped = waitpid(worker->pid, &status, WNOHANG) != 0;
        if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (!reaped) kill_and_reap_group(worker->pid);
    }
    ::close(worker->replies);
  }
  workers_.clear();
}

std::vector<Executor::Outcome> ProcessPoolExecutor::run(const std::vector<EvaluationJob>& jobs,
                                                        const Finished& finished) {
  std::vector<Outcome> outcomes(jobs.size());
  if (jobs.empty()) return outcomes;
  if (workers_.empty()) start_workers();
  const auto order = start_order(jobs);
  std::size_t next = 0;  // into order
  std::size_t running = 0;
  const auto died = [&](Worker& worker) {
    const auto message = fmt::format("worker {} (pid {}) {}{}", worker.index, worker.pid, reap(worker.pid),
                                     worker.slot ? fmt::format(" while evaluating job {}", worker.trial) : "");
    worker.pid = -1;
    worker.slot.reset();
    stop_workers();  // the others' evaluations are abandoned
    return WorkerLost(message);
  };
  const auto assign = [&](Worker& worker) {
    if (next >= jobs.size() || interrupted()) return;
    const auto job = order[next];
    try {
      write_all(worker.jobs, job_message(job, jobs[job]) + '\n');
    } catch (const std::runtime_error&) {
      throw died(worker);
    }
    worker.slot = job;
    worker.trial = jobs[job].number;
    ++next;
    ++running;
  };
  for (auto& worker : workers_) assign(*worker);
  while (running > 0) {
    if (interrupted()) {
      stop_workers();  // the running evaluations are abandoned; the pool restarts if run again
      return outcomes;
    }
    std::vector<pollfd> fds;
    std::vector<Worker*> polled;
    for (auto& worker : workers_)
      if (worker->slot) {
        fds.push_back({worker->replies, POLLIN, 0});
        polled.push_back(worker.get());
      }
    const int ready = poll(fds.data(), fds.size(), 200);  // wakes to look at the interrupt flag
    if (ready < 0 && errno != EINTR) throw std::runtime_error(fmt::format("waiting for workers: {}", std::strerror(errno)));
    for (std::size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      auto& worker = *polled[i];
      char chunk[65536];
      const auto got = ::read(worker.replies, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        if (interrupted()) continue;  // a signal to the whole job stopped it too
        throw died(worker);
      }
      worker.buffer.append(chunk, static_cast<std::size_t>(got));
      while (auto line = worker.buffer.next_line()) {
        auto reply = parse_reply(*line);
        if (!worker.slot || reply.slot != *worker.slot)
          throw std::runtime_error(fmt::format("worker {} answered for a job it was not given", worker.index));
        if (!reply.error.empty())
          throw std::runtime_error(fmt::format("worker {} could not evaluate trial {}: {}", worker.index, worker.trial,
                                               reply.error));
        const auto slot = *worker.slot;
        worker.slot.reset();
        --running;
        outcomes[slot] = std::move(reply.trials);
        assign(worker);  // the worker starts its next job while this one is recorded and told
        finished(slot, *outcomes[slot]);
      }
    }
  }
  return outcomes;
}

}  // namespace codse
