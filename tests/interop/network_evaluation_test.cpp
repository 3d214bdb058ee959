// evaluate_network on hand-made samples labelled with the reference forward's own predictions
// (accuracy 1) and with a shifted label (accuracy 0), the integer model's agreement, the sample
// limit and samples of the wrong size.

#include <algorithm>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "interop/network_evaluation.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "nn/quant/reference_forward.hpp"

namespace codse::interop {
namespace {

const std::filesystem::path examples = std::filesystem::path(CODSE_SOURCE_DIR) / "examples";

TEST(NetworkEvaluation, AccuracyAgainstLabelsAndTheIntegerModel) {
  const auto network = nn::load_network(examples / "networks/digits_mlp_w4a4.json");
  const auto weights = nn::random_weights(network, 11);
  const auto model = nn::export_integer_model(network, weights);
  const nn::ReferenceForward forward(network, weights, nn::Arithmetic::fake_quant);
  std::mt19937 random(5);
  std::uniform_real_distribution<float> pixel(0.0F, 1.0F);
  const std::size_t n = 40;
  std::vector<float> features(n * 64);
  for (auto& value : features) value = pixel(random);
  std::vector<int> own(n), shifted(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto logits = forward.run(std::span<const float>(features).subspan(i * 64, 64));
    own[i] = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    shifted[i] = (own[i] + 1) % 10;
  }
  const nn::Dataset right({64, 1, 1}, 10, features, own);
  const auto all = evaluate_network(network, weights, right, &model);
  EXPECT_EQ(all.samples, n);
  EXPECT_EQ(all.arithmetic, "fake_quant");
  EXPECT_DOUBLE_EQ(all.accuracy, 1.0);
  ASSERT_TRUE(all.integer_accuracy && all.integer_agreement);
  EXPECT_DOUBLE_EQ(*all.integer_accuracy, *all.integer_agreement);  // labels are the reference's
  EXPECT_GE(*all.integer_agreement, 0.95);

  const nn::Dataset wrong({64, 1, 1}, 10, features, shifted);
  const auto first = evaluate_network(network, weights, wrong, nullptr, 10);
  EXPECT_EQ(first.samples, 10u);
  EXPECT_DOUBLE_EQ(first.accuracy, 0.0);
  EXPECT_FALSE(first.integer_accuracy.has_value());

  const nn::Dataset small({16, 1, 1}, 10, std::vector<float>(16, 0.5F), {3});
  try {
    evaluate_network(network, weights, small, nullptr);
    FAIL() << "samples of 16 values were evaluated by a network of 64 inputs";
  } catch (const InputError& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr("samples have 16 values but network digits_mlp_w4a4 takes 64"));
  }
}

}  // namespace
}  // namespace codse::interop
