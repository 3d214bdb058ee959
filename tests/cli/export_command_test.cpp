// `codse export` as a user runs it: a design from files and from a co-exploration study, the
// trials table of a co-exploration and of a dse study (its front flags are the report's front),
// and bad input (exit 2 naming the file or field).

#include <fstream>
#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/run_codse.hpp"
#include "explore/explore_test_support.hpp"
#include "hw/templates/mapping_file.hpp"
#include "report/report_data.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

using ::testing::HasSubstr;
using testing::run_codse;
using testing::TempDir;

const std::string source = CODSE_SOURCE_DIR;
const std::string digits = std::string(CODSE_SHARED_DATA_DIR) + "/sklearn-digits/digits.csv.gz";
const std::string digits_network = source + "/examples/networks/digits_mlp_w4a4.json";
const std::string digits_mapping = source + "/examples/mappings/digits_mlp_w4a4.json";

/// An RFC 4180 CSV: rows of fields (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  rows.pop_back();  // after the last CRLF
  return rows;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Trial numbers whose on_front column is true, and the number of rows.
struct CsvFront {
  std::set<std::size_t> front;
  std::size_t rows = 0;
};

CsvFront csv_front(const std::filesystem::path& csv) {
  const auto rows = parse_csv(read_text(csv));
  CsvFront out;
  const auto& header = rows.front();
  const auto number = std::find(header.begin(), header.end(), "number") - header.begin();
  const auto on_front = std::find(header.begin(), header.end(), "on_front") - header.begin();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), header.size()) << "row " << r;
    if (rows[r][static_cast<std::size_t>(on_front)] == "true") out.front.insert(std::stoul(rows[r][static_cast<std::size_t>(number)]));
  }
  out.rows = rows.size() - 1;
  return out;
}

/// The front `codse report` shows: the same collect_report_data, and the count it prints.
std::set<std::size_t> report_front(const std::filesystem::path& db, const std::filesystem::path& dir) {
  const auto report = run_codse("report " + db.string() + " --out " + (dir / "r.html").string());
  EXPECT_EQ(report.exit_code, 0) << report.output;
  const Store store(db, StoreAccess::read_only);
  const auto data = report::collect_report_data(store.study(store.study_names().front()));
  EXPECT_THAT(report.output, HasSubstr(fmt::format("front:       {} designs", data.front.size())));
  return {data.front.begin(), data.front.end()};
}

struct DigitsStudy {
  TempDir dir;
  std::filesystem::path db = dir / "study.sqlite";
  DigitsStudy() {
    const auto config = testing::write_file(dir / "tiny.yaml", testing::digits_config(2));
    const auto run = run_codse("explore " + config.string() + " --db " + db.string());
    EXPECT_EQ(run.exit_code, 0) << run.output;
  }
};

TEST(ExportCommand, DesignFromFilesWritesCodseAndFinnFiles) {
  TempDir dir;
  const auto train = run_codse("train --network " + digits_network + " --dataset csv:" + digits +
                               " --epochs 1 --seed 3 --out " + (dir / "run").string());
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const auto out = dir / "export";
  const auto result = run_codse("export --network " + digits_network + " --weights " + (dir / "run/weights.bin").string() +
                                " --mapping " + digits_mapping + " --device iCE40UP5K --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("skipped: hls4ml (the mapping's template is 'folded'"));
  for (const char* file : {"network.json", "weights.bin", "integer_model.json", "mapping.json",
                           "finn/folding_config.json", "README.md"})
    EXPECT_TRUE(std::filesystem::is_regular_file(out / file)) << file;
  EXPECT_FALSE(std::filesystem::exists(out / "hls4ml"));
  EXPECT_EQ(read_text(out / "weights.bin"), read_text(dir / "run/weights.bin"));
  EXPECT_EQ(read_text(out / "integer_model.json"), read_text(dir / "run/integer_model.json"));
  EXPECT_EQ(hw::load_mapping((out / "mapping.json").string()), hw::load_mapping(digits_mapping));
  const auto folding = nlohmann::json::parse(read_text(out / "finn/folding_config.json"));
  EXPECT_EQ(folding.at("MatrixVectorActivation_1").at("SIMD").get<int>(), 4);
  EXPECT_THAT(read_text(out / "README.md"), HasSubstr("fpga_part=\"iCE40UP5K-SG48\""));

  // An unrolled mapping gets hls4ml's config with the device's part, and no FINN config.
  const auto unrolled = run_codse("export --network " + digits_network + " --weights " +
                                  (dir / "run/weights.bin").string() + " --mapping " + source +
                                  "/examples/mappings/digits_mlp_w4a4_unrolled.json --device XC7Z020 --out " +
                                  (dir / "unrolled").string());
  ASSERT_EQ(unrolled.exit_code, 0) << unrolled.output;
  EXPECT_THAT(unrolled.output, HasSubstr("skipped: finn (the mapping's template is 'unrolled'"));
  const auto hls4ml = read_text(dir / "unrolled/hls4ml/config.yml");
  EXPECT_THAT(hls4ml, HasSubstr("Part: xc7z020clg400-1"));
  EXPECT_THAT(hls4ml, HasSubstr("ReuseFactor: 8"));
  EXPECT_FALSE(std::filesystem::exists(dir / "unrolled/finn"));

  // --format picks a subset; exporting into the same directory again replaces the files.
  const auto only = run_codse("export --network " + digits_network + " --weights " +
                              (dir / "run/weights.bin").string() + " --format network,weights --out " +
                              (dir / "subset").string());
  ASSERT_EQ(only.exit_code, 0) << only.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "subset/network.json"));
  EXPECT_FALSE(std::filesystem::exists(dir / "subset/README.md"));
}

TEST(ExportCommand, TrialOfACoExplorationAndItsTrialsTable) {
  DigitsStudy study;
  const auto trials = Store(study.db, StoreAccess::read_only).study("tiny").trials();
  ASSERT_GE(trials.size(), 2u);
  const auto out = study.dir / "trial1";
  const auto result = run_codse("export --db " + study.db.string() + " --trial 1 --out " + out.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto artifacts = nlohmann::json::parse(trials[1].artifacts_json);
  EXPECT_EQ(hw::load_mapping((out / "mapping.json").string()),
            hw::parse_mapping(artifacts.at("mapping").dump(), "trial 1"));
  EXPECT_EQ(read_text(out / "weights.bin"), read_text(study.dir / artifacts.at("weights").get<std::string>()));
  EXPECT_TRUE(std::filesystem::exists(out / "finn/folding_config.json"));

  // The README's eval command evaluates the exported files on the study's validation split: the
  // accuracy the trial recorded (train's torch evaluation), to one sample.
  const auto readme = read_text(out / "README.md");
  const auto begin = readme.find("`codse eval ") + std::string("`codse eval ").size();
  const auto eval_args = readme.substr(begin, readme.find('`', begin) - begin);
  const auto eval = run_codse("eval " + eval_args + " --json", "cd " + out.string() + " &&");
  ASSERT_EQ(eval.exit_code, 0) << eval.output;
  const auto evaluated = nlohmann::json::parse(eval.output.substr(eval.output.find('{')));
  EXPECT_NEAR(evaluated.at("accuracy").get<double>(), trials[1].metrics.values.at("accuracy"),
              1.0 / evaluated.at("samples").get<double>() + 1e-12);
  EXPECT_DOUBLE_EQ(evaluated.at("integer_model").at("agreement").get<double>(), 1.0);
  EXPECT_EQ(evaluated.at("split"), "validation");

  const auto missing = run_codse("export --db " + study.db.string() + " --trial 999 --out " + (study.dir / "x").string());
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr(fmt::format("trial 999 is not in the study (its trials are 0 to {})",
                                                    trials.back().number)));
  EXPECT_FALSE(std::filesystem::exists(study.dir / "x"));

  const auto csv = study.dir / "trials.csv";
  const auto table = run_codse("export --db " + study.db.string() + " --trials " + csv.string());
  ASSERT_EQ(table.exit_code, 0) << table.output;
  const auto exported = csv_front(csv);
  EXPECT_EQ(exported.rows, trials.size());
  const auto front = report_front(study.db, study.dir.path());
  EXPECT_FALSE(front.empty());
  EXPECT_EQ(exported.front, front);

  const auto front_json = study.dir / "front.json";
  ASSERT_EQ(run_codse("export --db " + study.db.string() + " --trials " + front_json.string() + " --front").exit_code, 0);
  const auto json = nlohmann::json::parse(read_text(front_json));
  EXPECT_EQ(json.at("trials").size(), front.size());
  for (const auto& row : json.at("trials")) {
    EXPECT_TRUE(row.at("on_front").get<bool>());
    EXPECT_TRUE(std::filesystem::is_regular_file(row.at("artifacts").get<std::string>())) << row.dump();
  }
}

TEST(ExportCommand, TrialsTableOfADseStudy) {
  TempDir dir;
  const auto db = dir / "dse.sqlite";
  const auto run = run_codse("dse --table " + source + "/examples/tables/mlp_folding.csv --knobs 'knob_*' "
                             "--objective ii_cycles:min --objective lut:min --algo random --budget 40 --seed 2 --db " +
                             db.string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto csv = dir / "trials.csv";
  const auto result = run_codse("export --db " + db.string() + " --trials " + csv.string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto exported = csv_front(csv);
  EXPECT_EQ(exported.rows, 40u);
  const auto front = report_front(db, dir.path());
  EXPECT_FALSE(front.empty());
  EXPECT_EQ(exported.front, front);
  // The knob columns are the table's.
  EXPECT_THAT(read_text(csv).substr(0, read_text(csv).find("\r\n")), HasSubstr(",knob_"));
  // A dse trial has no network to export.
  const auto design = run_codse("export --db " + db.string() + " --trial 0 --out " + (dir / "d").string());
  EXPECT_EQ(design.exit_code, 2) << design.output;
  EXPECT_THAT(design.output, HasSubstr("trial 0: records no network and weights"));
}

TEST(ExportCommand, OutThatIsAFileIsRefusedNamingIt) {
  TempDir dir;
  const auto file = dir.write("taken", "x");
  const auto result = run_codse("export --network " + digits_network + " --weights /nonexistent.bin --out " +
                                file.string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_THAT(result.output, HasSubstr("--out " + file.string() + ": is a file"));
}

}  // namespace
}  // namespace codse
