// The page's structure: the data block parses back to what the report computed, nothing in it
// can close the <script> element early, and the inline assets hold no external reference.

#include <algorithm>
#include <cctype>
#include <string>

#include <gtest/gtest.h>

#include "report/html_report.hpp"
#include "report/report_assets.hpp"

namespace codse::report {
namespace {

ReportData small_study() {
  ReportData data;
  data.study = "tiny <study>";
  data.store = "/tmp/tiny.sqlite";
  data.config = {{"command", "dse"}, {"objectives", {"lut:min", "ii_cycles:min"}}};
  data.objectives = {{"lut", Sense::minimize}, {"ii_cycles", Sense::minimize}};
  data.knobs = {"knob_pe"};
  for (std::size_t i = 0; i < 4; ++i) {
    Trial trial;
    trial.number = i;
    trial.design.values = {static_cast<double>(1 << i)};
    trial.metrics.values = {{"lut", 100.0 * static_cast<double>(1 << i)}, {"ii_cycles", 1000.0 / static_cast<double>(1 << i)}};
    data.trials.push_back(trial);
  }
  data.hints = nlohmann::json::array(
      {{{"kind", "morphism_effect"}, {"subject", "add_skip"}, {"text", "</script><script>alert(1)</script> <!-- x"},
        {"evidence", {{"trials", 3}}}}});
  compute_fronts(data);
  return data;
}

std::string data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"codse-data\">";
  const auto start = html.find(open);
  if (start == std::string::npos) return {};
  const auto end = html.find("</script>", start);
  return html.substr(start + open.size(), end - start - open.size());
}

TEST(HtmlReport, ScriptSafeJsonHasNoAngleBracket) {
  const nlohmann::json json = {{"text", "a</script>b<!--c"}};
  const auto safe = script_safe_json(json);
  EXPECT_EQ(safe.find('<'), std::string::npos) << safe;
  EXPECT_EQ(nlohmann::json::parse(safe), json);
}

TEST(HtmlReport, DataBlockParsesBackToTheReportJson) {
  const auto data = small_study();
  const auto html = render_report_html(data);
  const auto block = data_block(html);
  ASSERT_FALSE(block.empty());
  const auto parsed = nlohmann::json::parse(block);
  EXPECT_EQ(parsed, report_json(data));
  EXPECT_EQ(parsed["front"], nlohmann::json({0, 1, 2, 3}));
  EXPECT_EQ(parsed["hints"][0]["text"], "</script><script>alert(1)</script> <!-- x");
  // The study name is escaped in the title, and the hint cannot inject a script element.
  EXPECT_NE(html.find("<title>codse report: tiny &lt;study&gt;</title>"), std::string::npos);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
}

/// The page without the vendored chart library's elements, whose code names URLs it never loads.
std::string without_vendor_scripts(std::string html) {
  for (const std::string id : {"chart-library", "chart-library-3d"}) {
    const auto start = html.find("<script id=\"" + id + "\">");
    if (start == std::string::npos) continue;
    html.erase(start, html.find("</script>", start) - start);
  }
  return html;
}

TEST(HtmlReport, SelfContained) {
  const auto page = render_report_html(small_study());
  const auto html = without_vendor_scripts(page);
  EXPECT_LT(html.size(), page.size() - 1'000'000) << "the chart library is inlined";
  for (const auto* external : {"src=", "href=\"http", "@import", "url("})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_EQ(html.find("http"), std::string::npos) << html.substr(html.find("http"), 60);
  // The inline assets cannot end their own element.
  for (const auto script : {report_script(), chart_library_script(), chart_library_3d_script()}) {
    std::string lower(script);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    EXPECT_EQ(lower.find("</script"), std::string::npos);
    EXPECT_EQ(lower.find("<!--"), std::string::npos);
  }
  EXPECT_EQ(report_stylesheet().find("</"), std::string::npos);
  EXPECT_GT(report_script().size(), 1000u);
  // Two objectives need no 3-D library; three do.
  EXPECT_NE(page.find("<script id=\"chart-library-3d\">\n</script>"), std::string::npos);
  auto three = small_study();
  three.objectives.push_back({"power_w", Sense::minimize});
  // The libraries take 1.7 MB of the 3 MB a report may weigh; the rest is the study's data.
  EXPECT_LT(render_report_html(three).size(), 1'800'000u);
  EXPECT_EQ(render_report_html(three).find("<script id=\"chart-library-3d\">\n</script>"), std::string::npos);
}

TEST(HtmlReport, OnlyFrontTrialsCarryHeavyArtifacts) {
  auto data = small_study();
  data.trials.push_back(data.trials[3]);
  data.trials[4].number = 4;
  data.trials[4].design.values = {99.0};
  data.trials[4].metrics.values = {{"lut", 1e6}, {"ii_cycles", 1e6}};  // dominated
  data.trials[4].artifacts_json = R"({"network": {"name": "big"}, "morphism": "widen", "parent": 3})";
  data.trials[3].artifacts_json = R"({"network": {"name": "n3"}, "estimate": {"layers": []}})";
  compute_fronts(data);
  const auto json = report_json(data);
  EXPECT_EQ(json["trials"][4]["artifacts"], nlohmann::json({{"morphism", "widen"}, {"parent", 3}}));
  EXPECT_EQ(json["trials"][3]["artifacts"]["network"]["name"], "n3");
  EXPECT_TRUE(json["trials"][3]["front"].get<bool>());
  EXPECT_FALSE(json["trials"][4]["front"].get<bool>());
}

}  // namespace
}  // namespace codse::report
