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

/// Runs ask/tell until done or budget, evaluating with `table` (the synthetic one by default);
/// returns candidate indices in ask order.
std::vector<std::size_t> run(AtneExplorer& explorer, const CandidatePool& pool, std::size_t batch,
                             std::size_t budget, Metrics (*table)(const Design&) = evaluate) {
  std::vector<std::size_t> order;
  while (order.size() < budget && !explorer.done()) {
    const auto designs = explorer.ask(batch);
    if (designs.empty()) break;
    for (const Design& d : designs) {
      order.push_back(*pool.index_of(d));
      explorer.tell(Trial{order.size() - 1, d, TrialStatus::complete, table(d), {}, {}});
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

AtneOptions self_stopping() {
  AtneOptions options;
  options.self_stop = true;
  return options;
}

TEST(AtneExplorer, FindsTheWholeFrontAndStopsByItself) {
  Fixture f;
  const auto front = true_front(f.pool);
  ASSERT_EQ(front.size(), 12u);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    AtneExplorer explorer({&f.pool, objectives(), seed}, self_stopping());
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
  AtneOptions paper = self_stopping();  // the paper's rules: asks no eliminated design
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

// Issue 15: TED on the whole pool made the first sample, and most short runs, the same for every
// seed. It now runs on a seeded subset of the pool.
TEST(AtneExplorer, TheSeedVariesTheInitialSample) {
  Fixture f;
  std::set<std::vector<std::size_t>> samples;
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    AtneExplorer explorer({&f.pool, objectives(), seed});
    const auto designs = explorer.ask(10);  // the initial sample: 2% of 200, at least 10
    ASSERT_EQ(designs.size(), 10u);
    std::vector<std::size_t> sample;
    for (const auto& d : designs) sample.push_back(*f.pool.index_of(d));
    std::sort(sample.begin(), sample.end());
    samples.insert(sample);
  }
  EXPECT_EQ(samples.size(), 4u);
}

// Issue 15: by default ATNE does not stop by itself. On this space the front is a lone design the
// neighbourhood does not announce (area 1 where every other design has 100 or more): once the
// models have eliminated everything else, the run must go on rather than stop without it.
TEST(AtneExplorer, DoesNotStopBeforeTheFrontIsFoundByDefault) {
  Fixture f;
  const Design hidden{{5, 8, 3}};
  auto value = [&](const Design& d) {
    Metrics m = evaluate(d);
    if (d == hidden) {
      m.values["area"] = 1.0;
      m.values["latency"] = 1.0;
    }
    return m;
  };
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    AtneExplorer explorer({&f.pool, objectives(), seed});
    std::size_t told = 0;
    bool found = false;
    while (!found) {
      ASSERT_FALSE(explorer.done()) << "seed " << seed << ": stopped after " << told << " without the front";
      const auto designs = explorer.ask(1);
      ASSERT_EQ(designs.size(), 1u) << "seed " << seed;
      found = designs.front() == hidden;
      explorer.tell(Trial{told++, designs.front(), TrialStatus::complete, value(designs.front()), {}, {}});
    }
    EXPECT_LE(told, f.pool.size());
  }
}

// Three objectives, one maximised, one that is 0 for some designs (not log-scaled): the front is
// found (here with the whole pool as budget, self-stopping or not) and no design is asked twice.
TEST(AtneExplorer, ThreeObjectivesMaximisedAndZeros) {
  Fixture f;
  const std::vector<Objective> three{{"throughput", Sense::maximize}, {"area", Sense::minimize}, {"dsp", Sense::minimize}};
  auto value = [](const Design& d) {
    const Metrics m = evaluate(d);
    return Metrics{{{"throughput", 1.0 / m.at("latency")}, {"area", m.at("area")}, {"dsp", std::max(0.0, d.values[2] - 1.0)}},
                   Fidelity::analytic, 0.0};
  };
  Eigen::MatrixXd all(static_cast<Eigen::Index>(f.pool.size()), 3);
  for (std::size_t i = 0; i < f.pool.size(); ++i) {
    const Metrics m = value(f.pool.design(i));
    all.row(static_cast<Eigen::Index>(i)) << -m.at("throughput"), m.at("area"), m.at("dsp");
  }
  const auto front = pareto_front(all);
  for (const bool self_stop : {false, true}) {
    AtneOptions options;
    options.self_stop = self_stop;
    AtneExplorer explorer({&f.pool, three, 4}, options);
    std::set<std::size_t> seen;
    std::size_t told = 0;
    while (!explorer.done()) {
      const auto designs = explorer.ask(2);
      if (designs.empty()) break;
      for (const auto& d : designs) {
        EXPECT_TRUE(seen.insert(*f.pool.index_of(d)).second);
        explorer.tell(Trial{told++, d, TrialStatus::complete, value(d), {}, {}});
      }
    }
    for (std::size_t i : front) EXPECT_TRUE(seen.count(i)) << "front design " << i << " self_stop " << self_stop;
  }
}

/// 7 x 4 x 4 x 4 = 448 designs shaped like vivado_mergesort's front: one knob combination
/// (u1 = 1, u2 = 2, p = 8) is a tiny outlier design at every size, and the small sizes share the
/// lowest latency (a tool's rounding). The front is the outliers of sizes 64 to 1024.
Metrics outlier_table(const Design& d) {
  const double size = d.values[0], u1 = d.values[1], u2 = d.values[2], p = d.values[3];
  const double latency = size <= 64 ? 1.0 : size / 64.0 * (1.0 + 0.2 * (4 - u1)) / (1.0 + 0.1 * u2);
  const bool outlier = u1 == 1 && u2 == 2 && p == 8;
  const double area = outlier ? 16.0 / std::log2(size / 8.0) : 200.0 + 50.0 * u1 * u2 + 10.0 * p;
  return {{{"latency", latency}, {"area", area}}, Fidelity::analytic, 0.0};
}

// Once the first outlier (lowest latency, area 5.3) is evaluated, a quantile of tree predictions
// cannot go below it, and every design tied with it on latency ranked first: ATNE ranked that way
// missed part of this front at 134 evaluations in 10 seeds of 10 (mean krg ADRS 47%). The expected
// improvement under the trees' spread finds all of it (bench: 10 of 10 seeds).
TEST(AtneExplorer, FindsAFrontOfOutliersBehindATiedFloor) {
  const Space space({Knob::power_of_two("size", 16, 1024), Knob::integer("u1", 1, 4), Knob::integer("u2", 1, 4),
                     Knob::power_of_two("p", 2, 16)});
  const CandidatePool pool(space, space.enumerate());
  ASSERT_EQ(pool.size(), 448U);
  std::set<std::size_t> front;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const auto& v = pool.design(i).values;
    if (v[1] == 1 && v[2] == 2 && v[3] == 8 && v[0] >= 64) front.insert(i);
  }
  ASSERT_EQ(front.size(), 5U);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    AtneExplorer explorer({&pool, objectives(), seed});
    const auto order = run(explorer, pool, 1, 134, outlier_table);
    ASSERT_EQ(order.size(), 134U);
    const std::set<std::size_t> asked(order.begin(), order.end());
    ASSERT_EQ(asked.size(), 134U);  // no design asked twice
    for (const auto r : front) EXPECT_TRUE(asked.count(r)) << "seed " << seed << ": front design " << space.describe(pool.design(r));
  }
}

}  // namespace
}  // namespace codse
