// The trials table of hand-made trials: one row per trial, the front flag of the report's front,
// constraint feasibility, artifacts paths and RFC 4180 quoting.

#include <gtest/gtest.h>

#include "report/trial_table.hpp"

namespace codse::report {
namespace {

Trial make_trial(std::size_t number, std::map<std::string, double> metrics,
                 TrialStatus status = TrialStatus::complete) {
  Trial trial;
  trial.number = number;
  trial.design.values = {static_cast<double>(number), 2.0 * static_cast<double>(number)};
  trial.status = status;
  trial.metrics.values = std::move(metrics);
  trial.metrics.fidelity = Fidelity::analytic;
  return trial;
}

ReportData study() {
  ReportData data;
  data.store = "studies/s.sqlite";
  data.study = "s";
  data.config = {{"constraints", {"lut<=3.5", "fits"}}};
  data.knobs = {"network", "mapping"};
  data.objectives = {{"lut", Sense::minimize}, {"latency_us", Sense::minimize}};
  data.trials = {make_trial(0, {{"lut", 1}, {"latency_us", 4}, {"power_w", 0.5}}),
                 make_trial(1, {{"lut", 2}, {"latency_us", 2}}), make_trial(2, {{"lut", 3}, {"latency_us", 3}}),
                 make_trial(3, {{"lut", 4}, {"latency_us", 1}}), make_trial(4, {}, TrialStatus::failed)};
  data.trials[1].artifacts_json = R"({"weights": "s.artifacts/weights/network-00001.bin", "device": "XC7Z020", "network_id": 1,
      "morphism": "widen fc1 to 48", "parent": 0, "training": {"epochs": 2, "learning_rate": 0.01, "batch_size": 32}})";
  data.trials[4].error = "no mapping fits: \"lut\" 9, dsp 2\nsee the log";
  compute_fronts(data);
  return data;
}

TEST(TrialTable, OneRowPerTrialWithTheReportsFront) {
  const auto data = study();
  const auto table = trial_table(data, false);
  ASSERT_EQ(table.rows.size(), 5u);
  for (const auto& row : table.rows) {
    const auto number = row.at("number").get<std::size_t>();
    const bool on_front = std::find(data.front.begin(), data.front.end(), number) != data.front.end();
    EXPECT_EQ(row.at("on_front").get<bool>(), on_front) << number;
  }
  EXPECT_EQ(data.front, (std::vector<std::size_t>{0, 1, 3}));
  EXPECT_EQ(table.rows[2].at("mapping").get<double>(), 4.0);
  EXPECT_EQ(table.rows[0].at("power_w").get<double>(), 0.5);
  EXPECT_TRUE(table.rows[1].at("power_w").is_null());
  EXPECT_EQ(table.rows[1].at("artifacts").get<std::string>(), "studies/s.artifacts/weights/network-00001.bin");
  EXPECT_EQ(table.rows[1].at("device").get<std::string>(), "XC7Z020");
  EXPECT_EQ(table.rows[1].at("morphism").get<std::string>(), "widen fc1 to 48");
  EXPECT_EQ(table.rows[1].at("train_epochs").get<int>(), 2);
  EXPECT_EQ(table.rows[1].at("learning_rate").get<double>(), 0.01);
  EXPECT_TRUE(table.rows[0].at("morphism").is_null());
  // lut <= 3.5 holds for trials 0-2, not for 3; trial 4 has no lut.
  EXPECT_TRUE(table.rows[2].at("feasible").get<bool>());
  EXPECT_FALSE(table.rows[3].at("feasible").get<bool>());
  EXPECT_TRUE(table.rows[4].at("feasible").is_null());

  const auto front = trial_table(data, true);
  ASSERT_EQ(front.rows.size(), 3u);
  EXPECT_EQ(front.rows[2].at("number").get<int>(), 3);
  EXPECT_EQ(front.columns, table.columns);
}

TEST(TrialTable, CsvFollowsRfc4180) {
  const auto csv = trial_table_csv(trial_table(study(), false));
  const auto header_end = csv.find("\r\n");
  EXPECT_EQ(csv.substr(0, header_end),
            "number,status,fidelity,seconds,on_front,feasible,network,mapping,lut,latency_us,power_w,device,"
            "network_id,morphism,parent,train_epochs,learning_rate,batch_size,artifacts,failure");
  EXPECT_NE(csv.find("\r\n0,complete,analytic,0,true,true,0,0,1,4,0.5,,,,,,,,,\r\n"), std::string::npos) << csv;
  // A field with a quote, a comma or a line break is quoted, its quotes doubled.
  EXPECT_NE(csv.find(",\"no mapping fits: \"\"lut\"\" 9, dsp 2\nsee the log\"\r\n"), std::string::npos) << csv;
  std::size_t lines = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++lines;
  EXPECT_EQ(lines, 6u);  // header + 5 trials
}

// A co-exploration's first objective is the metric "error" (1 - accuracy): its column keeps the
// metric; why a trial failed is the column "failure".
TEST(TrialTable, ErrorObjectiveKeepsItsValues) {
  auto data = study();
  data.objectives = {{"error", Sense::minimize}, {"lut", Sense::minimize}};
  data.trials[0].metrics.values["error"] = 0.25;
  compute_fronts(data);
  const auto table = trial_table(data, false);
  EXPECT_EQ(table.rows[0].at("error").get<double>(), 0.25);
  EXPECT_TRUE(table.rows[1].at("error").is_null());
  EXPECT_EQ(table.rows[4].at("failure").get<std::string>(), data.trials[4].error);
}

// A co-exploration's "test_error" document (the front's held-out test error) is a column right
// after the objectives, null off the front; a study without it has no such column.
TEST(TrialTable, TestErrorOfTheFrontBesideTheObjectives) {
  auto data = study();
  data.objectives = {{"error", Sense::minimize}, {"lut", Sense::minimize}};
  for (auto& trial : data.trials)
    if (trial.status == TrialStatus::complete) trial.metrics.values["error"] = 0.1 / static_cast<double>(trial.number + 1);
  compute_fronts(data);
  data.test_error = {{0, 0.125}, {3, 0.0375}};
  const auto table = trial_table(data, false);
  const auto at = std::find(table.columns.begin(), table.columns.end(), "test_error");
  ASSERT_NE(at, table.columns.end());
  EXPECT_EQ(*(at - 1), "lut");
  EXPECT_EQ(table.rows[0].at("test_error").get<double>(), 0.125);
  EXPECT_EQ(table.rows[3].at("test_error").get<double>(), 0.0375);
  EXPECT_TRUE(table.rows[1].at("test_error").is_null());
  const auto csv = trial_table_csv(table);
  EXPECT_NE(csv.find(",error,lut,test_error,"), std::string::npos) << csv;
  EXPECT_EQ(trial_table_json(data, table).at("trials").at(3).at("test_error"), 0.0375);

  const auto without = trial_table(study(), false);
  EXPECT_EQ(std::find(without.columns.begin(), without.columns.end(), "test_error"), without.columns.end());
}

// A study stored as a bare file name recorded an empty weights entry: the path is rebuilt from the
// network id and the store's name.
TEST(TrialTable, ArtifactsOfAnEmptyWeightsEntry) {
  auto data = study();
  data.store = "s.sqlite";
  data.trials[1].artifacts_json = R"({"weights": "", "network_id": 12})";
  EXPECT_EQ(trial_table(data, false).rows[1].at("artifacts").get<std::string>(), "s.artifacts/weights/network-00012.bin");
}

TEST(TrialTable, JsonListsObjectivesConstraintsAndRows) {
  const auto data = study();
  const auto json = trial_table_json(data, trial_table(data, false));
  EXPECT_EQ(json.at("objectives").at(1).at("metric"), "latency_us");
  EXPECT_EQ(json.at("constraints"), nlohmann::ordered_json::array({"lut<=3.5"}));
  EXPECT_EQ(json.at("trials").size(), 5u);
  EXPECT_EQ(json.at("front"), nlohmann::ordered_json::array({0, 1, 3}));
}

}  // namespace
}  // namespace codse::report
