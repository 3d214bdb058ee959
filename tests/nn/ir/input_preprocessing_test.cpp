// The input preprocessing a network records (an imported model's): read and written with the
// network file, absent in files written before it existed, refused when malformed.

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::nn {
namespace {

const std::string kLayers =
    R"("layers": [{"name": "in", "type": "input", "shape": [3, 4, 4]}, {"name": "fc", "type": "dense", "units": 2}]})";

TEST(InputPreprocessing, AbsentInOlderFilesAndKeptThroughSaveAndLoad) {
  const auto old = parse_network_json(R"({"name": "n", )" + kLayers, "old.json");
  EXPECT_FALSE(old.preprocessing().has_value());
  EXPECT_EQ(format_network_json(old).find("preprocessing"), std::string::npos);

  const auto net = parse_network_json(
      R"({"name": "n", "preprocessing": {"scale": 0.00392156862745098, "mean": [0.485, 0.456, 0.406],
          "std": [0.229, 0.224, 0.225]}, )" + kLayers, "n.json");
  ASSERT_TRUE(net.preprocessing().has_value());
  EXPECT_DOUBLE_EQ(net.preprocessing()->mean_of(1), 0.456);
  EXPECT_DOUBLE_EQ(net.preprocessing()->std_of(2), 0.225);
  const auto again = parse_network_json(format_network_json(net), "again.json");
  EXPECT_EQ(again.preprocessing(), net.preprocessing());  // doubles written to round trip exactly
}

TEST(InputPreprocessing, MalformedFieldsNameFileAndField) {
  const auto error_of = [](const std::string& preprocessing) {
    try {
      parse_network_json(R"({"name": "n", "preprocessing": )" + preprocessing + ", " + kLayers, "p.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of(R"({"scale": 1, "mean": [0, 0], "std": [1]})").find("'mean': expected 1 or 3 values (the input has 3 channels), got 2 values"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"scale": 1, "mean": [0], "std": [0]})").find("'std': expected positive"), std::string::npos);
  EXPECT_NE(error_of(R"({"scale": -1, "mean": [0], "std": [1]})").find("'scale'"), std::string::npos);
  EXPECT_NE(error_of(R"({"scale": 1, "mean": [0]})").find("p.json: preprocessing: the field 'std' is missing"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"scale": 1, "mean": [0], "std": [1], "offset": 2})").find("unknown field 'offset'"),
            std::string::npos);
}

}  // namespace
}  // namespace codse::nn
