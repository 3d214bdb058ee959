#include "search/job_evaluator.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

namespace codse {

Trial evaluate_trial(Evaluator& evaluator, const EvaluationJob& job) {
  Trial trial{job.number, job.design, TrialStatus::complete, {}, {}, {}};
  const auto start = std::chrono::steady_clock::now();
  try {
    trial.metrics = evaluator.evaluate(job.design);
  } catch (const std::exception& error) {
    trial.status = TrialStatus::failed;
    trial.error = error.what();
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  if (trial.metrics.seconds == 0.0) trial.metrics.seconds = took.count();
  return trial;
}

std::vector<std::size_t> start_order(const std::vector<EvaluationJob>& jobs) {
  std::vector<std::size_t> order(jobs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return jobs[a].cost > jobs[b].cost; });
  return order;
}

}  // namespace codse
