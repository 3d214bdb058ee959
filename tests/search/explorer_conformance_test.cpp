// One parametrized suite run over every registered explorer (as Optuna runs one test suite over
// every sampler): what each explorer must do, whatever its algorithm.
//   - with the whole table as budget it finds the exact Pareto front of a synthetic table;
//   - with a partial budget it asks only distinct designs of the pool, and the same ones for a seed;
//   - a study resumed from a journal evaluates in the order of one uninterrupted run;
//   - options by name are checked: unknown keys, wrong types and out-of-range values are refused
//     with InputError naming the key; the declared defaults are the typed options' defaults.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/error.hpp"
#include "core/table_space.hpp"
#include "core/trial_journal.hpp"
#include "search/atne_explorer.hpp"
#include "search/epal_explorer.hpp"
#include "search/evaluator.hpp"
#include "search/explorer_registry.hpp"
#include "search/nsga2_explorer.hpp"
#include "search/study.hpp"

namespace codse {
namespace {

// The synthetic table: knobs a in 1..20, b in 1..15 (300 rows). latency = 1000 / a + 10 (b - 5)^2
// is minimised, efficiency = 1000 - 10 a - (b - 5)^2 maximised. At b = 5 both penalties vanish, so
// (a, 5) strictly dominates every (a, b != 5), and along b = 5 latency falls as efficiency falls:
// the front is exactly the 20 designs with b = 5.
constexpr int a_values = 20, b_values = 15, front_b = 5;

double latency_of(int a, int b) { return 1000.0 / a + 10.0 * (b - front_b) * (b - front_b); }
double efficiency_of(int a, int b) { return 1000.0 - 10.0 * a - (b - front_b) * (b - front_b); }

const TableSpace& synthetic_table() {
  static const TableSpace table = [] {
    const auto path = std::filesystem::path(::testing::TempDir()) /
                      ("codse_explorer_conformance_" + std::to_string(::getpid()) + ".csv");
    {
      std::ofstream out(path);
      out << "knob_a,knob_b,latency,efficiency\n";
      // Rows in a scrambled order, so that no explorer is helped by the row order.
      for (int r = 0; r < a_values * b_values; ++r) {
        const int cell = (r * 97) % (a_values * b_values);  // 97 is prime to 300: a permutation
        const int a = 1 + cell / b_values, b = 1 + cell % b_values;
        out << a << ',' << b << ',' << latency_of(a, b) << ',' << efficiency_of(a, b) << '\n';
      }
    }
    auto loaded = TableSpace::load(path, "knob_*");
    std::filesystem::remove(path);
    return loaded;
  }();
  return table;
}

const CandidatePool& synthetic_pool() {
  static const CandidatePool pool(synthetic_table().space(), synthetic_table().designs());
  return pool;
}

std::vector<Objective> objectives() { return {{"latency", Sense::minimize}, {"efficiency", Sense::maximize}}; }

/// Minimised values of a design of the table: (latency, -efficiency).
std::pair<double, double> minimised(const Design& design) {
  const auto row = *synthetic_table().find(design);
  return {synthetic_table().column("latency")[row], -synthetic_table().column("efficiency")[row]};
}

/// Design keys of the non-dominated designs among `designs` (plain pairwise dominance).
std::set<std::uint64_t> front_keys(const std::vector<Design>& designs) {
  std::set<std::uint64_t> keys;
  for (const auto& d : designs) {
    const auto [l, e] = minimised(d);
    bool dominated = false;
    for (const auto& other : designs) {
      const auto [lo, eo] = minimised(other);
      if (lo <= l && eo <= e && (lo < l || eo < e)) dominated = true;
    }
    if (!dominated) keys.insert(design_key(d));
  }
  return keys;
}

/// A table lookup that counts its evaluations.
struct CountingEvaluator final : Evaluator {
  TableEvaluator table{synthetic_table()};
  std::size_t calls = 0;
  Metrics evaluate(const Design& design) override {
    ++calls;
    return table.evaluate(design);
  }
};

std::vector<Trial> run_study(const std::string& name, std::uint64_t seed, StudyOptions options,
                             TrialJournal& journal, CountingEvaluator& evaluator,
                             const ExplorerOptions& explorer_options = {}) {
  auto explorer = make_explorer(name, {&synthetic_pool(), objectives(), seed}, explorer_options);
  return Study(*explorer, evaluator, journal, options).run();
}

std::vector<Trial> run_study(const std::string& name, std::uint64_t seed, StudyOptions options,
                             const ExplorerOptions& explorer_options = {}) {
  MemoryJournal journal;
  CountingEvaluator evaluator;
  return run_study(name, seed, options, journal, evaluator, explorer_options);
}

std::vector<std::uint64_t> keys(const std::vector<Trial>& trials) {
  std::vector<std::uint64_t> list;
  for (const auto& trial : trials) list.push_back(design_key(trial.design));
  return list;
}

/// Checks what every run must satisfy: trials numbered in order, complete, distinct pool designs.
void expect_valid_and_distinct(const std::vector<Trial>& trials) {
  std::set<std::uint64_t> seen;
  for (std::size_t i = 0; i < trials.size(); ++i) {
    EXPECT_EQ(trials[i].number, i);
    EXPECT_EQ(trials[i].status, TrialStatus::complete) << trials[i].error;
    EXPECT_TRUE(synthetic_pool().index_of(trials[i].design).has_value()) << "trial " << i << " is not in the pool";
    EXPECT_TRUE(seen.insert(design_key(trials[i].design)).second) << "trial " << i << " repeats a design";
  }
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  return "(no InputError)";
}

TEST(ExplorerConformanceTable, HasTheKnownFront) {
  ASSERT_EQ(synthetic_table().size(), 300u);
  const auto front = front_keys(synthetic_table().designs());
  std::set<std::uint64_t> expected;
  for (int a = 1; a <= a_values; ++a)
    expected.insert(design_key(Design{{static_cast<double>(a), static_cast<double>(front_b)}}));
  EXPECT_EQ(front.size(), 20u);
  EXPECT_EQ(front, expected);
}

class ExplorerConformance : public ::testing::TestWithParam<std::string> {
 protected:
  const ExplorerEntry& entry() const { return explorer_entry(GetParam()); }
};

TEST_P(ExplorerConformance, IsRegisteredUnderItsName) {
  const auto explorer = make_explorer(GetParam(), {&synthetic_pool(), objectives(), 1});
  EXPECT_EQ(explorer->name(), GetParam());
  EXPECT_EQ(entry().name, GetParam());
  EXPECT_FALSE(entry().description.empty());
  EXPECT_EQ(entry().description.find('\n'), std::string::npos) << "one line";
  std::set<std::string> keys;
  for (const auto& option : entry().options) {
    EXPECT_TRUE(keys.insert(option.key).second) << "option " << option.key << " declared twice";
    EXPECT_FALSE(option.help.empty()) << option.key;
    // The declared default is accepted by its own check.
    EXPECT_NO_THROW(option.check(GetParam(), option.default_value)) << option.describe();
  }
}

TEST_P(ExplorerConformance, WholeTableBudgetFindsTheExactFront) {
  const auto table_size = synthetic_table().size();
  const auto trials = run_study(GetParam(), 3, {table_size, 1});
  expect_valid_and_distinct(trials);
  ASSERT_LE(trials.size(), table_size);
  std::vector<Design> evaluated;
  for (const auto& trial : trials) evaluated.push_back(trial.design);
  EXPECT_EQ(front_keys(evaluated), front_keys(synthetic_table().designs()))
      << GetParam() << " evaluated " << trials.size() << " designs";
}

TEST_P(ExplorerConformance, PartialBudgetAsksValidDistinctDesignsDeterministically) {
  for (const std::size_t batch : {1u, 4u}) {
    const auto trials = run_study(GetParam(), 5, {37, batch});
    expect_valid_and_distinct(trials);
    EXPECT_EQ(trials.size(), 37u) << "batch " << batch << ": 300 designs, none stops before 37";
    EXPECT_EQ(keys(run_study(GetParam(), 5, {37, batch})), keys(trials)) << "same seed, same designs";
  }
}

// A killed run leaves a journal holding the trials finished so far. A fresh explorer and study on
// that journal, with a larger budget, replay it and continue exactly as one uninterrupted run.
TEST_P(ExplorerConformance, ResumedStudyFollowsTheUninterruptedOrder) {
  const std::size_t batch = 3, budget = 90;
  MemoryJournal full_journal;
  CountingEvaluator full_evaluator;
  const auto uninterrupted = run_study(GetParam(), 11, {budget, batch}, full_journal, full_evaluator);
  const auto total = uninterrupted.size();  // epal decides this table's front before 90
  ASSERT_GT(total, 53u);
  EXPECT_EQ(full_evaluator.calls, total);

  // Stopped at a budget, then extended.
  MemoryJournal journal;
  CountingEvaluator first_evaluator;
  const auto first = run_study(GetParam(), 11, {40, batch}, journal, first_evaluator);
  ASSERT_EQ(first.size(), 40u);
  EXPECT_EQ(first_evaluator.calls, 40u);
  CountingEvaluator resumed_evaluator;
  auto explorer = make_explorer(GetParam(), {&synthetic_pool(), objectives(), 11});
  Study resumed_study(*explorer, resumed_evaluator, journal, {budget, batch});
  const auto resumed = resumed_study.run();
  EXPECT_EQ(keys(resumed), keys(uninterrupted));
  EXPECT_EQ(resumed_study.replayed_count(), 40u);
  EXPECT_EQ(resumed_evaluator.calls, total - 40) << "no recorded design evaluated again";
  EXPECT_EQ(journal.trials().size(), total);

  // Killed in the middle of a batch: trials 0..52 recorded (53 is not a multiple of 3), the rest
  // of that batch lost.
  MemoryJournal killed;
  for (std::size_t i = 0; i < 53; ++i) killed.record(uninterrupted[i]);
  CountingEvaluator after_kill_evaluator;
  const auto after_kill = run_study(GetParam(), 11, {budget, batch}, killed, after_kill_evaluator);
  EXPECT_EQ(keys(after_kill), keys(uninterrupted));
  EXPECT_EQ(after_kill_evaluator.calls, total - 53);
}

TEST_P(ExplorerConformance, RefusesAnUnknownOption) {
  const auto message = message_of([&] {
    make_explorer(GetParam(), {&synthetic_pool(), objectives(), 1}, ExplorerOptions().set("no_such_option", 3));
  });
  EXPECT_NE(message.find("explorer '" + GetParam() + "' has no option 'no_such_option'"), std::string::npos)
      << message;
  if (entry().options.empty()) {
    EXPECT_NE(message.find("it takes no options"), std::string::npos) << message;
  }
  for (const auto& option : entry().options)
    EXPECT_NE(message.find(option.key), std::string::npos) << "lists " << option.key << ": " << message;
}

/// A value of another type than the option's.
OptionValue wrong_type(const OptionSpec& option) {
  switch (option.type) {
    case OptionType::count: return 2.5;
    case OptionType::real: return true;
    case OptionType::flag: return std::int64_t{1};
  }
  return {};
}

ExplorerOptions with(const std::string& key, const OptionValue& value) {
  ExplorerOptions options;
  std::visit([&](auto given) { options.set(key, given); }, value);
  return options;
}

TEST_P(ExplorerConformance, RefusesIllTypedAndOutOfRangeValues) {
  const ExplorerSetup setup{&synthetic_pool(), objectives(), 1};
  for (const auto& option : entry().options) {
    const auto expect_refused = [&](const OptionValue& value) {
      const auto message = message_of([&] { make_explorer(GetParam(), setup, with(option.key, value)); });
      EXPECT_NE(message.find("explorer '" + GetParam() + "': option '" + option.key + "' takes"), std::string::npos)
          << to_string(value) << ": " << message;
    };
    expect_refused(wrong_type(option));
    if (option.type == OptionType::flag) continue;
    if (option.type == OptionType::count) expect_refused(std::int64_t{-1});
    if (option.type == OptionType::real) expect_refused(std::numeric_limits<double>::quiet_NaN());
    const auto& range = option.range;
    const auto outside = [&](double end, bool open, double step) -> OptionValue {
      const double value = open ? end : end + step;
      if (option.type == OptionType::count) return static_cast<std::int64_t>(value);
      return value;
    };
    if (std::isfinite(range.low)) expect_refused(outside(range.low, range.low_open, -1.0));
    if (std::isfinite(range.high)) expect_refused(outside(range.high, range.high_open, option.type == OptionType::count ? 1.0 : 1e-9));
  }
}

// Every option given at its declared default builds the default explorer: the same designs in
// the same order as no options at all.
TEST_P(ExplorerConformance, DeclaredDefaultsAreTheTypedDefaults) {
  ExplorerOptions defaults;
  for (const auto& option : entry().options)
    std::visit([&](auto value) { defaults.set(option.key, value); }, option.default_value);
  EXPECT_EQ(keys(run_study(GetParam(), 7, {30, 2}, defaults)), keys(run_study(GetParam(), 7, {30, 2})));
}

INSTANTIATE_TEST_SUITE_P(Registered, ExplorerConformance, ::testing::ValuesIn(explorer_names()),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

TEST(ExplorerRegistry, NamesAreTheEntriesAndUnique) {
  std::set<std::string> unique(explorer_names().begin(), explorer_names().end());
  EXPECT_EQ(unique.size(), explorer_names().size());
  ASSERT_EQ(explorer_entries().size(), explorer_names().size());
  for (std::size_t i = 0; i < explorer_names().size(); ++i) EXPECT_EQ(explorer_entries()[i].name, explorer_names()[i]);
  for (const char* name : {"random", "grid", "nsga2", "atne", "epal"}) EXPECT_TRUE(unique.count(name)) << name;
}

TEST(ExplorerRegistry, RefusesAnUnknownExplorerListingTheKnownOnes) {
  const auto message = message_of([] { make_explorer("annealing", {&synthetic_pool(), objectives(), 1}); });
  EXPECT_NE(message.find("unknown explorer 'annealing' (known: " + explorer_name_list() + ")"), std::string::npos)
      << message;
  EXPECT_EQ(find_explorer("annealing"), nullptr);
}

// Options by name reach the typed options: the registry's explorer equals the one built from the
// typed struct directly (the synthesis fidelity sets initial_samples this way).
TEST(ExplorerRegistry, OptionsByNameEqualTheTypedOptions) {
  const ExplorerSetup setup{&synthetic_pool(), objectives(), 4};
  const auto order = [](Explorer& explorer) {
    MemoryJournal journal;
    CountingEvaluator evaluator;
    return keys(Study(explorer, evaluator, journal, {25, 1}).run());
  };
  AtneOptions atne;
  atne.initial_samples = 6;
  atne.ensemble.forests = 3;
  atne.threshold_quantile = 0.6;
  AtneExplorer typed_atne(setup, atne);
  const auto named_atne = make_explorer(
      "atne", setup, ExplorerOptions().set("initial_samples", 6).set("forests", 3).set("threshold_quantile", 0.6));
  EXPECT_EQ(order(*named_atne), order(typed_atne));

  EpalOptions epal;
  epal.initial_samples = 6;
  epal.epsilon = 0.05;
  epal.intersect = true;
  EpalExplorer typed_epal(setup, epal);
  const auto named_epal = make_explorer(
      "epal", setup, ExplorerOptions().set("initial_samples", std::size_t{6}).set("epsilon", 0.05).set("intersect", true));
  EXPECT_EQ(order(*named_epal), order(typed_epal));

  const auto nsga2 = make_explorer("nsga2", setup, ExplorerOptions().set("population_size", 4));
  EXPECT_EQ(dynamic_cast<const Nsga2Explorer&>(*nsga2).population_size(), 4u);
  // A whole number is a real: crossover_probability 1 is 1.0.
  Nsga2Explorer typed_nsga2(setup, Nsga2Options{.population_size = 10, .crossover_probability = 1.0});
  const auto named_nsga2 = make_explorer("nsga2", setup, ExplorerOptions().set("crossover_probability", 1));
  EXPECT_EQ(order(*named_nsga2), order(typed_nsga2));
}

}  // namespace
}  // namespace codse
