#include <gtest/gtest.h>

#include "core/error.hpp"
#include "report/report_objectives.hpp"

namespace codse::report {
namespace {

using nlohmann::json;

TEST(ReportObjectives, DseConfigStrings) {
  const auto objectives = study_objectives(std::nullopt, json{{"objectives", {"ii_cycles:min", "lut:min"}}}, "s");
  ASSERT_EQ(objectives.size(), 2u);
  EXPECT_EQ(objectives[0].metric, "ii_cycles");
  EXPECT_EQ(objectives[1].metric, "lut");
  EXPECT_EQ(objectives[1].sense, Sense::minimize);
}

TEST(ReportObjectives, DocumentWinsOverConfig) {
  const json document = json::array({{{"name", "error"}, {"sense", "min"}}, {{"name", "fps"}, {"sense", "maximize"}}});
  const auto objectives = study_objectives(document, json{{"objectives", {"lut:min"}}}, "s");
  ASSERT_EQ(objectives.size(), 2u);
  EXPECT_EQ(objectives[0].metric, "error");
  EXPECT_EQ(objectives[1].metric, "fps");
  EXPECT_EQ(objectives[1].sense, Sense::maximize);
}

TEST(ReportObjectives, ErrorsNameTheEntry) {
  try {
    study_objectives(json::array({{{"name", "error"}, {"sense", "down"}}}), json::object(), "study.sqlite: study 'x'");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("study.sqlite: study 'x'"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("document \"objectives\"[0].sense"), std::string::npos) << error.what();
  }
  EXPECT_THROW(study_objectives(std::nullopt, json::object(), "s"), InputError);
  EXPECT_THROW(study_objectives(std::nullopt, json{{"objectives", {"lut:upward"}}}, "s"), InputError);
  EXPECT_THROW(study_objectives(json::array({42}), json::object(), "s"), InputError);
}

}  // namespace
}  // namespace codse::report
