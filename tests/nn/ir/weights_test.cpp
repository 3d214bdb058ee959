#include "nn/ir/weights.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace codse::nn {
namespace {

Weights sample_weights() {
  Weights weights;
  LayerWeights& fc = weights.layers["fc1"];
  fc.weight = {{2, 3}, {0.5f, -1.25f, 3.0f, -0.0f, 1e-20f, std::numeric_limits<float>::max()}};
  fc.bias = {{2}, {0.125f, -7.0f}};
  fc.mask = {{2, 3}, {1, 0, 1, 1, 1, 0}};
  fc.weight_scale_log2 = -3;
  LayerWeights& bn = weights.layers["bn1"];
  bn.gamma = {{2}, {1.0f, 2.0f}};
  bn.beta = {{2}, {0.0f, -1.0f}};
  bn.running_mean = {{2}, {0.25f, 0.5f}};
  bn.running_var = {{2}, {1.5f, 0.75f}};
  bn.eps = 1e-3f;
  weights.layers["act1"].activation_scale_log2 = -4;
  return weights;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string load_error(const std::filesystem::path& path) {
  try {
    Weights::load(path.string());
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

TEST(Weights, SaveAndLoadRoundTripEveryField) {
  testing::TempDir dir;
  const Weights weights = sample_weights();
  weights.save((dir / "w.bin").string());
  const Weights loaded = Weights::load((dir / "w.bin").string());
  EXPECT_EQ(loaded.layers, weights.layers);
  EXPECT_FALSE(loaded.at("fc1").activation_scale_log2.has_value());
  EXPECT_EQ(loaded.at("act1").activation_scale_log2, -4);
  EXPECT_TRUE(loaded.at("act1").weight.data.empty());
}

TEST(Weights, FileIsLittleEndianWithMagicAndVersion) {
  testing::TempDir dir;
  Weights weights;
  weights.layers["a"].bias = {{1}, {1.0f}};
  weights.save((dir / "w.bin").string());
  const std::string bytes = read_bytes(dir / "w.bin");
  ASSERT_GE(bytes.size(), 16u);
  EXPECT_EQ(bytes.substr(0, 8), "CODSEWTS");
  EXPECT_EQ(bytes.substr(8, 4), std::string("\x01\x00\x00\x00", 4));   // version 1
  EXPECT_EQ(bytes.substr(12, 4), std::string("\x01\x00\x00\x00", 4));  // one layer
  // 1.0f = 0x3F800000, little-endian, are the last four bytes.
  EXPECT_EQ(bytes.substr(bytes.size() - 4), std::string("\x00\x00\x80\x3F", 4));
  // magic 8 + version 4 + count 4 + name (4 + 1) + eps 4 + flags 1 + scales 8 + tensor count 4
  // + tag 1 + rank 4 + dim 8 + data 4.
  EXPECT_EQ(bytes.size(), 8u + 4 + 4 + 5 + 4 + 1 + 8 + 4 + 1 + 4 + 8 + 4);
}

TEST(Weights, EveryTruncationIsAnInputErrorNamingTheFile) {
  testing::TempDir dir;
  sample_weights().save((dir / "w.bin").string());
  const std::string bytes = read_bytes(dir / "w.bin");
  const auto cut = dir / "cut.bin";
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    write_bytes(cut, bytes.substr(0, length));
    const std::string message = load_error(cut);
    ASSERT_NE(message.find(cut.string()), std::string::npos) << "length " << length << ": " << message;
  }
  write_bytes(cut, bytes.substr(0, bytes.size() - 2));
  EXPECT_NE(load_error(cut).find("truncated"), std::string::npos) << load_error(cut);
}

TEST(Weights, BadMagicVersionAndTrailingBytesAreRejected) {
  testing::TempDir dir;
  sample_weights().save((dir / "w.bin").string());
  std::string bytes = read_bytes(dir / "w.bin");
  const auto bad = dir / "bad.bin";

  std::string wrong_magic = bytes;
  wrong_magic[0] = 'X';
  write_bytes(bad, wrong_magic);
  EXPECT_NE(load_error(bad).find("bad magic"), std::string::npos) << load_error(bad);

  std::string wrong_version = bytes;
  wrong_version[8] = 9;
  write_bytes(bad, wrong_version);
  EXPECT_NE(load_error(bad).find("version 9"), std::string::npos) << load_error(bad);

  write_bytes(bad, bytes + "xyz");
  EXPECT_NE(load_error(bad).find("3 unexpected bytes"), std::string::npos) << load_error(bad);

  write_bytes(bad, "{\"layers\": []}");
  EXPECT_NE(load_error(bad).find("bad magic"), std::string::npos) << load_error(bad);

  EXPECT_NE(load_error(dir / "absent.bin").find("cannot open"), std::string::npos);
}

TEST(Weights, HugeDimensionsFailWithoutAllocating) {
  testing::TempDir dir;
  Weights weights;
  weights.layers["a"].bias = {{1}, {1.0f}};
  weights.save((dir / "w.bin").string());
  std::string bytes = read_bytes(dir / "w.bin");
  // The dimension is the 8 bytes before the last 4 (data); make it 2^62.
  const std::size_t dim_at = bytes.size() - 12;
  for (int i = 0; i < 8; ++i) bytes[dim_at + i] = 0;
  bytes[dim_at + 7] = 0x40;
  write_bytes(dir / "huge.bin", bytes);
  EXPECT_NE(load_error(dir / "huge.bin").find("truncated"), std::string::npos)
      << load_error(dir / "huge.bin");
}

TEST(Weights, AtNamesAMissingLayer) {
  const Weights weights = sample_weights();
  EXPECT_EQ(weights.at("fc1").bias.numel(), 2);
  try {
    weights.at("conv9");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("conv9"), std::string::npos);
  }
  EXPECT_EQ(Tensor{}.numel(), 0);
}

}  // namespace
}  // namespace codse::nn
