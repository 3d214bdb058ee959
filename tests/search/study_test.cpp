#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/trial_journal.hpp"
#include "search/grid_explorer.hpp"
#include "search/random_explorer.hpp"
#include "search/study.hpp"

namespace codse {
namespace {

/// A 6x6x6 space evaluated by a known function, counting evaluations.
struct CountingEvaluator final : Evaluator {
  int calls = 0;
  Metrics evaluate(const Design& d) override {
    ++calls;
    if (d.values[0] == 5 && d.values[1] == 5) throw std::runtime_error("does not fit");
    return {{{"cost", d.values[0] + d.values[1] + d.values[2]},
             {"latency", 100.0 / (1 + d.values[0] * d.values[1])}},
            Fidelity::analytic, 0.0};
  }
};

Space cube() {
  return Space({Knob::integer("a", 0, 5), Knob::integer("b", 0, 5), Knob::integer("c", 0, 5)});
}

std::vector<Objective> objectives() { return {{"cost", Sense::minimize}, {"latency", Sense::minimize}}; }

std::vector<std::uint64_t> keys(const std::vector<Trial>& trials) {
  std::vector<std::uint64_t> list;
  for (const auto& t : trials) list.push_back(design_key(t.design));
  return list;
}

TEST(Study, RunsToBudgetAndRecordsFailures) {
  const CandidatePool pool(cube(), cube().enumerate());
  RandomExplorer explorer({&pool, objectives(), 7});
  CountingEvaluator evaluator;
  MemoryJournal journal;
  Study study(explorer, evaluator, journal, {150, 4});
  const auto trials = study.run();
  ASSERT_EQ(trials.size(), 150u);
  EXPECT_EQ(evaluator.calls, 150);
  EXPECT_EQ(journal.trials().size(), 150u);
  std::size_t failed = 0;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    EXPECT_EQ(trials[i].number, i);
    failed += trials[i].status == TrialStatus::failed;
    if (trials[i].status == TrialStatus::failed) {
      EXPECT_EQ(trials[i].error, "does not fit");
    }
  }
  EXPECT_LE(failed, 6u);  // the six designs with a = b = 5
}

TEST(Study, StopsWhenTheExplorerRunsOut) {
  const CandidatePool pool(cube(), cube().enumerate());
  GridExplorer explorer({&pool, objectives(), 0});
  CountingEvaluator evaluator;
  MemoryJournal journal;
  Study study(explorer, evaluator, journal, {1000, 5});
  EXPECT_EQ(study.run().size(), 216u);
  EXPECT_TRUE(explorer.done());
}

// What a kill leaves behind is a journal holding some prefix of the trials (and, with batches, part
// of a batch). Resuming must evaluate exactly the rest and end with the uninterrupted order.
TEST(Study, ResumeFromAPartialJournalContinuesTheSameRun) {
  const CandidatePool pool(cube(), cube().enumerate());
  CountingEvaluator full_evaluator;
  MemoryJournal full_journal;
  RandomExplorer full_explorer({&pool, objectives(), 3});
  const auto uninterrupted = Study(full_explorer, full_evaluator, full_journal, {60, 4}).run();

  for (std::size_t kept : {0u, 1u, 13u, 59u, 60u}) {
    MemoryJournal journal;
    for (std::size_t i = 0; i < kept; ++i) journal.record(uninterrupted[i]);
    RandomExplorer explorer({&pool, objectives(), 3});
    CountingEvaluator evaluator;
    Study study(explorer, evaluator, journal, {60, 4});
    const auto resumed = study.run();
    EXPECT_EQ(keys(resumed), keys(uninterrupted)) << "kept " << kept;
    EXPECT_EQ(study.replayed_count(), kept);
    EXPECT_EQ(static_cast<std::size_t>(evaluator.calls), 60 - kept) << "no design evaluated twice";
  }
}

TEST(Study, ResumeWithOtherSettingsIsRefused) {
  const CandidatePool pool(cube(), cube().enumerate());
  CountingEvaluator evaluator;
  MemoryJournal journal;
  RandomExplorer first({&pool, objectives(), 1});
  Study(first, evaluator, journal, {10, 1}).run();
  RandomExplorer other_seed({&pool, objectives(), 2});
  EXPECT_THROW(Study(other_seed, evaluator, journal, {20, 1}).run(), InputError);
}

TEST(Study, RejectsAZeroBudget) {
  const CandidatePool pool(cube(), cube().enumerate());
  RandomExplorer explorer({&pool, objectives(), 1});
  CountingEvaluator evaluator;
  MemoryJournal journal;
  EXPECT_THROW(Study(explorer, evaluator, journal, {0, 1}), InputError);
}

TEST(GridExplorer, CoarseToFineOrder) {
  EXPECT_EQ(GridExplorer::refinement_level(0, 9), 0u);
  EXPECT_EQ(GridExplorer::refinement_level(8, 9), 0u);
  EXPECT_EQ(GridExplorer::refinement_level(4, 9), 1u);
  EXPECT_EQ(GridExplorer::refinement_level(2, 9), 2u);
  EXPECT_EQ(GridExplorer::refinement_level(6, 9), 2u);
  EXPECT_EQ(GridExplorer::refinement_level(1, 9), 3u);
  const CandidatePool pool(cube(), cube().enumerate());
  GridExplorer explorer({&pool, objectives(), 0});
  // The first 8 designs are the corners of the cube.
  for (const auto& design : explorer.ask(8))
    for (double v : design.values) EXPECT_TRUE(v == 0 || v == 5);
}

TEST(RandomExplorer, DeterministicAndNeverRepeats) {
  const CandidatePool pool(cube(), cube().enumerate());
  RandomExplorer a({&pool, objectives(), 42}), b({&pool, objectives(), 42}), c({&pool, objectives(), 43});
  const auto first = a.ask(216);
  EXPECT_EQ(first, b.ask(216));
  EXPECT_NE(first, c.ask(216));
  EXPECT_TRUE(a.ask(5).empty());
}

TEST(CandidatePool, FeaturesScaleMultiplicativeKnobsByLog2) {
  Space space({Knob::power_of_two("pe", 1, 16), Knob::integer("bits", 2, 4)});
  const CandidatePool pool(space, space.enumerate());
  // pe=4 is log2 4 / log2 16 = 0.5; bits spans 2..4 (less than 8x): linear, bits=3 -> 0.5.
  const auto i = *pool.index_of(Design{{4, 3}});
  EXPECT_DOUBLE_EQ(pool.features()(static_cast<Eigen::Index>(i), 0), 0.5);
  EXPECT_DOUBLE_EQ(pool.features()(static_cast<Eigen::Index>(i), 1), 0.5);
}

}  // namespace
}  // namespace codse
