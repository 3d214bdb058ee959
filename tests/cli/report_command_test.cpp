// `codse report` end to end: a real `codse dse` study (the README's example) to a page that
// headless Chromium renders without script errors, and bad input that exits 2 naming the culprit.

#include <gtest/gtest.h>

#include <filesystem>
#include <cstdlib>
#include <iterator>
#include <fstream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/run_codse.hpp"
#include "report/headless_chromium.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::run_codse;
using testing::TempDir;

const std::string example_table = std::string(CODSE_SOURCE_DIR) + "/examples/tables/mlp_folding.csv";

/// The README's command, into dir/study.sqlite.
std::filesystem::path readme_study(const TempDir& dir) {
  const auto db = dir / "study.sqlite";
  const auto result = run_codse("dse --table " + example_table +
                                " --knobs 'knob_*' --objective ii_cycles:min --objective lut:min --algo atne "
                                "--budget 0.1 --seed 1 --db " + db.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return db;
}

nlohmann::json embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"codse-data\">";
  const auto start = html.find(open);
  if (start == std::string::npos) return nullptr;
  const auto end = html.find("</script>", start);
  return nlohmann::json::parse(html.substr(start + open.size(), end - start - open.size()));
}

TEST(ReportCommand, DseStudyRendersInChromium) {
  TempDir dir;
  const auto db = readme_study(dir);
  const auto html = dir / "report.html";
  const auto result = run_codse("report " + db.string() + " --out " + html.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("hints:       0"), std::string::npos) << result.output;

  const auto data = embedded_data(testing::read_text(html));
  ASSERT_TRUE(data.is_object());
  EXPECT_EQ(data["trials"].size(), 100u);  // floor(0.1 * 1008)
  ASSERT_EQ(data["objectives"].size(), 2u);
  EXPECT_EQ(data["objectives"][0]["name"], "ii_cycles");
  EXPECT_EQ(data["objectives"][0]["sense"], "min");
  EXPECT_EQ(data["objectives"][0]["unit"], "cycles");  // from the metric catalog
  EXPECT_EQ(data["objectives"][1]["name"], "lut");
  EXPECT_EQ(data["objectives"][1]["unit"], "LUTs");
  EXPECT_EQ(data["knobs"], nlohmann::json({"knob_simd1", "knob_pe1", "knob_simd2", "knob_pe2"}));
  EXPECT_EQ(data["hypervolume"]["source"], "computed");
  EXPECT_EQ(data["hypervolume"]["points"].size(), 100u);
  EXPECT_TRUE(data["hints"].empty());
  // Every evaluated design on the table's true front is on the front of the evaluated set.
  const auto dse = run_codse("dse --table " + example_table +
                             " --knobs 'knob_*' --objective ii_cycles:min --objective lut:min --algo atne "
                             "--budget 0.1 --seed 1 --db " + db.string());
  std::smatch match;
  ASSERT_TRUE(std::regex_search(dse.output, match, std::regex(R"(front:\s+(\d+) designs evaluated on it)"))) << dse.output;
  EXPECT_GE(data["front"].size(), std::stoul(match[1]));
  EXPECT_GE(data["front"].size(), 2u);

  if (testing::chromium_path().empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
  const auto run = testing::dump_dom(html, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.log;
  EXPECT_NE(run.dom.find("data-report-rendered=\"ok\""), std::string::npos) << run.dom.substr(0, 2000);
  EXPECT_EQ(run.dom.find("data-report-error=\""), std::string::npos) << run.dom.substr(0, 2000);
  EXPECT_EQ(testing::script_errors(run.log), "");
  // One pair of objectives, parallel coordinates of the table's knobs, the hypervolume curve.
  EXPECT_NE(run.dom.find("data-charts=\"3\""), std::string::npos);
  EXPECT_NE(run.dom.find("id=\"parallel-chart\""), std::string::npos);
  EXPECT_NE(run.dom.find(std::string("data-front=\"") + std::to_string(data["front"].size()) + "\""), std::string::npos);
  EXPECT_NE(run.dom.find("id=\"hypervolume-chart\""), std::string::npos);
}

TEST(ReportCommand, MissingStoreIsBadInputAndNotCreated) {
  TempDir dir;
  const auto missing = dir / "nope.sqlite";
  const auto result = run_codse("report " + missing.string() + " --out " + (dir / "r.html").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(missing.string() + ": no such study file"), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(missing));
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Issue 17, defect 13: an empty file or one of something else is refused and left byte for byte.
TEST(ReportCommand, EmptyOrForeignFileIsRefusedAndLeftUntouched) {
  TempDir dir;
  const auto empty = dir.write("empty.sqlite", "");
  auto result = run_codse("report " + empty.string() + " --out " + (dir / "r.html").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(empty.string() + " is empty, not a codse store"), std::string::npos) << result.output;
  EXPECT_EQ(std::filesystem::file_size(empty), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir / "r.html"));

  const auto text = dir.write("notes.sqlite", "some notes\n");
  result = run_codse("report " + text.string() + " --out " + (dir / "r.html").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(text.string() + " is not a codse store"), std::string::npos) << result.output;
  EXPECT_EQ(file_bytes(text), "some notes\n");
}

// Issue 17, defect 13: a store on read-only media (a read-only bind mount in a private mount
// namespace; skipped where unshare may not mount) is reported, and not changed.
TEST(ReportCommand, StoreOnReadOnlyMediaIsReported) {
  if (std::system("unshare -m true > /dev/null 2>&1") != 0) GTEST_SKIP() << "unshare -m is not permitted here";
  TempDir dir, out;
  const auto db = readme_study(dir);
  const auto before = file_bytes(db);
  const auto media = dir.path().string();
  const auto result = run_codse("report " + db.string() + " --out " + (out / "r.html").string(),
                                "unshare -m sh -c 'mount --bind " + media + " " + media + " && mount -o remount,ro,bind " +
                                    media + " " + media + " && exec \"$0\" \"$@\"'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::filesystem::exists(out / "r.html"));
  EXPECT_EQ(file_bytes(db), before);
}

TEST(ReportCommand, StudyChoiceErrorsNameTheStudies) {
  TempDir dir;
  const auto db = readme_study(dir);
  auto result = run_codse("report " + db.string() + " --study other --out " + (dir / "r.html").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("mlp_folding-atne-seed1"), std::string::npos) << result.output;

  ASSERT_EQ(run_codse("dse --table " + example_table +
                      " --objective ii_cycles:min --objective lut:min --algo random --budget 5 --db " + db.string())
                .exit_code,
            0);
  result = run_codse("report " + db.string() + " --out " + (dir / "r.html").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("holds 2 studies (mlp_folding-atne-seed1, mlp_folding-random-seed1); choose one with --study"),
            std::string::npos)
      << result.output;
  result = run_codse("report " + db.string() + " --study mlp_folding-random-seed1 --out " + (dir / "r.html").string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("trials:      5"), std::string::npos) << result.output;

  result = run_codse("report " + db.string() + " --study mlp_folding-random-seed1 --out " + (dir / "no/dir/r.html").string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--out"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace codse
