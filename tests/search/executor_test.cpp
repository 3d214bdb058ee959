// Executors, parametrized (as Optuna tests every sampler with one suite): in this thread, in
// threads, and in worker processes speaking worker_protocol.hpp on fds 3 and 4 (here a small
// Python worker, so the pool is tested without codse's own commands). Plus the message codecs.

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "search/executor.hpp"
#include "search/line_buffer.hpp"
#include "search/process_pool_executor.hpp"
#include "search/trial_json.hpp"
#include "search/worker_protocol.hpp"

namespace codse {
namespace {

using ::testing::HasSubstr;

/// Metrics sum and first of the design; designs whose first value is 3 mod 4 fail.
class SumEvaluator final : public Evaluator {
 public:
  Metrics evaluate(const Design& design) override {
    if (static_cast<int>(design.values[0]) % 4 == 3) throw std::runtime_error("three mod four");
    double sum = 0;
    for (double v : design.values) sum += v;
    return {{{"sum", sum}, {"first", design.values[0]}}, Fidelity::table, 0.5};
  }
};

// The same in Python, as a worker process: slower on some jobs so they finish out of order, and
// it kills itself on a design whose first value is `die`.
std::string python_worker(int die) {
  return R"(
import json, os, time
jobs, out = os.fdopen(3, 'r'), os.fdopen(4, 'w')
for line in jobs:
    m = json.loads(line)
    if 'stop' in m: break
    job = m['job']; d = job['design']
    if d[0] == )" + std::to_string(die) + R"(: os.kill(os.getpid(), 9)
    time.sleep(0.03 * (int(d[0]) % 3))
    t = {'number': job['number'], 'design': d, 'status': 'complete', 'metrics': {'sum': sum(d), 'first': d[0]},
         'fidelity': 'table', 'seconds': 0.5, 'error': '', 'artifacts': ''}
    if int(d[0]) % 4 == 3: t.update(status='failed', metrics={}, error='three mod four')
    out.write(json.dumps({'slot': m['slot'], 'trials': [t]}) + '\n'); out.flush()
)";
}

std::vector<EvaluationJob> jobs(std::size_t count) {
  std::vector<EvaluationJob> list;
  for (std::size_t i = 0; i < count; ++i) list.push_back({10 + i, {{static_cast<double>(i), 0.25}}, nullptr, 0.0});
  return list;
}

struct ExecutorCase {
  std::string name;
  std::function<std::unique_ptr<Executor>(JobEvaluator&)> make;
};
void PrintTo(const ExecutorCase& c, std::ostream* os) { *os << c.name; }

class EveryExecutor : public ::testing::TestWithParam<ExecutorCase> {};

TEST_P(EveryExecutor, ReturnsEveryJobsTrialInJobOrderAndReportsEachOnce) {
  SumEvaluator evaluator;
  DesignEvaluation evaluation(evaluator);
  const auto executor = GetParam().make(evaluation);
  const auto batch = jobs(7);
  std::vector<std::size_t> reported;
  for (int round = 0; round < 2; ++round) {  // a second batch reuses the workers
    reported.clear();
    const auto outcomes = executor->run(batch, [&](std::size_t job, const std::vector<Trial>& trials) {
      EXPECT_EQ(trials.size(), 1u);
      reported.push_back(job);
    });
    ASSERT_EQ(outcomes.size(), 7u);
    for (std::size_t i = 0; i < 7; ++i) {
      ASSERT_TRUE(outcomes[i]);
      const auto& trial = outcomes[i]->front();
      EXPECT_EQ(trial.number, 10 + i);
      EXPECT_EQ(trial.design, batch[i].design);
      if (i % 4 == 3) {
        EXPECT_EQ(trial.status, TrialStatus::failed);
        EXPECT_EQ(trial.error, "three mod four");
      } else {
        EXPECT_EQ(trial.metrics.values.at("sum"), static_cast<double>(i) + 0.25);
      }
    }
    std::sort(reported.begin(), reported.end());
    EXPECT_EQ(reported, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6}));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Executors, EveryExecutor,
    ::testing::Values(
        ExecutorCase{"inline", [](JobEvaluator& e) { return std::make_unique<InlineExecutor>(e); }},
        ExecutorCase{"threads", [](JobEvaluator& e) { return std::make_unique<ThreadPoolExecutor>(e, 3); }},
        ExecutorCase{"processes",
                     [](JobEvaluator&) {
                       return std::make_unique<ProcessPoolExecutor>(
                           "/usr/bin/python3", std::vector<std::string>{"python3", "-c", python_worker(-1)}, 3);
                     }}),
    [](const ::testing::TestParamInfo<ExecutorCase>& param_info) { return param_info.param.name; });

TEST(ProcessPoolExecutor, AWorkerThatDiesEndsTheBatchNamingItAndTheJob) {
  ProcessPoolExecutor executor("/usr/bin/python3", {"python3", "-c", python_worker(4)}, 2);
  std::size_t finished = 0;
  try {
    executor.run(jobs(6), [&](std::size_t, const std::vector<Trial>&) { ++finished; });
    FAIL() << "a dead worker must end the batch";
  } catch (const WorkerLost& lost) {
    EXPECT_THAT(lost.what(), HasSubstr("was killed by signal 9"));
    EXPECT_THAT(lost.what(), HasSubstr("while evaluating job 14"));
  }
  EXPECT_GE(finished, 3u);  // jobs 0-3 come before the one that kills its worker
  EXPECT_LE(finished, 5u);
}

TEST(ProcessPoolExecutor, RefusesNoWorkers) {
  EXPECT_THROW(ProcessPoolExecutor("/usr/bin/python3", {"python3"}, 0), InputError);
}

TEST(TrialJson, RoundTripsEveryFieldBitForBit) {
  Trial trial;
  trial.number = 7;
  trial.design.values = {0.1 + 0.2, -0.0, 1e-300};
  trial.status = TrialStatus::failed;
  trial.error = "no mapping: \"fits\"";
  trial.artifacts_json = R"({"a": [1, 2]})";
  trial.metrics.values = {{"nan", std::numeric_limits<double>::quiet_NaN()},
                          {"inf", std::numeric_limits<double>::infinity()},
                          {"third", 1.0 / 3.0}};
  trial.metrics.fidelity = Fidelity::synthesis;
  trial.metrics.seconds = 12.5;
  const auto back = trial_from_json(nlohmann::json::parse(trial_to_json(trial).dump()));
  EXPECT_EQ(back.number, 7u);
  EXPECT_EQ(back.design, trial.design);
  EXPECT_EQ(back.status, TrialStatus::failed);
  EXPECT_EQ(back.error, trial.error);
  EXPECT_EQ(back.artifacts_json, trial.artifacts_json);
  EXPECT_TRUE(std::isnan(back.metrics.values.at("nan")));
  EXPECT_EQ(back.metrics.values.at("inf"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(back.metrics.values.at("third"), 1.0 / 3.0);
  EXPECT_EQ(back.metrics.fidelity, Fidelity::synthesis);
  EXPECT_EQ(back.metrics.seconds, 12.5);
}

TEST(TrialJson, NamesTheFieldThatIsWrong) {
  const Trial empty;
  auto json = trial_to_json(empty);
  json["design"] = "x";
  EXPECT_THROW(
      {
        try {
          trial_from_json(json);
        } catch (const InputError& e) {
          EXPECT_THAT(e.what(), HasSubstr("design"));
          throw;
        }
      },
      InputError);
  json.erase("design");
  EXPECT_THROW(trial_from_json(json), InputError);
}

TEST(LineBuffer, HandsOutWholeLinesFromArbitraryPieces) {
  LineBuffer buffer;
  buffer.append("ab", 2);
  EXPECT_FALSE(buffer.next_line());
  buffer.append("c\nde\n\nf", 7);
  EXPECT_EQ(buffer.next_line(), "abc");
  EXPECT_EQ(buffer.next_line(), "de");
  EXPECT_EQ(buffer.next_line(), "");
  EXPECT_FALSE(buffer.next_line());
  EXPECT_TRUE(buffer.has_partial_line());
  buffer.append("\n", 1);
  EXPECT_EQ(buffer.next_line(), "f");
}

/// A link whose messages are queued in memory.
class MemoryLink final : public WorkerLink {
 public:
  std::deque<std::string> in;
  std::vector<std::string> out;
  std::optional<std::string> receive() override {
    if (in.empty()) return std::nullopt;
    auto message = in.front();
    in.pop_front();
    return message;
  }
  void send(const std::string& message) override { out.push_back(message); }
};

/// Throws a std::exception the evaluator did not turn into a failed trial.
class BrokenEvaluation final : public JobEvaluator {
 public:
  std::vector<Trial> evaluate(const EvaluationJob&) override { throw std::runtime_error("weights file unreadable"); }
};

TEST(ServeJobs, AnswersEachJobWithItsTrialsUntilStop) {
  SumEvaluator evaluator;
  DesignEvaluation evaluation(evaluator);
  MemoryLink link;
  const auto batch = jobs(4);
  for (std::size_t i = 0; i < batch.size(); ++i) link.in.push_back(job_message(i + 5, batch[i]));
  link.in.push_back(stop_message());
  link.in.push_back(job_message(0, batch[0]));  // after stop: never read
  serve_jobs(evaluation, link);
  ASSERT_EQ(link.out.size(), 4u);
  EXPECT_EQ(link.in.size(), 1u);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto reply = parse_reply(link.out[i]);
    EXPECT_EQ(reply.slot, i + 5);
    ASSERT_EQ(reply.trials.size(), 1u);
    EXPECT_EQ(reply.trials[0].number, 10 + i);
  }
  EXPECT_EQ(parse_reply(link.out[1]).trials[0].metrics.values.at("sum"), 1.25);
  EXPECT_EQ(parse_reply(link.out[3]).trials[0].error, "three mod four");
}

TEST(ServeJobs, AnEvaluatorErrorIsAnsweredAsAnErrorAndAGarbledMessageIsRefused) {
  BrokenEvaluation broken;
  MemoryLink link;
  link.in.push_back(job_message(2, jobs(1)[0]));
  serve_jobs(broken, link);
  ASSERT_EQ(link.out.size(), 1u);
  EXPECT_EQ(parse_reply(link.out[0]).error, "weights file unreadable");
  link.in.push_back("{\"slot\": 1}");
  EXPECT_THROW(serve_jobs(broken, link), InputError);
  EXPECT_THROW(parse_reply("not json"), InputError);
}

}  // namespace
}  // namespace codse

namespace codse {
namespace {

TEST(StartOrder, CostliestFirstTiesInAskOrder) {
  std::vector<EvaluationJob> batch(5);
  const double costs[] = {0.0, 5.0, 2.0, 5.0, 0.0};
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].cost = costs[i];
  EXPECT_EQ(start_order(batch), (std::vector<std::size_t>{1, 3, 2, 0, 4}));
}

}  // namespace
}  // namespace codse
