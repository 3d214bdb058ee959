#include "search/executor.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace codse {

std::vector<Executor::Outcome> InlineExecutor::run(const std::vector<EvaluationJob>& jobs, const Finished& finished) {
  std::vector<Outcome> outcomes(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (interrupted()) break;  // nothing new starts after a signal
    try {
      outcomes[i] = evaluator_->evaluate(jobs[i]);
    } catch (const Interrupted&) {
      break;  // stopped mid-evaluation: not a result
    }
    finished(i, *outcomes[i]);
  }
  return outcomes;
}

ThreadPoolExecutor::ThreadPoolExecutor(JobEvaluator& evaluator, std::size_t workers)
    : evaluator_(&evaluator), workers_(workers) {
  if (workers_ == 0) throw InputError("workers must be at least 1");
}

std::vector<Executor::Outcome> ThreadPoolExecutor::run(const std::vector<EvaluationJob>& jobs,
                                                       const Finished& finished) {
  std::vector<Outcome> outcomes(jobs.size());
  const auto order = start_order(jobs);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex report;  // finished() is called by one thread at a time
  std::exception_ptr failure;
  auto work = [&] {
    while (!stop.load() && !interrupted()) {
      const std::size_t n = next.fetch_add(1);
      if (n >= jobs.size()) return;
      const std::size_t i = order[n];
      Outcome outcome;
      try {
        outcome = evaluator_->evaluate(jobs[i]);
      } catch (const Interrupted&) {
        return;
      } catch (...) {  // a design's failure is a failed trial; anything thrown ends the batch
        const std::lock_guard lock(report);
        if (!failure) failure = std::current_exception();
        stop = true;
        return;
      }
      const std::lock_guard lock(report);
      if (stop.load()) return;
      try {
        finished(i, *outcome);
        outcomes[i] = std::move(outcome);
      } catch (...) {
        failure = std::current_exception();
        stop = true;
      }
    }
  };
  std::vector<std::thread> threads;
  const auto count = std::min(workers_, jobs.size());
  for (std::size_t t = 1; t < count; ++t) threads.emplace_back(work);
  work();  // this thread is one of the workers
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
  return outcomes;
}

}  // namespace codse
