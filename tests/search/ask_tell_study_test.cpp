#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/trial_journal.hpp"
#include "search/ask_tell_study.hpp"
#include "search/study.hpp"

namespace codse {
namespace {

Space square() { return Space({Knob::integer("a", 0, 11), Knob::integer("b", 0, 11)}); }

std::vector<Objective> objectives() { return {{"cost", Sense::minimize}, {"latency", Sense::minimize}}; }

Metrics measure(const Design& d) {
  return {{{"cost", 1 + d.values[0] + 2 * d.values[1]}, {"latency", 100.0 / (1 + d.values[0] * d.values[1])}},
          Fidelity::analytic, 0.0};
}

struct FunctionEvaluator final : Evaluator {
  Metrics evaluate(const Design& d) override { return measure(d); }
};

/// The designs' values (vectors of numbers print readably when a test fails).
std::vector<std::vector<double>> designs(const std::vector<Trial>& trials) {
  std::vector<std::vector<double>> list;
  for (const auto& t : trials) list.push_back(t.design.values);
  return list;
}

/// The caller's loop of an ask-and-tell user: ask, evaluate, tell, to a budget.
std::vector<Trial> ask_and_tell(AskTellStudy& study, std::size_t budget) {
  // A batch asked within the budget is handed out whole, also when its last design reaches it.
  while (study.asked_count() < budget || study.has_unasked()) {
    const auto asked = study.ask(budget - study.asked_count());
    if (!asked) break;
    study.tell(asked->number, measure(asked->design));
  }
  return study.trials();
}

// The same explorer, seed and batch evaluate the same designs in the same order whether Study
// calls the evaluator or a caller does (what keeps Python's codse.Study and `codse dse` equal).
TEST(AskTellStudy, AsksWhatStudyRunEvaluatesInTheSameOrder) {
  const CandidatePool pool(square(), square().enumerate());
  for (const std::string name : {"atne", "nsga2", "epal"}) {
    for (std::size_t batch : {1u, 3u}) {
      auto run_explorer = make_explorer(name, {&pool, objectives(), 5});
      FunctionEvaluator evaluator;
      MemoryJournal run_journal;
      const auto ran = Study(*run_explorer, evaluator, run_journal, {40, batch}).run();

      auto explorer = make_explorer(name, {&pool, objectives(), 5});
      MemoryJournal journal;
      AskTellStudy study(*explorer, journal, batch);
      const auto asked = ask_and_tell(study, 40);
      EXPECT_EQ(designs(asked), designs(ran)) << name << " batch " << batch;
      EXPECT_EQ(journal.trials().size(), asked.size());
    }
  }
}

TEST(AskTellStudy, ResumesAJournalCutInsideABatch) {
  const CandidatePool pool(square(), square().enumerate());
  auto full_explorer = make_explorer("atne", {&pool, objectives(), 2});
  MemoryJournal full_journal;
  AskTellStudy full(*full_explorer, full_journal, 4);
  const auto uninterrupted = ask_and_tell(full, 30);
  ASSERT_EQ(uninterrupted.size(), 30u);

  for (std::size_t kept : {0u, 5u, 8u, 29u}) {
    MemoryJournal journal;
    for (std::size_t i = 0; i < kept; ++i) journal.record(uninterrupted[i]);
    auto explorer = make_explorer("atne", {&pool, objectives(), 2});
    AskTellStudy study(*explorer, journal, 4);
    EXPECT_EQ(study.replayed_count(), kept);
    EXPECT_EQ(designs(ask_and_tell(study, 30)), designs(uninterrupted)) << "kept " << kept;
  }
}

TEST(AskTellStudy, RefusesATrialToldTwiceOrNeverAsked) {
  const CandidatePool pool(square(), square().enumerate());
  auto explorer = make_explorer("random", {&pool, objectives(), 1});
  MemoryJournal journal;
  AskTellStudy study(*explorer, journal, 2);
  const auto first = study.ask();
  ASSERT_TRUE(first);
  EXPECT_THROW(study.tell(7, measure(first->design)), InputError);
  study.tell(first->number, measure(first->design));
  try {
    study.tell(first->number, measure(first->design));
    FAIL() << "a second tell of the same trial was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("already told"), std::string::npos) << e.what();
  }
  EXPECT_EQ(journal.trials().size(), 1u);
}

TEST(AskTellStudy, AsksNoMoreThanABatchBeforeItIsTold) {
  const CandidatePool pool(square(), square().enumerate());
  auto explorer = make_explorer("random", {&pool, objectives(), 1});
  MemoryJournal journal;
  AskTellStudy study(*explorer, journal, 2);
  const auto a = study.ask();
  const auto b = study.ask();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(study.pending(), (std::vector<std::size_t>{0, 1}));
  EXPECT_THROW(study.ask(), InputError);
  study.tell_failed(b->number, "synthesis timed out");
  study.tell(a->number, measure(a->design));
  EXPECT_EQ(study.trials()[1].status, TrialStatus::failed);
  EXPECT_EQ(study.trials()[1].error, "synthesis timed out");
  EXPECT_TRUE(study.ask());
}

TEST(AskTellStudy, RefusesAJournalOfAnotherSeed) {
  const CandidatePool pool(square(), square().enumerate());
  MemoryJournal journal;
  {
    auto explorer = make_explorer("random", {&pool, objectives(), 1});
    AskTellStudy study(*explorer, journal);
    ask_and_tell(study, 5);
  }
  auto other = make_explorer("random", {&pool, objectives(), 2});
  EXPECT_THROW(AskTellStudy(*other, journal), InputError);
}

}  // namespace
}  // namespace codse
