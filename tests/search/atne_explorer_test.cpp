// ATNE on a small synthetic table with a known front.

#include <algorithm>
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "core/pareto_front.hpp"
#include "search/atne_explorer.hpp"

namespace codse {
namespace {

/// 8 x 5 x 5 = 200 designs. Parallelism a buys latency with area, c speeds up at an area cost
/// growing with a, b is best at 4: the front is 12 designs (b = 4, c <= 2).
Space synthetic_space() {
  return Space({Knob::integer("a", 1, 8), Knob::power_of_two("b", 1, 16), Knob::integer("c", 0, 4)});
}

Metrics evaluate(const Design& d) {
  const double a = d.values[0], b = std::log2(d.values[1]), c = d.values[2];
  const double latency = 1000.0 / (a * (1.0 + 0.25 * c)) + 30.0 * std::abs(b - 2.0) + 5.0 * c * c;
  const double area = 40.0 + 12.0 * a + 6.0 * a * c + 20.0 * std::abs(b - 2.0);
  return {{{"latency", latency}, {"area", area}}, Fidelity::analytic, 0.0};
}

std::vector<Objective> objectives() {
  return {{"latency", Sense::minimize}, {"area", Sense::minimize}};
}

struct Fixture {
  Space space = synthetic_space();
  CandidatePool pool{space, space.enumerate()};
};

/// Runs ask/tell until done or budget; returns candidate indices in ask order.
std::vector<std::size_t> run(AtneExplorer& explorer, const CandidatePool& pool, std::size_t batch,
                             std::size_t budget) {
  std::vector<std::size_t> order;
  while (order.size() < budget && !explorer.done()) {
    const auto designs = explorer.ask(batch);
    if (designs.empty()) break;
    for (const Design& d : designs) {
      order.push_back(*pool.index_of(d));
      explorer.tell(Trial{order.size() - 1, d, TrialStatus::complete, evaluate(d), {}, {}});
    }
  }
  return order;
}

std::vector<std::size_t> true_front(const CandidatePool& pool) {
  Eigen::MatrixXd values(static_cast<Eigen::Index>(pool.size()), 2);
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const Metrics m = evaluate(pool.design(i));
    values(static_cast<Eigen::Index>(i), 0) = m.at("latency");
    values(static_cast<Eigen::Index>(i), 1) = m.at("area");
  }
  return pareto_front(values);
}

TEST(AtneExplorer, FindsTheWholeFrontAndStopsByItself) {
  Fixture f;
  const auto front = true_front(f.pool);
  ASSERT_EQ(front.size(), 12u);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    AtneExplorer explorer({&f.pool, objectives(), seed});
    const auto order = run(explorer, f.pool, 1, f.pool.size());
    EXPECT_TRUE(explorer.done()) << "seed " << seed;
    EXPECT_LT(order.size(), f.pool.size() * 7 / 10) << "seed " << seed;  // it eliminated designs
    EXPECT_GT(explorer.eliminated_count(), 0u);
    const std::set<std::size_t> evaluated(order.begin(), order.end());
    EXPECT_EQ(evaluated.size(), order.size());
    for (std::size_t i : front) EXPECT_TRUE(evaluated.count(i)) << "front design " << i << " seed " << seed;
  }
}

TEST(AtneExplorer, IsDeterministicForASeed) {
  Fixture f;
  AtneExplorer first({&f.pool, objectives(), 11}), second({&f.pool, objectives(), 11}),
      other({&f.pool, objectives(), 12});
  const auto a = run(first, f.pool, 1, 60);
  const auto b = run(second, f.pool, 1, 60);
  const auto c = run(other, f.pool, 1, 60);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(first.thresholds(), second.thresholds());
}

TEST(AtneExplorer, BatchAsksReturnDistinctNewDesignsAndStillFindTheFront) {
  Fixture f;
  AtneExplorer explorer({&f.pool, objectives(), 5});
  std::set<std::size_t> seen;
  std::size_t told = 0;
  while (!explorer.done()) {
    const auto designs = explorer.ask(6);
    if (designs.empty()) break;
    EXPECT_LE(designs.size(), 6u);
    for (const Design& d : designs) EXPECT_TRUE(seen.insert(*f.pool.index_of(d)).second);
    for (const Design& d : designs)
      explorer.tell(Trial{told++, d, TrialStatus::complete, evaluate(d), {}, {}});
  }
  for (std::size_t i : true_front(f.pool)) EXPECT_TRUE(seen.count(i)) << "front design " << i;
}

TEST(AtneExplorer, FailedDesignsLeaveTheCandidates) {
  Fixture f;
  AtneExplorer explorer({&f.pool, objectives(), 3});
  std::set<std::size_t> seen;
  std::size_t told = 0, failed = 0;
  while (!explorer.done() && told < f.pool.size()) {
    const auto designs = explorer.ask(1);
    if (designs.empty()) break;
    const Design& d = designs.front();
    EXPECT_TRUE(seen.insert(*f.pool.index_of(d)).second);
    Trial trial{told++, d, TrialStatus::complete, evaluate(d), {}, {}};
    if (d.values[2] == 3) {  // every design with c = 3 fails to build
      trial.status = TrialStatus::failed;
      trial.metrics = {};
      ++failed;
    }
    explorer.tell(trial);
  }
  EXPECT_TRUE(explorer.done());
  EXPECT_GT(failed, 0u);
  EXPECT_TRUE(explorer.ask(1).empty());
}

TEST(AtneExplorer, PermanentEliminationNeverBringsADesignBack) {
  Fixture f;
  AtneOptions paper;
  paper.permanent_elimination = true;
  AtneExplorer explorer({&f.pool, objectives(), 9}, paper);
  std::vector<bool> out(f.pool.size(), false);
  std::size_t told = 0;
  while (!explorer.done()) {
    const auto designs = explorer.ask(1);
    if (designs.empty()) break;
    explorer.tell(Trial{told++, designs.front(), TrialStatus::complete, evaluate(designs.front()), {}, {}});
    for (std::size_t i = 0; i < f.pool.size(); ++i) {
      if (out[i]) {
        EXPECT_TRUE(explorer.is_eliminated(i)) << "design " << i << " came back";
      }
      out[i] = explorer.is_eliminated(i);
    }
  }
  EXPECT_GT(explorer.eliminated_count(), 0u);
}

}  // namespace
}  // namespace codse
