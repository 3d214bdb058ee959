// A trained network's workload takes the widths codse's RTL builds from the trained model: the
// weights as wide as their values need, bipolar only when all of them are +-1, the accumulator
// from the recorded bounds. Without a model the declared widths stay.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "hw/model/workload.hpp"
#include "hw/rtl/trained_widths.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/integer/integer_op_rules.hpp"
#include "nn/ir/network_builder.hpp"
#include "nn/quant/random_weights.hpp"

namespace codse::hw {
namespace {

nn::Network dense_network(int weight_bits) {
  return nn::NetworkBuilder("trained_widths")
      .input({64}, nn::unsigned_bits(4))
      .dense(16, nn::signed_bits(weight_bits))
      .named("fc")
      .no_bias()
      .build();
}

/// The model with the fc op's weight levels passed through `change`.
template <typename Change>
nn::IntegerModel with_weights(const nn::IntegerModel& model, Change change) {
  std::vector<nn::IntegerOp> ops = model.ops();
  for (auto& op : ops)
    if (op.name == "fc") std::transform(op.weights.begin(), op.weights.end(), op.weights.begin(), change);
  for (std::size_t i = 0; i < ops.size(); ++i) nn::fill_derived_fields(ops, i);  // the bounds the exporter records
  return nn::IntegerModel(model.name(), ops);
}

const nn::IntegerOp& fc_op(const nn::IntegerModel& model) {
  for (const auto& op : model.ops())
    if (op.kind == nn::IntegerOpKind::dense) return op;
  throw std::logic_error("no dense op");
}

TEST(TrainedWidths, TrainedWeightsAsWideAsTheirValues) {
  const auto network = dense_network(4);
  const auto model = nn::export_integer_model(network, nn::random_weights(network, 3));
  EXPECT_EQ(Workload(network).weight_unit(0).weight_bits, 4);
  EXPECT_EQ(Workload(network, trained_widths(model)).weight_unit(0).weight_bits,
            trained_weight_bits(fc_op(model).weights));

  // Four-bit weights that trained to [-4, 3] are built 3 bits wide; to [0, 1], 2 (the RTL's least).
  const auto narrow = with_weights(model, [](std::int32_t w) { return std::clamp(w, -4, 3); });
  EXPECT_EQ(Workload(network, trained_widths(narrow)).weight_unit(0).weight_bits, 3);
  const auto tiny = with_weights(model, [](std::int32_t w) { return w > 0 ? 1 : 0; });
  EXPECT_EQ(Workload(network, trained_widths(tiny)).weight_unit(0).weight_bits, 2);
}

TEST(TrainedWidths, TrainedAccumulatorFromTheRecordedBounds) {
  const auto network = dense_network(4);
  const auto model = nn::export_integer_model(network, nn::random_weights(network, 3));
  const nn::IntegerOp& fc = fc_op(model);
  ASSERT_LT(fc.min, 0);
  const Unit declared = Workload(network).weight_unit(0);
  const Unit trained = Workload(network, trained_widths(model)).weight_unit(0);
  EXPECT_EQ(declared.acc_bits, accumulator_bits(4, 4, 64, false));  // 4 + 4 + 6
  EXPECT_EQ(trained.acc_bits, nn::signed_bits(fc.min, fc.max));
  EXPECT_LE(trained.acc_bits, declared.acc_bits);
}

TEST(TrainedWidths, BipolarOnlyWhenEveryTrainedWeightIsPlusOrMinusOne) {
  const auto network = dense_network(1);
  const auto model = nn::export_integer_model(network, nn::random_weights(network, 3));
  EXPECT_TRUE(Workload(network).weight_unit(0).bipolar_weights);
  EXPECT_TRUE(Workload(network, trained_widths(model)).weight_unit(0).bipolar_weights);
  EXPECT_EQ(Workload(network, trained_widths(model)).weight_unit(0).weight_bits, 1);
  // One weight pruned to 0 makes them ternary: 2 bits and a product, as the RTL builds them.
  bool first = true;
  const auto pruned = with_weights(model, [&first](std::int32_t w) {
    const std::int32_t out = first ? 0 : w;
    first = false;
    return out;
  });
  const Unit unit = Workload(network, trained_widths(pruned)).weight_unit(0);
  EXPECT_FALSE(unit.bipolar_weights);
  EXPECT_FALSE(unit.xnor);
  EXPECT_EQ(unit.weight_bits, 2);
}

}  // namespace
}  // namespace codse::hw
