#include <gtest/gtest.h>

#include "core/error.hpp"
#include "search/space_file.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using testing::TempDir;

std::string load_error(const std::string& yaml) {
  TempDir dir;
  const auto path = dir.write("space.yaml", yaml);
  try {
    SpaceFile::load(path);
  } catch (const InputError& error) {
    return error.what();
  }
  return "loaded";
}

TEST(SpaceFile, ListsRangesAndConstraintsEnumerateTheLegalDesigns) {
  TempDir dir;
  const auto path = dir.write("space.yaml",
                              "knobs: {pe: [1, 2, 4, 8], width: {range: [4, 16, 2]}}\n"
                              "constraints: [\"pe * width <= 64\"]\n"
                              "objectives: [luts:min, fmax_mhz:max]\n");
  const auto file = SpaceFile::load(path);
  ASSERT_EQ(file.space.dimension(), 2u);
  EXPECT_EQ(file.space.knobs()[0].values(), (std::vector<double>{1, 2, 4, 8}));
  EXPECT_EQ(file.space.knobs()[1].values(), (std::vector<double>{4, 6, 8, 10, 12, 14, 16}));
  // pe 1, 2, 4: every width (7 each); pe 8: width 4, 6, 8.
  EXPECT_EQ(file.designs.size(), 24u);
  for (const auto& design : file.designs) EXPECT_LE(design.values[0] * design.values[1], 64);
  ASSERT_EQ(file.objectives.size(), 2u);
  EXPECT_EQ(file.objectives[1].metric, "fmax_mhz");
  EXPECT_EQ(file.objectives[1].sense, Sense::maximize);
  EXPECT_EQ(file.sha256.size(), 64u);
}

TEST(SpaceFile, RangesOfFractionsAndLabels) {
  TempDir dir;
  const auto path = dir.write("space.yaml", "knobs:\n  alpha: {range: [0.1, 0.5, 0.1]}\n  mode: [fast, small]\n"
                                            "  depth: {range: [1, 3]}\n");
  const auto file = SpaceFile::load(path);
  EXPECT_EQ(file.space.knobs()[0].values(), (std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5}));
  EXPECT_EQ(file.space.knobs()[1].format(1), "small");
  EXPECT_EQ(file.space.knobs()[2].size(), 3u);
  EXPECT_EQ(file.designs.size(), 30u);
  EXPECT_TRUE(file.objectives.empty());
}

TEST(SpaceFile, BadInputIsRefusedWithWhereAndWhat) {
  EXPECT_NE(load_error("knobs: {pe: [1, 2}\n").find("space.yaml:1:"), std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: [1, 2}\n").find("not valid YAML"), std::string::npos);
  EXPECT_NE(load_error("knob: {pe: [1]}\n").find("unknown field 'knob'"), std::string::npos);
  EXPECT_NE(load_error("constraints: []\n").find("knobs: expected a map"), std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: []}\n").find("knobs.pe: the list of values is empty"), std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: [1, [2]]}\n").find("knobs.pe: expected a number or a label"), std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: {range: [8, 4]}}\n").find("knobs.pe.range: hi 4 is below lo 8"), std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: {range: [1, 4, 0]}}\n").find("the step 0 must be positive"), std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: {range: [1]}}\n").find("expected [lo, hi] or [lo, hi, step]"), std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: {range: [1, x]}}\n").find("knobs.pe.range[1]: expected a finite number"),
            std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: {from: 1}}\n").find("expected a list of values or {range"), std::string::npos);
  EXPECT_NE(load_error("knobs: {2pe: [1]}\n").find("'2pe' is not a knob name"), std::string::npos);
  const auto unknown = load_error("knobs: {pe: [1, 2]}\nconstraints: [\"pe <= 2\", \"pe * lanes <= 4\"]\n");
  EXPECT_NE(unknown.find("space.yaml:2:"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("constraints[1] \"pe * lanes <= 4\": column 6: unknown knob 'lanes'"), std::string::npos)
      << unknown;
  EXPECT_NE(load_error("knobs: {pe: [1, 2]}\nconstraints: [\"pe >\"]\n").find("column 5: expected a number"),
            std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: [1, 2]}\nconstraints: [\"pe > 4\"]\n").find("no knob combination satisfies"),
            std::string::npos);
  EXPECT_NE(load_error("knobs: {pe: [1]}\nobjectives: [luts:smallest]\n").find("objectives[0]"), std::string::npos);
  EXPECT_NE(load_error("knobs: {a: {range: [1, 1000]}, b: {range: [1, 1000]}, c: {range: [1, 1000]}}\n")
                .find("combinations; at most"),
            std::string::npos);
  EXPECT_NE(load_error("knobs: {a: {range: [1, 2000]}, b: {range: [1, 1000]}}\n").find("more than 1000000 legal designs"),
            std::string::npos);
  EXPECT_NE(load_error("- 1\n").find("expected a map"), std::string::npos);
}

TEST(SpaceFile, MissingFileIsNamed) {
  EXPECT_THROW(
      {
        try {
          SpaceFile::load("/nonexistent/space.yaml");
        } catch (const InputError& error) {
          EXPECT_NE(std::string(error.what()).find("/nonexistent/space.yaml: cannot open"), std::string::npos);
          throw;
        }
      },
      InputError);
}

}  // namespace
}  // namespace codse
