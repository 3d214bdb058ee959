// The coordinator's cost per job, without the evaluations: jobs whose evaluation takes no time,
// sent through the process pool (`--workers N`) or to MPI ranks, so what remains is what a
// coordinator spends serving each job (encoding it, moving it, reading and decoding the reply).
// At scale this is what bounds the ranks one coordinator can keep busy (bench/scale/RESULTS.md).
//   bench_scale_overhead pool [WORKERS]          worker processes of this binary (--worker-pipe)
//   mpirun -n K bench_scale_overhead mpi         ranks 1..K-1 evaluate, rank 0 coordinates
// Each job answers like one network of bench/scale/mnist_scale.yaml: 6 trials with 3.2 kB of
// artifacts JSON each. Prints, per repetition and as the median of 5: wall and coordinator CPU
// time (user + system of its own process) per job, in microseconds.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "search/executor.hpp"
#include "search/mpi/mpi_executor.hpp"
#include "search/mpi/mpi_session.hpp"
#include "search/pipe_worker_link.hpp"
#include "search/process_pool_executor.hpp"
#include "search/worker_protocol.hpp"

namespace {

using namespace codse;

constexpr std::size_t trials_per_job = 6;
constexpr std::size_t artifacts_bytes = 3200;
constexpr std::size_t jobs_per_repetition = 2000;
constexpr int repetitions = 5;

/// Answers at once with a network's worth of trials: the cost left is the coordinator's.
class InstantEvaluation final : public JobEvaluator {
 public:
  std::vector<Trial> evaluate(const EvaluationJob& job) override {
    std::vector<Trial> trials(trials_per_job);
    for (std::size_t i = 0; i < trials.size(); ++i) {
      trials[i].number = i;
      trials[i].design = job.design;
      trials[i].metrics.values = {{"error", 0.03}, {"lut", 3899.0}, {"latency_us", 2688.0}};
      trials[i].artifacts_json = nlohmann::json{{"padding", std::string(artifacts_bytes, 'x')}}.dump();
    }
    return trials;
  }
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct PerJob {
  double wall_us = 0.0;
  double cpu_us = 0.0;
};

/// jobs_per_repetition jobs in batches of the executor's worker count (as explore asks them).
PerJob measure(Executor& executor) {
  const std::size_t batch = executor.workers();
  std::vector<EvaluationJob> jobs(batch);
  for (std::size_t i = 0; i < batch; ++i) jobs[i] = {i, Design{{static_cast<double>(i)}}, nlohmann::json{{"network", i}}};
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  std::size_t done = 0;
  while (done < jobs_per_repetition) {
    executor.run(jobs, [&](std::size_t, const std::vector<Trial>&) { ++done; });
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return {1e6 * wall / static_cast<double>(done), 1e6 * (cpu_seconds() - cpu_start) / static_cast<double>(done)};
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

void report(const std::string& label, Executor& executor) {
  measure(executor);  // the workers start and warm up
  std::vector<double> wall, cpu;
  for (int r = 0; r < repetitions; ++r) {
    const auto per_job = measure(executor);
    wall.push_back(per_job.wall_us);
    cpu.push_back(per_job.cpu_us);
    fmt::print("{} repetition {}: {:.1f} us wall, {:.1f} us coordinator CPU per job\n", label, r + 1, per_job.wall_us,
               per_job.cpu_us);
  }
  fmt::print("{} median of {} x {} jobs ({} evaluating, {} trials of {} B per job): {:.1f} us wall, {:.1f} us "
             "coordinator CPU per job\n",
             label, repetitions, jobs_per_repetition, executor.workers(), trials_per_job, artifacts_bytes, median(wall),
             median(cpu));
}

struct MpiScope {
  MpiScope(int* argc, char*** argv) { MpiSession::start(argc, argv); }
  ~MpiScope() { MpiSession::finish(); }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  InstantEvaluation evaluation;
  if (mode == "--worker-pipe") {  // started by the pool below
    PipeWorkerLink link;
    serve_jobs(evaluation, link);
    return 0;
  }
  if (mode == "pool") {
    const std::size_t workers = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2;
    ProcessPoolExecutor pool("/proc/self/exe", {"bench_scale_overhead", "--worker-pipe"}, workers);
    report("process pool", pool);
    return 0;
  }
  if (mode == "mpi") {
    MpiScope mpi(&argc, &argv);
    if (!MpiSession::active()) {
      fmt::print(stderr, "mpi: start this under mpirun with 2 or more ranks\n");
      return 2;
    }
    if (MpiSession::rank() != 0) {
      MpiWorkerLink link;
      serve_jobs(evaluation, link);
      return 0;
    }
    MpiExecutor executor;
    report("MPI", executor);
    return 0;
  }
  fmt::print(stderr, "usage: bench_scale_overhead pool [WORKERS] | mpirun -n K bench_scale_overhead mpi\n");
  return 2;
}
