#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/front_scorer.hpp"
#include "core/table_space.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::TempDir;

/// Expects fn to throw InputError whose message contains every one of parts.
template <typename Fn>
void expect_input_error(Fn fn, std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    for (const auto& part : parts) EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

TEST(TableSpace, LoadsKnobsAndMetrics) {
  TempDir dir;
  const auto path = dir.write("t.csv", "n,knob_a,knob_b,obj1,obj2\n0,1,4,2.5,10\n1,2,4,1.5,20\n2,1,8,3.0,5\n");
  const auto table = TableSpace::load(path, "knob_*");
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.space().dimension(), 2u);
  EXPECT_EQ(table.space().knobs()[1].values(), (std::vector<double>{4, 8}));
  EXPECT_EQ(table.metric_names(), (std::vector<std::string>{"n", "obj1", "obj2"}));
  EXPECT_EQ(table.metrics(1).at("obj2"), 20.0);
  EXPECT_EQ(table.find(Design{{1, 8}}), 2u);
  EXPECT_FALSE(table.find(Design{{2, 8}}).has_value());
  EXPECT_EQ(TableSpace::load(path, "knob_b, knob_a").space().dimension(), 2u);
}

TEST(TableSpace, BadInputNamesFileLineAndColumn) {
  TempDir dir;
  expect_input_error([&] { TableSpace::load(dir / "missing.csv", "knob_*"); }, {"missing.csv", "cannot open"});
  const auto empty = dir.write("empty.csv", "");
  expect_input_error([&] { TableSpace::load(empty, "knob_*"); }, {"empty.csv", "empty"});
  const auto header_only = dir.write("header.csv", "knob_a,obj1\n");
  expect_input_error([&] { TableSpace::load(header_only, "knob_*"); }, {"header.csv", "no data rows"});
  const auto ragged = dir.write("ragged.csv", "knob_a,obj1\n1,2\n3\n");
  expect_input_error([&] { TableSpace::load(ragged, "knob_*"); }, {"ragged.csv:3", "1 fields"});
  const auto text = dir.write("text.csv", "knob_a,obj1\n1,2\nfour,3\n");
  expect_input_error([&] { TableSpace::load(text, "knob_*"); }, {"text.csv:3", "knob_a", "'four'"});
  const auto duplicate = dir.write("dup.csv", "knob_a,obj1\n1,2\n2,3\n1,4\n");
  expect_input_error([&] { TableSpace::load(duplicate, "knob_*"); }, {"dup.csv:4", "line 2"});
  const auto good = dir.write("good.csv", "knob_a,obj1,note\n1,2,x\n2,3,y\n");
  expect_input_error([&] { TableSpace::load(good, "param_*"); }, {"good.csv", "param_*", "knob_a"});
  const auto table = TableSpace::load(good, "knob_a");
  expect_input_error([&] { table.require_numeric("obj9"); }, {"good.csv", "obj9", "obj1"});
  expect_input_error([&] { table.require_numeric("note"); }, {"good.csv:2", "note"});
  EXPECT_NO_THROW(table.require_numeric("obj1"));
}

// Issue 17, defect 18: a header naming one column twice was reported as "space: knob knob_a
// appears twice", without the file.
TEST(TableSpace, HeaderErrorsNameFileLineAndColumn) {
  TempDir dir;
  const auto twice = dir.write("twice.csv", "n,knob_a,knob_a,obj1\n0,1,2,3\n");
  expect_input_error([&] { TableSpace::load(twice, "knob_*"); }, {"twice.csv:1", "knob_a", "columns 2 and 3"});
  const auto metric_twice = dir.write("metric_twice.csv", "knob_a,obj1,obj1\n1,2,3\n");
  expect_input_error([&] { TableSpace::load(metric_twice, "knob_*"); }, {"metric_twice.csv:1", "obj1", "columns 2 and 3"});
  const auto unnamed = dir.write("unnamed.csv", "knob_a,,obj1\n1,2,3\n");
  expect_input_error([&] { TableSpace::load(unnamed, "knob_*"); }, {"unnamed.csv:1:2", "column 2", "no name"});
  const auto inf = dir.write("inf.csv", "knob_a,obj1\n1,2\ninf,3\n");
  expect_input_error([&] { TableSpace::load(inf, "knob_*"); }, {"inf.csv:3:1", "knob_a", "finite"});
}

TEST(FrontScorer, PerfectWhenEveryDesignIsEvaluated) {
  TempDir dir;
  const auto path = dir.write(
      "t.csv", "knob_a,obj1,obj2\n1,1,9\n2,2,8\n3,3,3\n4,4,4\n5,9,1\n6,5,5\n");
  const auto table = TableSpace::load(path, "knob_*");
  const std::vector<Objective> objectives{{"obj1", Sense::minimize}, {"obj2", Sense::minimize}};
  const FrontScorer scorer(objective_matrix(table, objectives), objectives);
  EXPECT_EQ(scorer.true_front(), (std::vector<std::size_t>{0, 1, 2, 4}));
  const auto all = scorer.score({0, 1, 2, 3, 4, 5});
  EXPECT_EQ(all.adrs_krg, 0.0);
  EXPECT_EQ(all.adrs_classic, 0.0);
  EXPECT_EQ(all.adrs_range, 0.0);
  EXPECT_DOUBLE_EQ(all.hypervolume_ratio, 1.0);
  // Missing (3,3): its nearest evaluated design is (2,8) or (4,4); krg: max(0, 1-3/4) = 0.25 via
  // (4,4); averaged over the 4 front points -> 0.0625.
  const auto partial = scorer.score({0, 1, 3, 4});
  ASSERT_TRUE(partial.adrs_krg.has_value());
  EXPECT_NEAR(*partial.adrs_krg, 0.0625, 1e-12);
  EXPECT_LT(partial.hypervolume_ratio, 1.0);
}

// Issue 17, defect 2: an objective that is 0 for some designs (dsp:min on vivado_histogram) made
// scoring throw after the whole search. The forms that are defined are reported, the others are
// empty with the reason, and asking for one of them names it.
TEST(FrontScorer, ZeroObjectiveValuesLeaveOnlyTheUndefinedFormsOut) {
  TempDir dir;
  const auto path = dir.write("t.csv", "knob_a,dsp,obj2,gain\n1,0,9,1\n2,2,8,0\n3,3,3,2\n4,0,4,3\n5,1,1,1\n");
  const auto table = TableSpace::load(path, "knob_*");
  const std::vector<Objective> minimised{{"dsp", Sense::minimize}, {"obj2", Sense::minimize}};
  const FrontScorer scorer(objective_matrix(table, minimised), minimised);
  ASSERT_TRUE(scorer.undefined(AdrsForm::krg).has_value());
  EXPECT_NE(scorer.undefined(AdrsForm::krg)->find("dsp:min is 0 in row 0"), std::string::npos) << *scorer.undefined(AdrsForm::krg);
  ASSERT_TRUE(scorer.undefined(AdrsForm::classic).has_value());  // divides by the front's dsp = 0
  EXPECT_FALSE(scorer.undefined(AdrsForm::range).has_value());
  const auto all = scorer.score({0, 1, 2, 3, 4});
  EXPECT_FALSE(all.adrs_krg.has_value());
  EXPECT_FALSE(all.adrs_classic.has_value());
  EXPECT_EQ(all.adrs_range, 0.0);
  EXPECT_DOUBLE_EQ(all.hypervolume_ratio, 1.0);
  const auto some = scorer.score({1, 2});
  EXPECT_GT(some.adrs_range, 0.0);
  EXPECT_LT(some.hypervolume_ratio, 1.0);
  expect_input_error([&] { (void)scorer.adrs(AdrsForm::krg, {1, 2}); }, {"ADRS krg", "dsp:min"});
  // A maximised objective with zeros off the true front: krg divides only by the front's values.
  const std::vector<Objective> gain{{"obj2", Sense::minimize}, {"gain", Sense::maximize}};
  const FrontScorer gain_scorer(objective_matrix(table, gain), gain);
  EXPECT_FALSE(gain_scorer.undefined(AdrsForm::krg).has_value());
  EXPECT_TRUE(gain_scorer.undefined(AdrsForm::classic).has_value());  // 1/x of gain = 0
  EXPECT_TRUE(gain_scorer.score({0, 2, 3}).adrs_krg.has_value());
}

}  // namespace
}  // namespace codse
