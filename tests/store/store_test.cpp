#include "store/store.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <random>
#include <stdexcept>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "store/sqlite.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

/// Bitwise equality, so that 0.0 vs -0.0 and the last bit of a mantissa count (NaN equals NaN).
bool same_bits(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void expect_same_trial(const Trial& expected, const Trial& actual) {
  EXPECT_EQ(actual.number, expected.number);
  ASSERT_EQ(actual.design.values.size(), expected.design.values.size());
  for (std::size_t i = 0; i < expected.design.values.size(); ++i)
    EXPECT_TRUE(same_bits(actual.design.values[i], expected.design.values[i]))
        << "design value " << i << ": " << actual.design.values[i];
  EXPECT_EQ(actual.status, expected.status);
  ASSERT_EQ(actual.metrics.values.size(), expected.metrics.values.size());
  for (const auto& [name, value] : expected.metrics.values) {
    ASSERT_TRUE(actual.metrics.values.contains(name)) << name;
    EXPECT_TRUE(same_bits(actual.metrics.values.at(name), value))
        << name << ": stored " << value << ", read " << actual.metrics.values.at(name);
  }
  EXPECT_EQ(actual.metrics.fidelity, expected.metrics.fidelity);
  EXPECT_TRUE(same_bits(actual.metrics.seconds, expected.metrics.seconds));
  EXPECT_EQ(actual.error, expected.error);
}

Trial complete_trial(std::size_t number, std::vector<double> design,
                     std::map<std::string, double> metrics, Fidelity fidelity = Fidelity::table,
                     double seconds = 0.0) {
  Trial trial;
  trial.number = number;
  trial.design.values = std::move(design);
  trial.metrics.values = std::move(metrics);
  trial.metrics.fidelity = fidelity;
  trial.metrics.seconds = seconds;
  return trial;
}

Trial failed_trial(std::size_t number, std::vector<double> design, std::string error) {
  Trial trial;
  trial.number = number;
  trial.design.values = std::move(design);
  trial.status = TrialStatus::failed;
  trial.metrics.fidelity = Fidelity::synthesis;
  trial.metrics.seconds = 12.5;
  trial.error = std::move(error);
  return trial;
}

const nlohmann::json config{
    {"algo", "nsga2"}, {"budget", 100}, {"seed", 1}, {"objectives", {"obj1:min", "obj2:min"}}};

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no InputError thrown";
  return {};
}

TEST(Store, TrialsRoundTripThroughAReopenedFile) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  const std::vector<Trial> trials{
      complete_trial(0, {1.0, 0.1, 1.0 / 3.0, -0.0},
                     {{"lut", 1234.0},
                      {"latency", 0.1 + 0.2},
                      {"tiny", 5e-324},
                      {"huge", std::numeric_limits<double>::max()},
                      {"pi", M_PI}},
                     Fidelity::table, 0.000123456789),
      failed_trial(1, {2.0, 0.2, 2.0 / 3.0, 7.0}, "yosys: out of memory\nsee log/yosys.txt"),
      complete_trial(2, {3.0, 0.3, 1e-17, 1e300},
                     {{"power_w", std::numeric_limits<double>::infinity()},
                      {"slack", -std::numeric_limits<double>::infinity()},
                      {"fmax", std::numeric_limits<double>::quiet_NaN()}},
                     Fidelity::place_and_route, 3600.25),
  };
  {
    Store store(path);
    auto journal = store.open_study("hls", config);
    for (const auto& trial : trials) journal.record(trial);
    EXPECT_EQ(journal.trial_count(), 3u);
  }
  Store reopened(path);
  auto journal = reopened.open_study("hls", config);
  const auto read = journal.trials();
  ASSERT_EQ(read.size(), trials.size());
  for (std::size_t i = 0; i < trials.size(); ++i) {
    SCOPED_TRACE("trial " + std::to_string(i));
    expect_same_trial(trials[i], read[i]);
  }
  EXPECT_EQ(journal.config(), config);
  EXPECT_EQ(journal.name(), "hls");
}

TEST(Store, RandomDoublesRoundTripBitForBit) {
  TempDir dir;
  Store store(dir / "study.sqlite");
  auto journal = store.open_study("random", config);
  std::mt19937_64 rng(42);
  // Random bit patterns cover every exponent and mantissa; non-finite ones are redrawn.
  const auto random_double = [&] {
    for (;;) {
      const double value = std::bit_cast<double>(rng());
      if (std::isfinite(value)) return value;
    }
  };
  Trial trial = complete_trial(0, {}, {}, Fidelity::analytic, std::abs(random_double()));
  for (int i = 0; i < 2000; ++i) {
    trial.design.values.push_back(random_double());
    trial.metrics.values[fmt::format("m{}", i)] = random_double();
  }
  journal.record(trial);
  const auto read = Store(dir / "study.sqlite").study("random").trials();
  ASSERT_EQ(read.size(), 1u);
  expect_same_trial(trial, read[0]);
}

TEST(Store, TrialsComeBackOrderedByNumber) {
  TempDir dir;
  Store store(dir / "study.sqlite");
  auto journal = store.open_study("s", config);
  for (std::size_t number : {5u, 0u, 3u, 1u})
    journal.record(complete_trial(number, {double(number)}, {{"y", double(number)}}));
  std::vector<std::size_t> numbers;
  for (const auto& trial : journal.trials()) numbers.push_back(trial.number);
  EXPECT_EQ(numbers, (std::vector<std::size_t>{0, 1, 3, 5}));
}

TEST(Store, StudiesAreSeparate) {
  TempDir dir;
  Store store(dir / "study.sqlite");
  auto first = store.open_study("first", config);
  auto second = store.open_study("second", {{"other", true}});
  first.record(complete_trial(0, {1.0}, {{"y", 1.0}}));
  // The same number and design in another study is fine.
  second.record(complete_trial(0, {1.0}, {{"y", 2.0}}));
  EXPECT_EQ(store.study_names(), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(first.trials().at(0).metrics.values.at("y"), 1.0);
  EXPECT_EQ(second.trials().at(0).metrics.values.at("y"), 2.0);
  EXPECT_NE(first.id(), second.id());
}

TEST(Store, ReopeningWithTheSameConfigSeesTheTrials) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  Store(path).open_study("s", config).record(complete_trial(0, {1.0}, {{"y", 1.0}}));
  // Key order does not matter: the configs are compared as JSON values.
  const nlohmann::json reordered{
      {"seed", 1}, {"objectives", {"obj1:min", "obj2:min"}}, {"budget", 100}, {"algo", "nsga2"}};
  auto journal = Store(path).open_study("s", reordered);
  EXPECT_EQ(journal.trials().size(), 1u);
}

TEST(Store, AnUpgradedStoredConfigResumesAndOtherDifferencesStillRefuse) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  auto old = config;
  old["algo"] = "NSGA-II";  // how an older version spelled it
  Store(path).open_study("s", old).record(complete_trial(0, {1.0}, {{"y", 1.0}}));
  const auto upgrade = [](nlohmann::json stored) {
    if (stored["algo"] == "NSGA-II") stored["algo"] = "nsga2";
    return stored;
  };
  EXPECT_THAT(message_of([&] { Store(path).open_study("s", config); }), HasSubstr("algo: stored \"NSGA-II\""));
  EXPECT_EQ(Store(path).open_study("s", config, upgrade).trials().size(), 1u);
  auto other = config;
  other["seed"] = 2;
  EXPECT_THAT(message_of([&] { Store(path).open_study("s", other, upgrade); }), HasSubstr("seed: stored 1, given 2"));
}

TEST(Store, ConfigMismatchNamesTheDifferingFields) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  Store store(path);
  store.open_study("hls", config);
  auto changed = config;
  changed["budget"] = 200;
  changed["batch"] = 4;
  const auto message = message_of([&] { store.open_study("hls", changed); });
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("'hls'"));
  EXPECT_THAT(message, HasSubstr("budget: stored 100, given 200"));
  EXPECT_THAT(message, HasSubstr("batch: not stored, given 4"));
  EXPECT_THAT(message, Not(HasSubstr("seed")));
  EXPECT_THAT(message, Not(HasSubstr("algo")));
}

TEST(Store, ARecordedNumberOrDesignIsNeverReplaced) {
  TempDir dir;
  Store store(dir / "study.sqlite");
  auto journal = store.open_study("s", config);
  journal.record(complete_trial(0, {1.0, 2.0}, {{"y", 1.0}}));
  EXPECT_THROW(journal.record(complete_trial(0, {3.0, 4.0}, {{"y", 9.0}})), std::logic_error);
  try {
    journal.record(complete_trial(1, {1.0, 2.0}, {{"y", 9.0}}));
    ADD_FAILURE() << "a design recorded twice was accepted";
  } catch (const std::logic_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("already recorded as trial 0"));
  }
  const auto trials = journal.trials();
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].metrics.values.at("y"), 1.0);
  // The failed attempts left no transaction open: recording goes on.
  journal.record(complete_trial(1, {3.0, 4.0}, {{"y", 2.0}}));
  EXPECT_EQ(journal.trial_count(), 2u);
}

TEST(Store, AFileThatIsNotSqliteIsAnInputErrorNamingIt) {
  TempDir dir;
  const auto path = dir / "table.csv";
  std::ofstream(path) << "n,knob_a,obj1,obj2\n" << std::string(4096, 'x') << "\n";
  const auto message = message_of([&] { Store store(path); });
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("not a codse store"));
}

TEST(Store, AMissingDirectoryOrADirectoryIsAnInputErrorNamingIt) {
  TempDir dir;
  const auto missing = dir / "no-such-dir" / "study.sqlite";
  EXPECT_THAT(message_of([&] { Store store(missing); }), HasSubstr(missing.string()));
  const auto directory = dir / "a-directory";
  std::filesystem::create_directory(directory);
  EXPECT_THAT(message_of([&] { Store store(directory); }), HasSubstr("is a directory"));
}

TEST(Store, AnotherSqliteDatabaseIsRefusedAndLeftUntouched) {
  TempDir dir;
  const auto path = dir / "other.sqlite";
  {
    SqliteDatabase other(path, true);
    other.execute("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada');");
  }
  const auto size_before = std::filesystem::file_size(path);
  const auto message = message_of([&] { Store store(path); });
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("not a codse store"));
  EXPECT_EQ(std::filesystem::file_size(path), size_before);
  SqliteDatabase other(path, false);
  EXPECT_EQ(other.query_text("PRAGMA journal_mode"), "delete");
}

TEST(Store, ANewerSchemaVersionIsAClearError) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  Store(path).open_study("s", config);
  {
    SqliteDatabase raw(path, false);
    raw.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
  }
  const auto message = message_of([&] { Store store(path); });
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("schema version 3"));
  EXPECT_THAT(message, HasSubstr("newer"));
  {
    SqliteDatabase raw(path, false);
    raw.execute("UPDATE meta SET value = 'one' WHERE key = 'schema_version'");
  }
  EXPECT_THAT(message_of([&] { Store store(path); }),
              HasSubstr("unknown store schema version 'one'"));
}

TEST(Store, UsesWriteAheadLogging) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  Store store(path);
  SqliteDatabase raw(path, false);
  EXPECT_EQ(raw.query_text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.query_text("SELECT value FROM meta WHERE key = 'schema_version'"), "2");
}

TEST(Store, ArtifactsRoundTripVerbatimAndMustBeAnObject) {
  TempDir dir;
  auto journal = Store(dir / "study.sqlite").open_study("s", config);
  auto with = complete_trial(0, {1.0}, {{"y", 1.0}});
  with.artifacts_json = R"({"network": {"layers": [1, 2]}, "parent": 3, "weights": "w/0.bin"})";
  journal.record(with);
  journal.record(complete_trial(1, {2.0}, {{"y", 2.0}}));
  auto bad = complete_trial(2, {3.0}, {{"y", 3.0}});
  bad.artifacts_json = "[1, 2]";
  EXPECT_THROW(journal.record(bad), std::invalid_argument);
  const auto trials = journal.trials();
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].artifacts_json, with.artifacts_json);
  EXPECT_EQ(trials[1].artifacts_json, "");
}

TEST(Store, RecordAllStoresEveryTrialOrNone) {
  TempDir dir;
  auto journal = Store(dir / "study.sqlite").open_study("s", config);
  journal.record_all({complete_trial(0, {1.0}, {{"y", 1.0}}), complete_trial(1, {2.0}, {{"y", 2.0}})});
  EXPECT_THROW(journal.record_all({complete_trial(2, {3.0}, {{"y", 3.0}}), complete_trial(3, {1.0}, {{"y", 1.0}})}),
               std::logic_error);
  EXPECT_EQ(journal.trial_count(), 2u);
}

TEST(Store, DocumentsAreReplacedPerKeyAndKeptPerStudy) {
  TempDir dir;
  Store store(dir / "study.sqlite");
  auto first = store.open_study("first", config);
  auto second = store.open_study("second", config);
  EXPECT_FALSE(first.document("hints").has_value());
  first.put_document("hints", nlohmann::json::array({{{"kind", "morphism"}}}));
  first.put_document("hints", nlohmann::json::array({{{"kind", "layer"}}, {{"kind", "bits"}}}));
  first.put_document("objectives", {{{"name", "error"}, {"sense", "minimize"}}});
  second.put_document("hints", nlohmann::json::array());
  ASSERT_TRUE(first.document("hints").has_value());
  EXPECT_EQ(first.document("hints")->size(), 2u);
  EXPECT_EQ((*first.document("hints"))[1]["kind"], "bits");
  EXPECT_EQ(second.document("hints")->size(), 0u);
  EXPECT_EQ(first.document_keys(), (std::vector<std::string>{"hints", "objectives"}));
  EXPECT_EQ(Store(dir / "study.sqlite").study("first").document("objectives")->at(0)["name"],
            "error");
}

TEST(Store, AVersionOneStoreIsMigratedKeepingItsTrials) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  {
    // A version-1 file as the first codse wrote it.
    SqliteDatabase raw(path, true);
    raw.execute(R"sql(
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE studies (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
        config TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT 'then');
      CREATE TABLE trials (study_id INTEGER NOT NULL, number INTEGER NOT NULL,
        design_key TEXT NOT NULL, design TEXT NOT NULL, status TEXT NOT NULL, metrics TEXT NOT NULL,
        fidelity TEXT NOT NULL, seconds REAL NOT NULL, error TEXT NOT NULL DEFAULT '',
        finished_at TEXT NOT NULL DEFAULT 'then', PRIMARY KEY (study_id, number),
        UNIQUE (study_id, design_key));
      INSERT INTO meta VALUES ('application', 'codse'), ('schema_version', '1');
      INSERT INTO studies (id, name, config) VALUES (1, 's', '{"a":1}');
      INSERT INTO trials (study_id, number, design_key, design, status, metrics, fidelity, seconds)
        VALUES (1, 0, 'k', '[1.5]', 'complete', '{"y":2.5}', 'table', 0.25);
    )sql");
  }
  Store store(path);
  auto journal = store.study("s");
  const auto trials = journal.trials();
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].metrics.values.at("y"), 2.5);
  EXPECT_EQ(trials[0].artifacts_json, "");
  journal.put_document("hints", nlohmann::json::array());
  EXPECT_TRUE(journal.document("hints").has_value());
  SqliteDatabase raw(path, false);
  EXPECT_EQ(raw.query_text("SELECT value FROM meta WHERE key = 'schema_version'"), "2");
}

TEST(Store, AskingForAnUnknownStudyListsTheKnownOnes) {
  TempDir dir;
  Store store(dir / "study.sqlite");
  store.open_study("alpha", config);
  const auto message = message_of([&] { store.study("beta"); });
  EXPECT_THAT(message, HasSubstr("no study 'beta'"));
  EXPECT_THAT(message, HasSubstr("alpha"));
}

TEST(Store, AJournalOutlivesItsStoreAndSeesOtherWriters) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  std::optional<StudyJournal> journal;
  {
    Store store(path);
    journal.emplace(store.open_study("s", config));
  }
  journal->record(complete_trial(0, {1.0}, {{"y", 1.0}}));
  Store other(path);
  other.open_study("s", config).record(complete_trial(1, {2.0}, {{"y", 2.0}}));
  EXPECT_EQ(journal->trial_count(), 2u);
}

}  // namespace
}  // namespace codse

namespace codse {
namespace {

// Issue 17, defect 13: opening for reading never creates, upgrades or writes a file.
TEST(StoreReadOnly, ReadsAStoreAndRefusesOtherFilesUntouched) {
  TempDir dir;
  const auto path = dir / "study.sqlite";
  {
    Store store(path);
    store.open_study("s", config).record(complete_trial(0, {1.0, 2.0}, {{"obj1", 1.0}, {"obj2", 2.0}}));
  }
  const Store reader(path, StoreAccess::read_only);
  EXPECT_EQ(reader.study_names(), std::vector<std::string>{"s"});
  EXPECT_EQ(reader.study("s").trials().size(), 1u);
  Store writable_handle = reader;  // a copy shares the read-only connection
  EXPECT_THROW(writable_handle.open_study("t", config), std::logic_error);

  const auto empty = dir.write("empty.sqlite", "");
  EXPECT_THAT(message_of([&] { Store(empty, StoreAccess::read_only); }), HasSubstr("is empty, not a codse store"));
  EXPECT_EQ(std::filesystem::file_size(empty), 0u);
  const auto text = dir.write("text.sqlite", "not a database at all, but long enough for a header of sixty bytes\n");
  EXPECT_THAT(message_of([&] { Store(text, StoreAccess::read_only); }), HasSubstr("is not a codse store"));
  EXPECT_EQ(std::filesystem::file_size(text), 67u);
  EXPECT_THAT(message_of([&] { Store(dir / "absent.sqlite", StoreAccess::read_only); }),
              HasSubstr("no such store file"));
  EXPECT_FALSE(std::filesystem::exists(dir / "absent.sqlite"));
}

}  // namespace
}  // namespace codse
