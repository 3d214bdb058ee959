// integer_model_difference: an integer model is refused for a network it was not exported from.
#include <gtest/gtest.h>

#include <string>

#include "nn/integer/integer_export.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"

namespace codse::nn {
namespace {

const std::string examples = std::string(CODSE_SOURCE_DIR) + "/examples/networks/";

IntegerModel model_of(const Network& network) { return export_integer_model(network, random_weights(network, 3)); }

TEST(IntegerModelDifference, NoneForTheNetworksOwnModel) {
  for (const char* name : {"digits_mlp_w2a2.json", "mnist_resmlp_w4a4.json", "cnv_w2a2.json"}) {
    const Network network = load_network(examples + name);
    EXPECT_EQ(integer_model_difference(network, model_of(network)), std::nullopt) << name;
  }
}

TEST(IntegerModelDifference, NamesTheFirstDifference) {
  const Network digits = load_network(examples + "digits_mlp_w2a2.json");
  const Network w4 = load_network(examples + "digits_mlp_w4a4.json");
  // Another network's model: its name differs first.
  const auto other = integer_model_difference(digits, model_of(w4));
  ASSERT_TRUE(other);
  EXPECT_NE(other->find("digits_mlp_w4a4"), std::string::npos) << *other;

  // The same layers under the same network name, one layer wider: the units differ.
  std::vector<Layer> layers = digits.layers();
  layers[1].units = 32;
  const Network wider(digits.name(), layers);
  const auto units = integer_model_difference(digits, model_of(wider));
  ASSERT_TRUE(units);
  EXPECT_NE(units->find("op 1 (dense fc1): 32 units, layer fc1 has 16"), std::string::npos) << *units;

  // Other weight bits.
  layers = digits.layers();
  layers[4].weight_quant.bits = 4;
  const auto bits = integer_model_difference(digits, model_of(Network(digits.name(), layers)));
  ASSERT_TRUE(bits);
  EXPECT_NE(bits->find("fc2"), std::string::npos) << *bits;
  EXPECT_NE(bits->find("4-bit weights"), std::string::npos) << *bits;

  // A layer renamed.
  layers = digits.layers();
  layers[4].name = "out";
  const auto renamed = integer_model_difference(digits, model_of(Network(digits.name(), layers)));
  ASSERT_TRUE(renamed);
  EXPECT_NE(renamed->find("the network has no layer out"), std::string::npos) << *renamed;
}

}  // namespace
}  // namespace codse::nn
