// A co-exploration study written through the store's API (trials with artifacts, the documents
// "objectives" and "hints"), read back into a report and rendered by headless Chromium.
// data/coexplore_trials.json holds real analytic estimates: the HAL's LUT/latency fronts of five
// example networks on the XC7Z020 (three mappings each), as codse::hw computed them.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <limits>

#include "report/headless_chromium.hpp"
#include "report/html_report.hpp"
#include "report/report_data.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse::report {
namespace {

using nlohmann::json;
using testing::TempDir;

json fixture_trials() {
  std::ifstream in(std::string(CODSE_SOURCE_DIR) + "/tests/report/data/coexplore_trials.json");
  return json::parse(in);
}

/// Validation error rates per example network (inputs of this test, plausible for the networks'
/// sizes: the training that measures them belongs to codse explore).
double validation_error(const std::string& network) {
  if (network == "digits_mlp_w2a2") return 0.071;
  if (network == "sfc_w1a1") return 0.034;
  if (network == "mnist_mlp_w4a4") return 0.019;
  if (network == "mnist_resmlp_w4a4") return 0.016;
  return 0.021;  // lfc_w1a1
}

const json objectives_document = json::parse(
    R"([{"name": "error", "sense": "min"}, {"name": "lut", "sense": "min"}, {"name": "latency_us", "sense": "min"}])");

const json hints_document = json::parse(R"([
  {"kind": "morphism_effect", "subject": "add_skip", "text": "skip connections: -0.3% error, +21% BRAM over 2 trials",
   "evidence": {"trials": 2, "error_change": -0.003, "bram18_change": 0.21}},
  {"kind": "throughput_limit", "subject": "trial 4", "text": "fc1 limits throughput: 2x its PE halves the II",
   "evidence": {"layer": "fc1", "cycles": 12544}},
  {"kind": "resource_dominant", "subject": "trial 4", "text": "fc2 holds 61% of the LUTs </script><b>not markup</b>",
   "evidence": {"layer": "fc2", "share": 0.61}}
])");

/// Records every fixture trial; the i-th descends from trial i-1 by a morphism (a lineage to show).
StudyJournal write_study(const std::filesystem::path& path, bool store_hypervolume) {
  Store store(path, Durability::process_crash);
  auto journal = store.open_study("mnist-coexplore", {{"command", "explore"}, {"seed", 1}, {"device", "xc7z020"}});
  journal.put_document("objectives", objectives_document);
  journal.put_document("hints", hints_document);
  if (store_hypervolume) journal.put_document("hypervolume", json::parse(R"([{"trial": 0, "value": 0.1}, {"trial": 14, "value": 0.7}])"));
  const auto fixtures = fixture_trials();
  for (std::size_t i = 0; i < fixtures.size(); ++i) {
    const auto& fixture = fixtures[i];
    Trial trial;
    trial.number = i;
    trial.design.values = {static_cast<double>(i)};
    trial.metrics.fidelity = Fidelity::analytic;
    trial.metrics.seconds = 0.5;
    for (const auto& [name, value] : fixture.at("metrics").items()) trial.metrics.values[name] = value.get<double>();
    const auto network = fixture.at("network").at("name").get<std::string>();
    trial.metrics.values["error"] = validation_error(network);
    trial.metrics.values["accuracy"] = 1.0 - validation_error(network);
    json artifacts = {{"network", fixture.at("network")}, {"mapping", fixture.at("mapping")},
                      {"estimate", fixture.at("estimate")},
                      {"training", {{"epochs", 3}, {"seconds", 41.5}, {"validation_accuracy", 1.0 - validation_error(network)}}}};
    if (i > 0) artifacts["parent"] = i - 1;
    if (i > 0) artifacts["morphism"] = i % 3 == 0 ? "widen fc1 x2" : "change mapping";
    trial.artifacts_json = artifacts.dump();
    journal.record(trial);
  }
  // The held-out test error codse explore measures at the end, here of every trial (a fixture
  // without a run has no front of its own to restrict it to): a little above the validation error.
  nlohmann::json tested = nlohmann::json::object();
  for (std::size_t i = 0; i < fixtures.size(); ++i)
    tested[std::to_string(i)] = validation_error(fixtures[i].at("network").at("name").get<std::string>()) + 0.002;
  journal.put_document("test_error", tested);
  return journal;
}

std::size_t argmin(const ReportData& data, const std::string& metric) {
  std::size_t best = 0;
  double value = std::numeric_limits<double>::infinity();
  for (const auto& trial : data.trials)
    if (trial.metrics.values.at(metric) < value) value = trial.metrics.values.at(metric), best = trial.number;
  return best;
}

TEST(ReportStore, CoexplorationStudyReadsDocumentsAndArtifacts) {
  TempDir dir;
  const auto data = collect_report_data(write_study(dir / "study.sqlite", false));
  ASSERT_EQ(data.trials.size(), 15u);
  ASSERT_EQ(data.objectives.size(), 3u);
  EXPECT_EQ(data.objectives[2].metric, "latency_us");
  EXPECT_EQ(data.hints.size(), 3u);
  EXPECT_EQ(data.pair_fronts.size(), 3u);
  EXPECT_EQ(data.hypervolume.source, "computed");
  ASSERT_EQ(data.hypervolume.points.size(), 15u);
  EXPECT_GT(data.hypervolume.points.back().value, data.hypervolume.points.front().value);
  // The best design in each objective is on the front (three designs tie on error; the first of
  // them has the fewest LUTs of the three).
  for (const auto* metric : {"error", "lut", "latency_us"})
    EXPECT_NE(std::find(data.front.begin(), data.front.end(), argmin(data, metric)), data.front.end()) << metric;
  EXPECT_LT(data.front.size(), data.trials.size());

  const auto page_data = report_json(data);
  const auto& best_lut = page_data["trials"][argmin(data, "lut")];
  EXPECT_TRUE(best_lut["front"].get<bool>());
  EXPECT_EQ(best_lut["artifacts"]["estimate"]["device"], "XC7Z020");
  EXPECT_FALSE(best_lut["artifacts"]["network"]["layers"].empty());
  // The test error is the document's, apart from the metrics the search saw.
  ASSERT_EQ(data.test_error.size(), 15u);
  EXPECT_NEAR(data.test_error.at(argmin(data, "lut")), data.trials[argmin(data, "lut")].metrics.at("error") + 0.002, 1e-12);
  EXPECT_EQ(best_lut["test_error"], data.test_error.at(argmin(data, "lut")));
  EXPECT_FALSE(best_lut["metrics"].contains("test_error"));
  EXPECT_EQ(page_data["metric_units"]["test_error"], "fraction");
}

TEST(ReportStore, StoredHypervolumeIsShownAsStored) {
  TempDir dir;
  const auto data = collect_report_data(write_study(dir / "study.sqlite", true));
  EXPECT_EQ(data.hypervolume.source, "study");
  ASSERT_EQ(data.hypervolume.points.size(), 2u);
  EXPECT_EQ(data.hypervolume.points[1].trial, 14u);
  EXPECT_EQ(data.hypervolume.points[1].value, 0.7);
}

TEST(ReportStore, MalformedDocumentNamesIt) {
  TempDir dir;
  auto journal = write_study(dir / "study.sqlite", false);
  journal.put_document("hints", json{{"kind", "not a list"}});
  try {
    collect_report_data(journal);
    FAIL() << "expected InputError";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("study 'mnist-coexplore': document \"hints\""), std::string::npos)
        << error.what();
  }
}

class ReportInChromium : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::chromium_path().empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
  }
  TempDir dir;
};

TEST_F(ReportInChromium, DetectsAScriptError) {
  // The check itself can fail: a page with an uncaught error is reported as such.
  const auto page = dir.write("broken.html", "<html><body><script>undefinedFunction();</script></body></html>");
  const auto run = testing::dump_dom(page, dir.path());
  EXPECT_NE(testing::script_errors(run.log).find("undefinedFunction"), std::string::npos) << run.log;
}

TEST_F(ReportInChromium, CoexplorationReportRendersWithDrillDown) {
  auto data = collect_report_data(write_study(dir / "study.sqlite", false));
  // A synthesis result next to the estimate of the best-LUT design, to exercise the comparison
  // view: hand-made input (the estimate's totals with LUTs x1.2), not a measurement.
  const auto target = argmin(data, "lut");
  auto artifacts = json::parse(data.trials[target].artifacts_json);
  auto synthesis = artifacts["estimate"];
  synthesis["fidelity"] = "synthesis";
  synthesis["total"]["lut"] = synthesis["total"]["lut"].get<double>() * 1.2;
  artifacts["synthesis"] = synthesis;
  data.trials[target].artifacts_json = artifacts.dump();
  const auto html = dir / "report.html";
  write_report_html(data, html);

  const auto page = testing::run_chromium(html, dir.path(), "--dump-dom");
  ASSERT_EQ(page.exit_code, 0) << page.log;
  EXPECT_NE(page.dom.find("data-report-rendered=\"ok\""), std::string::npos) << page.dom.substr(0, 3000);
  EXPECT_EQ(testing::script_errors(page.log), "");
  // Three pair charts, the 3-D view, parallel coordinates and the hypervolume curve.
  EXPECT_NE(page.dom.find("data-charts=\"6\""), std::string::npos);
  EXPECT_NE(page.dom.find("data-hints=\"3\""), std::string::npos);
  EXPECT_NE(page.dom.find("fc2 holds 61% of the LUTs &lt;/script&gt;&lt;b&gt;not markup&lt;/b&gt;"), std::string::npos);

  // report.html#trial-N opens the drill down of front design N.
  auto linked = html;
  linked += "#trial-" + std::to_string(target);
  const auto drill = testing::run_chromium(linked, dir.path(), "--dump-dom");
  EXPECT_EQ(testing::script_errors(drill.log), "");
  EXPECT_NE(drill.dom.find("class=\"drill\" data-trial=\"" + std::to_string(target) + "\""), std::string::npos);
  EXPECT_NE(drill.dom.find("class=\"data net-table\""), std::string::npos);
  EXPECT_NE(drill.dom.find("class=\"data hw-table\""), std::string::npos);
  EXPECT_NE(drill.dom.find("class=\"data evs-table\""), std::string::npos);
  EXPECT_NE(drill.dom.find("1.20×"), std::string::npos);
}

/// The JSON the page's self-test (#selftest) writes into the DOM.
json self_test_result(const std::string& dom) {
  const std::string open = "<pre id=\"selftest-result\">";
  const auto start = dom.find(open);
  if (start == std::string::npos) return {};
  const auto end = dom.find("</pre>", start);
  return json::parse(dom.substr(start + open.size(), end - start - open.size()), nullptr, false);
}

TEST_F(ReportInChromium, ChartsRenderBrushFiltersTableCsvHasOneRowPerTrial) {
  const auto data = collect_report_data(write_study(dir / "study.sqlite", false));
  const auto html = dir / "report.html";
  write_report_html(data, html);
  auto selftest = html;
  selftest += "#selftest";
  // The virtual time lets the brush's debounce fire before Chromium dumps the DOM.
  const auto page = testing::run_chromium(selftest, dir.path(),
                                          "--virtual-time-budget=10000 --enable-unsafe-swiftshader --dump-dom");
  ASSERT_EQ(page.exit_code, 0) << page.log;
  EXPECT_EQ(testing::script_errors(page.log), "");
  const auto result = self_test_result(page.dom);
  ASSERT_TRUE(result.is_object()) << page.dom.substr(0, 3000);
  // Every pair of objectives is an SVG chart with a mark per trial (and axes, legend, toolbox).
  for (const auto* pair : {"pair:lut/error", "pair:latency_us/error", "pair:latency_us/lut"}) {
    ASSERT_TRUE(result["charts"].contains(pair)) << result.dump();
    EXPECT_TRUE(result["charts"][pair]["svg"].get<bool>()) << pair;
    EXPECT_GE(result["charts"][pair]["marks"].get<int>(), 15) << pair;
  }
  // The 3-D view is WebGL: its canvas shows the front's orange points (pixels counted in the page).
  EXPECT_TRUE(result["charts"]["3d"]["canvas"].get<bool>()) << result.dump();
  EXPECT_GT(result["charts"]["3d"]["frontPixels"].get<int>(), 100) << result.dump();
  EXPECT_GE(result["charts"]["parallel"]["marks"].get<int>(), 15) << result.dump();
  EXPECT_TRUE(result["charts"]["hypervolume"]["svg"].get<bool>());
  // The table lists every trial, the CSV has one row per trial.
  EXPECT_EQ(result["rowsBefore"], 15);
  EXPECT_EQ(result["csvRows"], 15);
  // A brush over the lower-left quarter keeps exactly the trials inside it, in table and CSV.
  const auto& brush = result["brush"];
  EXPECT_GT(brush["expected"].get<int>(), 0);
  EXPECT_LT(brush["expected"].get<int>(), 15);
  EXPECT_EQ(brush["rows"], brush["expected"]) << brush.dump();
  EXPECT_EQ(brush["selection"], brush["expected"]);
  EXPECT_EQ(brush["csvRows"], brush["expected"]);
  EXPECT_EQ(result["rowsAfterClear"], 15);
  // Selecting a range on the last parallel axis keeps the trials inside it.
  EXPECT_GT(result["parallel"]["expected"].get<int>(), 0) << result.dump();
  EXPECT_EQ(result["parallel"]["rows"], result["parallel"]["expected"]) << result.dump();
  EXPECT_EQ(result["parallel"]["rowsAfterClear"], 15);
  // Hovering a front point shows its name, its change from the parent, its objectives and the
  // held-out test error; the table has a test_error column.
  EXPECT_EQ(result["hover"], json({{"name", true}, {"change", true}, {"metrics", true}, {"testError", true}}))
      << result.dump();
  EXPECT_EQ(result["testErrorColumn"], true) << result.dump();
  // The drill-down of a front design shows its layers with the bottleneck marked.
  EXPECT_GE(result["drill"]["layers"].get<int>(), 2);
  EXPECT_EQ(result["drill"]["bottleneck"], 1);
}

// The main job's report (issue 16's acceptance), when CODSE_MAIN_JOB_STORE names the store of
// `codse explore examples/mnist_xc7z020.yaml` (a minute of CPU, so not part of every run):
// under 3 MB, every chart drawn, one CSV row per trial, a brush filters the table.
TEST_F(ReportInChromium, MainJobReportWhenItsStoreIsGiven) {
  const char* store_path = std::getenv("CODSE_MAIN_JOB_STORE");
  if (!store_path) GTEST_SKIP() << "set CODSE_MAIN_JOB_STORE to the main job's study store";
  const Store store(store_path, StoreAccess::read_only);
  const auto names = store.study_names();
  ASSERT_EQ(names.size(), 1u);
  const auto data = collect_report_data(store.study(names.front()));
  const auto html = dir / "report.html";
  write_report_html(data, html);
  EXPECT_LT(std::filesystem::file_size(html), 3'000'000u);
  auto selftest = html;
  selftest += "#selftest";
  const auto page = testing::run_chromium(selftest, dir.path(),
                                          "--virtual-time-budget=10000 --enable-unsafe-swiftshader --dump-dom");
  EXPECT_EQ(testing::script_errors(page.log), "");
  const auto result = self_test_result(page.dom);
  ASSERT_TRUE(result.is_object()) << page.dom.substr(0, 3000);
  EXPECT_EQ(result["charts"].size(), 6u) << result.dump();
  for (const auto& [name, chart] : result["charts"].items())
    EXPECT_GE(name == "3d" ? chart["frontPixels"].get<int>() : chart["marks"].get<int>(), 20) << name;
  EXPECT_EQ(result["csvRows"].get<std::size_t>(), data.trials.size());
  EXPECT_EQ(result["brush"]["rows"], result["brush"]["expected"]);
  EXPECT_EQ(result["drill"]["bottleneck"], 1);
}

TEST_F(ReportInChromium, DesignsAreNamedFromTheirNetworks) {
  const auto data = collect_report_data(write_study(dir / "study.sqlite", false));
  const auto page_data = report_json(data);
  // The fixture's first trial is digits_mlp_w2a2: 64 inputs, 16 hidden, 10 outputs, 2-bit.
  EXPECT_EQ(page_data["trials"][0]["name"].get<std::string>().rfind("mlp-64-16-10-w2a2", 0), 0u)
      << page_data["trials"][0]["name"];
  EXPECT_EQ(page_data["trials"][0]["knobs"]["fc1 pe"], 1.0);
}

}  // namespace
}  // namespace codse::report
