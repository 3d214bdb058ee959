#include "nn/morph/morphism.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>

#include "core/error.hpp"
#include "nn/ir/network_builder.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/reference_forward.hpp"

namespace codse::nn {
namespace {

const std::filesystem::path kExamples = std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "networks";
constexpr float kTolerance = 1e-5f;

template <typename Fn>
void expect_input_error(Fn fn, const std::string& part) {
  try {
    fn();
    ADD_FAILURE() << "no InputError, expected one containing: " << part;
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

Tensor random_tensor(std::vector<std::int64_t> shape, float scale, std::mt19937_64& rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  Tensor t;
  t.shape = std::move(shape);
  t.data.resize(static_cast<std::size_t>(t.numel()));
  for (auto& v : t.data) v = normal(rng) * scale;
  return t;
}

/// Random weights that fit the network, with an activation exponent of -3 for every quantized
/// activation so that fake quantization can run too.
Weights random_weights(const Network& net, std::mt19937_64& rng) {
  std::uniform_real_distribution<float> uniform(0.5f, 1.5f);
  Weights weights;
  for (std::size_t i = 0; i < net.layers().size(); ++i) {
    const auto& layer = net.layers()[i];
    const Shape in = i == 0 ? net.input_shape() : net.shapes()[net.input_indices(i).front()];
    LayerWeights w;
    if (layer.kind == LayerKind::dense || layer.kind == LayerKind::conv2d) {
      const std::int64_t fan_in = layer.kind == LayerKind::dense
                                      ? in.size()
                                      : std::int64_t{in.channels} * layer.kernel * layer.kernel;
      w.weight = layer.kind == LayerKind::dense
                     ? random_tensor({layer.units, in.size()}, 1.0f, rng)
                     : random_tensor({layer.units, in.channels, layer.kernel, layer.kernel}, 1.0f, rng);
      for (auto& v : w.weight.data) v /= std::sqrt(static_cast<float>(fan_in));
      if (layer.bias) w.bias = random_tensor({layer.units}, 0.1f, rng);
    } else if (layer.kind == LayerKind::batchnorm) {
      w.gamma = random_tensor({in.channels}, 0.0f, rng);
      for (auto& v : w.gamma.data) v = uniform(rng);
      w.beta = random_tensor({in.channels}, 0.1f, rng);
      w.running_mean = random_tensor({in.channels}, 0.1f, rng);
      w.running_var = random_tensor({in.channels}, 0.0f, rng);
      for (auto& v : w.running_var.data) v = uniform(rng);
    } else if ((layer.kind == LayerKind::quant || layer.kind == LayerKind::input) &&
               !layer.activation_quant.is_float()) {
      w.activation_scale_log2 = -3;
    } else {
      continue;
    }
    weights.layers[layer.name] = w;
  }
  return weights;
}

std::vector<std::vector<float>> random_inputs(const Network& net, int count, std::mt19937_64& rng) {
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<std::vector<float>> inputs(static_cast<std::size_t>(count));
  for (auto& x : inputs) {
    x.resize(static_cast<std::size_t>(net.input_shape().size()));
    for (auto& v : x) v = uniform(rng);
  }
  return inputs;
}

/// Largest |parent - child| output over the inputs.
float max_output_change(const WeightedNetwork& parent, const WeightedNetwork& child,
                        const std::vector<std::vector<float>>& inputs,
                        Arithmetic arithmetic = Arithmetic::float32) {
  const ReferenceForward before(parent.network, parent.weights, arithmetic);
  const ReferenceForward after(child.network, child.weights, arithmetic);
  float change = 0.0f;
  for (const auto& x : inputs) {
    const auto a = before.run(x);
    const auto b = after.run(x);
    EXPECT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      change = std::max(change, std::fabs(a[i] - b[i]));
  }
  return change;
}

WeightedNetwork with_random_weights(Network net, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto weights = random_weights(net, rng);
  return WeightedNetwork{std::move(net), std::move(weights)};
}

WeightedNetwork small_mlp() {
  // in, fc1, bn1, relu1, fc2, bn2, relu2, fc3
  return with_random_weights(NetworkBuilder("mlp")
                                 .input({1, 6, 6})
                                 .dense(12)
                                 .batchnorm()
                                 .relu()
                                 .dense(12)
                                 .batchnorm()
                                 .relu()
                                 .dense(5)
                                 .build(),
                             1);
}

WeightedNetwork small_cnn(bool explicit_flatten) {
  // in, conv1, bn1, relu1, pool, conv2, bn2, relu2, [flat], fc
  NetworkBuilder builder("cnn");
  builder.input({2, 8, 8})
      .conv2d(4, 3)
      .padding(1)
      .batchnorm()
      .relu()
      .maxpool2d(2)
      .named("pool")
      .conv2d(6, 3)
      .batchnorm()
      .relu();
  if (explicit_flatten) builder.flatten().named("flat");
  builder.dense(5).named("fc");
  return with_random_weights(builder.build(), 2);
}

WeightedNetwork example(const std::string& name, std::uint64_t seed) {
  return with_random_weights(load_network(kExamples / (name + ".json")), seed);
}

TEST(Morphism, WidenDenseKeepsTheFunction) {
  const auto parent = small_mlp();
  std::mt19937_64 rng(7);
  const auto inputs = random_inputs(parent.network, 5, rng);
  const auto child = widen(parent, "fc1", 20, rng);
  EXPECT_EQ(child.network.layer("fc1").units, 20);
  EXPECT_EQ(child.weights.at("fc1").weight.shape, (std::vector<std::int64_t>{20, 36}));
  EXPECT_EQ(child.weights.at("bn1").gamma.shape, (std::vector<std::int64_t>{20}));
  EXPECT_EQ(child.weights.at("fc2").weight.shape, (std::vector<std::int64_t>{12, 20}));
  EXPECT_LE(max_output_change(parent, child, inputs), kTolerance);
  // The first units are the old ones; a new unit is a copy of one of them.
  const auto& old_rows = parent.weights.at("fc1").weight.data;
  const auto& new_rows = child.weights.at("fc1").weight.data;
  EXPECT_TRUE(std::equal(old_rows.begin(), old_rows.end(), new_rows.begin()));
  bool copies = false;
  for (int u = 0; u < 12; ++u)
    copies |= std::equal(new_rows.begin() + 12 * 36, new_rows.begin() + 13 * 36, old_rows.begin() + u * 36);
  EXPECT_TRUE(copies);
  // The parent is unchanged, and its output differs from a genuinely different network's.
  EXPECT_EQ(parent.network.layer("fc1").units, 12);
  auto broken = child;
  broken.weights.at("fc2").weight.data[0] += 0.5f;
  EXPECT_GT(max_output_change(parent, broken, inputs), 1e-3f);
}

TEST(Morphism, WidenConvThroughPoolAndFlatten) {
  for (bool explicit_flatten : {false, true}) {
    SCOPED_TRACE(explicit_flatten);
    const auto parent = small_cnn(explicit_flatten);
    std::mt19937_64 rng(3);
    const auto inputs = random_inputs(parent.network, 4, rng);
    const auto wider1 = widen(parent, "conv1", 7, rng);
    EXPECT_EQ(wider1.weights.at("conv2").weight.shape, (std::vector<std::int64_t>{6, 7, 3, 3}));
    EXPECT_LE(max_output_change(parent, wider1, inputs), kTolerance);
    const auto wider2 = widen(wider1, "conv2", 9, rng);  // 9 channels of 2x2 flattened into fc
    EXPECT_EQ(wider2.weights.at("fc").weight.shape, (std::vector<std::int64_t>{5, 36}));
    EXPECT_LE(max_output_change(parent, wider2, inputs), kTolerance);
  }
}

TEST(Morphism, DeepenInsertsIdentityLayers) {
  const auto mlp = small_mlp();
  const auto cnn = small_cnn(false);
  std::mt19937_64 rng(5);
  const auto mlp_child = deepen(mlp, "relu1");
  EXPECT_EQ(mlp_child.network.layers().size(), mlp.network.layers().size() + 2);
  EXPECT_EQ(mlp_child.network.layers()[4].kind, LayerKind::dense);
  EXPECT_EQ(mlp_child.network.layers()[5].kind, LayerKind::relu);
  EXPECT_EQ(mlp_child.network.input_indices(6), (std::vector<std::size_t>{5}));  // fc2 reads the new relu
  EXPECT_LE(max_output_change(mlp, mlp_child, random_inputs(mlp.network, 5, rng)), kTolerance);

  const auto cnn_child = deepen(cnn, "relu1");
  const auto& inserted = cnn_child.network.layers()[4];
  EXPECT_EQ(inserted.kind, LayerKind::conv2d);
  EXPECT_EQ(inserted.kernel, 3);
  EXPECT_EQ(inserted.padding, 1);
  EXPECT_EQ(inserted.units, 4);
  EXPECT_LE(max_output_change(cnn, cnn_child, random_inputs(cnn.network, 4, rng)), kTolerance);
  // Deepening twice at the same place gives fresh names.
  const auto twice = deepen(mlp_child, "relu1");
  EXPECT_EQ(twice.network.layers().size(), mlp.network.layers().size() + 4);
  EXPECT_LE(max_output_change(mlp, twice, random_inputs(mlp.network, 3, rng)), kTolerance);
}

TEST(Morphism, DeepenAQuantizedNetworkKeepsEvenTheFakeQuantizedFunction) {
  const auto parent = example("digits_mlp_w4a4", 11);
  std::mt19937_64 rng(13);
  const auto inputs = random_inputs(parent.network, 6, rng);
  const auto child = deepen(parent, "act1");
  const auto& inserted = child.network.layers()[4];
  EXPECT_EQ(inserted.weight_quant, signed_bits(4));
  EXPECT_EQ(child.network.layers()[5].activation_quant, unsigned_bits(4));
  EXPECT_EQ(child.weights.at(child.network.layers()[5].name).activation_scale_log2, -3);
  EXPECT_LE(max_output_change(parent, child, inputs), kTolerance);
  EXPECT_LE(max_output_change(parent, child, inputs, Arithmetic::fake_quant), kTolerance);
  // Binary weights cannot hold an identity: the new layer is ternary.
  const auto sfc = example("sfc_w1a1", 12);
  EXPECT_EQ(deepen(sfc, "act0").network.layers()[4].weight_quant, (QuantSpec{2, true, true, std::nullopt}));
}

TEST(Morphism, AddSkipStartsAtZero) {
  std::mt19937_64 rng(17);
  const auto mlp = small_mlp();
  const auto inputs = random_inputs(mlp.network, 5, rng);
  const auto same_shape = add_skip(mlp, "relu1", "relu2");  // 12 -> 12: zero-gamma batchnorm
  const auto& branch = same_shape.network.layer("relu2_skip_bn");
  EXPECT_EQ(branch.kind, LayerKind::batchnorm);
  EXPECT_EQ(same_shape.network.layer("relu2_skip_add").inputs,
            (std::vector<std::string>{"relu2", "relu2_skip_bn"}));
  EXPECT_EQ(same_shape.network.layer("relu2_skip_act").kind, LayerKind::relu);
  EXPECT_LE(max_output_change(mlp, same_shape, inputs), kTolerance);
  const auto projected = add_skip(mlp, "in", "relu2");  // 1x6x6 -> 12: zero dense projection
  EXPECT_EQ(projected.network.layer("relu2_skip_proj").kind, LayerKind::dense);
  EXPECT_LE(max_output_change(mlp, projected, inputs), kTolerance);

  const auto cnn = small_cnn(true);
  const auto strided = add_skip(cnn, "relu1", "relu2");  // 4x8x8 -> 6x2x2: conv 1x1, stride 4
  const auto& projection = strided.network.layer("relu2_skip_proj");
  EXPECT_EQ(projection.kind, LayerKind::conv2d);
  EXPECT_EQ(projection.stride, 4);
  EXPECT_LE(max_output_change(cnn, strided, random_inputs(cnn.network, 4, rng)), kTolerance);

  // The skip's weights are live: changing them changes the output.
  auto trained = same_shape;
  for (auto& g : trained.weights.at("relu2_skip_bn").gamma.data) g = 1.0f;
  EXPECT_GT(max_output_change(mlp, trained, inputs), 1e-3f);

  expect_input_error([&] { add_skip(mlp, "relu2", "relu1"); },
                     "add_skip: layer relu2 does not come before layer relu1");
  expect_input_error([&] { add_skip(mlp, "bn1", "relu1"); },
                     "add_skip: layer bn1 already feeds relu1 directly");
  expect_input_error([&] { add_skip(mlp, "nope", "relu1"); }, "add_skip: network mlp has no layer 'nope'");
}

TEST(Morphism, RemoveSkipAndRemoveLayerUndoAddSkipAndDeepen) {
  const auto mlp = small_mlp();
  const auto with_skip = add_skip(mlp, "relu1", "relu2");
  const auto back = remove_skip(with_skip, "relu2_skip_add");
  EXPECT_EQ(back.network.layers(), mlp.network.layers());
  EXPECT_EQ(back.weights.layers, mlp.weights.layers);

  const auto deeper = deepen(mlp, "relu1");
  const auto shallower = remove_layer(deeper, "relu1_deep_fc");
  EXPECT_EQ(shallower.network.layers(), mlp.network.layers());
  EXPECT_EQ(shallower.weights.layers, mlp.weights.layers);

  // remove_layer takes a block: fc2 goes with bn2 and relu2, and fc3 reads relu1.
  const auto removed = remove_layer(mlp, "fc2");
  EXPECT_EQ(removed.network.layers().size(), 5u);
  EXPECT_FALSE(removed.weights.contains("bn2"));
  EXPECT_EQ(removed.network.layers().back().name, "fc3");
  EXPECT_EQ(removed.network.input_indices(4), (std::vector<std::size_t>{3}));
  const auto no_bn = remove_layer(mlp, "bn1");
  EXPECT_EQ(no_bn.network.layers().size(), 7u);

  expect_input_error([&] { remove_layer(mlp, "in"); }, "remove_layer: layer in is the input layer");
  expect_input_error([&] { remove_layer(mlp, "fc3"); }, "remove_layer: layer fc3 is the output layer");
  expect_input_error(
      [&] { remove_layer(mlp, "fc1"); },
      "remove_layer: removing fc1, bn1, relu1 changes the input of layer fc2 from 12x1x1 to 36x1x1");
  const auto cnn = small_cnn(false);
  expect_input_error([&] { remove_layer(cnn, "pool"); }, "changes the input of layer conv2");
  expect_input_error([&] { remove_layer(with_skip, "relu2_skip_add"); }, "is an add; remove_skip removes it");
  expect_input_error([&] { remove_skip(mlp, "relu1"); },
                     "remove_skip: layer relu1 is a relu layer, not an add");
}

TEST(Morphism, RemoveSkipOfTheResidualExample) {
  const auto res = example("mnist_resmlp_w4a4", 21);
  const auto plain = remove_skip(res, "res");
  // The add goes, and act_res, which quantizes act3 again exactly as act3 did, goes with it.
  EXPECT_EQ(plain.network.layers().size(), res.network.layers().size() - 2);
  EXPECT_EQ(plain.network.layers().back().name, "fc4");
  EXPECT_EQ(plain.network.input_indices(plain.network.layers().size() - 1).front(),
            plain.network.index_of("act3"));
  EXPECT_FALSE(plain.weights.contains("act_res"));
}

TEST(Morphism, PruneUnitsDropsTheWeakestUnits) {
  // fc1 units 1 and 3 are all zero, so they contribute relu(0) = 0 and dropping them changes nothing.
  auto parent = with_random_weights(
      NetworkBuilder("p").input({6}).dense(4).relu().named("relu").dense(3).build(),
      4);
  auto& fc1 = parent.weights.at("fc1");
  for (int u : {1, 3}) {
    std::fill_n(fc1.weight.data.begin() + u * 6, 6, 0.0f);
    fc1.bias.data[static_cast<std::size_t>(u)] = 0.0f;
  }
  const auto child = prune_units(parent, "fc1", 0.5);
  EXPECT_EQ(child.network.layer("fc1").units, 2);
  const auto& kept = child.weights.at("fc1").weight.data;
  EXPECT_TRUE(std::equal(kept.begin(), kept.begin() + 6, fc1.weight.data.begin()));
  EXPECT_TRUE(std::equal(kept.begin() + 6, kept.end(), fc1.weight.data.begin() + 12));
  const auto& next = child.weights.at("fc2").weight;
  EXPECT_EQ(next.shape, (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(next.data[1], parent.weights.at("fc2").weight.data[2]);  // row 0, old column 2
  std::mt19937_64 rng(9);
  EXPECT_LE(max_output_change(parent, child, random_inputs(parent.network, 4, rng)), kTolerance);

  const auto cnn = small_cnn(false);
  const auto thinner = prune_units(cnn, "conv2", 0.5);
  EXPECT_EQ(thinner.weights.at("bn2").gamma.shape, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(thinner.weights.at("fc").weight.shape, (std::vector<std::int64_t>{5, 12}));
  expect_input_error([&] { prune_units(cnn, "conv1", 0.1); }, "must remove at least one unit");
  expect_input_error([&] { prune_units(cnn, "fc", 0.5); }, "prune_units: layer fc is the output layer");
}

TEST(Morphism, LowerBitsMovesTheScale) {
  auto parent = example("digits_mlp_w4a4", 31);
  parent.weights.at("fc1").weight_scale_log2 = -3;       // 4-bit levels up to 7 * 2^-3 = 0.875
  parent.weights.at("act1").activation_scale_log2 = -2;  // unsigned 4 bit: up to 15/4 = 3.75
  const auto w2 = lower_bits(parent, "fc1", 2);
  EXPECT_EQ(w2.network.layer("fc1").weight_quant, signed_bits(2));
  EXPECT_EQ(w2.weights.at("fc1").weight_scale_log2, 0);  // 2-bit signed: levels up to 1 * 2^0 >= 0.875
  const auto a2 = lower_bits(parent, "act1", 2);
  EXPECT_EQ(a2.network.layer("act1").activation_quant, unsigned_bits(2));
  EXPECT_EQ(a2.weights.at("act1").activation_scale_log2, 1);  // 3 * 2^1 >= 3.75 > 3 * 2^0
  const auto binary = lower_bits(parent, "fc2", 1);
  EXPECT_EQ(binary.network.layer("fc2").weight_quant, signed_bits(1));
  double mean = 0;
  for (float v : parent.weights.at("fc2").weight.data) mean += std::fabs(v);
  mean /= static_cast<double>(parent.weights.at("fc2").weight.data.size());
  EXPECT_EQ(binary.weights.at("fc2").weight_scale_log2, static_cast<int>(std::lround(std::log2(mean))));
  const auto input = lower_bits(parent, "in", 4);
  EXPECT_EQ(input.network.layer("in").activation_quant, unsigned_bits(4));
  EXPECT_EQ(input.weights.at("in").activation_scale_log2, -1);  // 31/8 = 3.875 > 15/4, so 15/2

  const auto fp = example("mnist_mlp_fp", 32);
  EXPECT_EQ(lower_bits(fp, "fc1", 8).network.layer("fc1").weight_quant, signed_bits(8));
  expect_input_error([&] { lower_bits(parent, "bn1", 2); },
                     "lower_bits: layer bn1 is a batchnorm layer, which has no bit width");
  expect_input_error([&] { lower_bits(parent, "fc1", 4); },
                     "lower_bits: layer fc1 has 4-bit weights; 4 bits is not fewer");
}

TEST(Morphism, RaiseSparsityMasksTheSmallestWeights) {
  auto parent = example("digits_mlp_w2a2", 41);
  const auto child = raise_sparsity(parent, "fc1", 0.5);
  EXPECT_EQ(child.network.layer("fc1").sparsity.target, 0.5);
  const auto& w = parent.weights.at("fc1").weight.data;
  const auto& mask = child.weights.at("fc1").mask.data;
  ASSERT_EQ(mask.size(), w.size());
  std::size_t zeros = 0;
  float largest_pruned = 0.0f, smallest_kept = 1e9f;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (mask[i] == 0.0f) {
      ++zeros;
      largest_pruned = std::max(largest_pruned, std::fabs(w[i]));
    } else {
      smallest_kept = std::min(smallest_kept, std::fabs(w[i]));
    }
  }
  EXPECT_EQ(zeros, w.size() / 2);
  EXPECT_LE(largest_pruned, smallest_kept);
  const auto stats = child.network.stats();
  EXPECT_EQ(stats.layers[1].nonzero_params, static_cast<std::int64_t>(w.size() - zeros));

  // Structured: whole units (rows) by L2 norm; earlier pruning stays.
  auto structured_net = parent.network.layers();
  structured_net[1].sparsity = {0.25, SparsityKind::structured};
  WeightedNetwork structured{Network("s", structured_net), parent.weights};
  const auto rows = raise_sparsity(structured, "fc1", 0.5);
  const auto& row_mask = rows.weights.at("fc1").mask.data;
  int zero_rows = 0;
  for (int u = 0; u < 16; ++u) {
    const auto first = row_mask.begin() + u * 64;
    const bool all_zero = std::all_of(first, first + 64, [](float m) { return m == 0.0f; });
    const bool all_one = std::all_of(first, first + 64, [](float m) { return m == 1.0f; });
    EXPECT_TRUE(all_zero || all_one);
    zero_rows += all_zero;
  }
  EXPECT_EQ(zero_rows, 8);
  const auto more = raise_sparsity(child, "fc1", 0.75);
  for (std::size_t i = 0; i < mask.size(); ++i)
    if (mask[i] == 0.0f) {
      EXPECT_EQ(more.weights.at("fc1").mask.data[i], 0.0f);
    }
  expect_input_error([&] { raise_sparsity(child, "fc1", 0.25); },
                     "raise_sparsity: layer fc1 has sparsity 0.5; 0.25 is not higher");
  expect_input_error([&] { raise_sparsity(parent, "act1", 0.5); },
                     "raise_sparsity: layer act1 has no weights");
}

TEST(Morphism, RefusalsNameTheMorphismAndLayer) {
  const auto res = example("mnist_resmlp_w4a4", 51);
  std::mt19937_64 rng(1);
  expect_input_error([&] { widen(res, "act1", 300, rng); }, "widen: layer act1 has no weights");
  expect_input_error([&] { widen(res, "fc4", 20, rng); }, "widen: layer fc4 is the output layer");
  expect_input_error([&] { widen(res, "fc1", 300, rng); },
                     "widen: layer fc1 feeds add res, whose two inputs must keep equal shapes");
  expect_input_error([&] { widen(res, "fc2", 200, rng); }, "widen: layer fc2 has 256 units; 200 is not more");
  expect_input_error([&] { deepen(res, "fc2"); }, "deepen: layer fc2 is a dense layer, not an activation");
  auto broken = res;
  broken.weights.layers.erase("bn2");
  expect_input_error([&] { widen(broken, "fc2", 300, rng); },
                     "widen: the weights do not fit the network: no weights for layer bn2");
  broken = res;
  broken.weights.at("fc3").weight.shape = {256, 255};
  expect_input_error([&] { deepen(broken, "act1"); },
                     "layer fc3 weight has shape [256, 255], expected [256, 256]");
}

TEST(Morphism, KindsComeFromTheRegistry) {
  std::vector<std::string> names;
  for (const auto kind : all_morphism_kinds()) names.push_back(to_string(kind));
  EXPECT_EQ(names, (std::vector<std::string>{"widen", "deepen", "add_skip", "remove_layer", "remove_skip",
                                             "prune_units", "lower_bits", "raise_sparsity"}));
  for (std::size_t i = 0; i < all_morphism_kinds().size(); ++i) {
    const auto kind = all_morphism_kinds()[i];
    EXPECT_EQ(static_cast<std::size_t>(kind), i);  // the enum follows the registry's order
    EXPECT_EQ(morphism_kind_from_string(to_string(kind)), kind);
  }
  EXPECT_EQ(morphism_kind_from_string("widen"), MorphismKind::widen);
  EXPECT_EQ(morphism_kind_from_string("Widen"), std::nullopt);
  EXPECT_EQ(morphism_kind_from_string("shrink"), std::nullopt);
  EXPECT_EQ(morphism_kind_from_string(""), std::nullopt);
  std::vector<std::string> preserving;
  for (const auto kind : all_morphism_kinds())
    if (is_function_preserving(kind)) preserving.push_back(to_string(kind));
  EXPECT_EQ(preserving, (std::vector<std::string>{"widen", "deepen", "add_skip"}));
}

TEST(Morphism, ApplicableMorphismsAreListedByKindThenLayer) {
  const auto net = load_network(kExamples / "mnist_resmlp_w4a4.json");
  const auto all = applicable_morphisms(net);
  ASSERT_FALSE(all.empty());
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(),
                             [](const Morphism& a, const Morphism& b) { return a.kind < b.kind; }));
  std::set<MorphismKind> kinds;
  for (const auto& m : all) kinds.insert(m.kind);
  EXPECT_TRUE(kinds.count(MorphismKind::remove_skip));
  for (std::size_t i = 1; i < all.size(); ++i)
    if (all[i].kind == all[i - 1].kind && all[i].kind != MorphismKind::add_skip) {
      EXPECT_LT(net.index_of(all[i - 1].layer), net.index_of(all[i].layer)) << describe(all[i]);
    }
}

TEST(Morphism, ApplicableMorphismsOfTheMlp) {
  const auto net = load_network(kExamples / "mnist_mlp_w4a4.json");
  const auto all = applicable_morphisms(net);
  std::map<MorphismKind, std::vector<std::string>> listed;
  for (const auto& m : all) listed[m.kind].push_back(describe(m));
  using V = std::vector<std::string>;
  EXPECT_EQ(listed[MorphismKind::widen], (V{"widen fc1 to 384 units", "widen fc2 to 384 units"}));
  EXPECT_EQ(listed[MorphismKind::deepen], (V{"deepen after act1", "deepen after act2"}));
  EXPECT_EQ(listed[MorphismKind::add_skip],
            (V{"add_skip from in to act1", "add_skip from in to act2", "add_skip from act1 to act2"}));
  EXPECT_EQ(listed[MorphismKind::remove_layer],
            (V{"remove_layer bn1", "remove_layer act1", "remove_layer fc2", "remove_layer bn2",
               "remove_layer act2"}));
  EXPECT_TRUE(listed[MorphismKind::remove_skip].empty());
  EXPECT_EQ(listed[MorphismKind::prune_units], (V{"prune_units fc1 by 0.25", "prune_units fc2 by 0.25"}));
  EXPECT_EQ(listed[MorphismKind::lower_bits],
            (V{"lower_bits in to 4 bits", "lower_bits fc1 to 2 bits", "lower_bits act1 to 2 bits",
               "lower_bits fc2 to 2 bits", "lower_bits act2 to 2 bits", "lower_bits fc3 to 2 bits"}));
  EXPECT_EQ(listed[MorphismKind::raise_sparsity],
            (V{"raise_sparsity fc1 to 0.25", "raise_sparsity fc2 to 0.25", "raise_sparsity fc3 to 0.25"}));
  EXPECT_EQ(all.size(), 23u);
}

// The acceptance check: on example networks with random weights, every applicable
// function-preserving morphism changes the float32 outputs by at most 1e-5, and every listed
// morphism applies.
TEST(Morphism, EveryApplicableMorphismAppliesAndFunctionPreservingOnesKeepOutputs) {
  for (const auto& name : {"digits_mlp_w2a2", "mnist_resmlp_w4a4", "fmnist_cnn_w4a4"}) {
    SCOPED_TRACE(name);
    const auto parent = example(name, 61);
    std::mt19937_64 rng(62);
    const auto inputs = random_inputs(parent.network, 2, rng);
    const ReferenceForward before(parent.network, parent.weights, Arithmetic::float32);
    std::vector<std::vector<float>> expected;
    for (const auto& x : inputs) expected.push_back(before.run(x));
    int preserving = 0;
    float largest_change = 0.0f;
    for (const auto& m : applicable_morphisms(parent.network)) {
      SCOPED_TRACE(describe(m));
      const auto child = apply_morphism(parent, m, rng);
      if (!is_function_preserving(m.kind)) continue;
      ++preserving;
      const ReferenceForward after(child.network, child.weights, Arithmetic::float32);
      for (std::size_t s = 0; s < inputs.size(); ++s) {
        const auto got = after.run(inputs[s]);
        ASSERT_EQ(got.size(), expected[s].size());
        for (std::size_t i = 0; i < got.size(); ++i)
          largest_change = std::max(largest_change, std::fabs(got[i] - expected[s][i]));
      }
    }
    EXPECT_LE(largest_change, kTolerance);
    EXPECT_GE(preserving, 3);
    std::printf("%s: %d function-preserving morphisms, largest output change %.3g\n", name, preserving,
                static_cast<double>(largest_change));
  }
}

TEST(Morphism, SamplingIsSeededAndCanKeepToFunctionPreservingOnes) {
  const auto net = load_network(kExamples / "mnist_resmlp_w4a4.json");
  std::mt19937_64 a(99), b(99);
  std::set<MorphismKind> kinds;
  for (int i = 0; i < 50; ++i) {
    const auto m = sample_morphism(net, a);
    EXPECT_EQ(describe(m), describe(sample_morphism(net, b)));
    kinds.insert(m.kind);
    const auto preserving = sample_morphism(net, a, true);
    EXPECT_EQ(describe(preserving), describe(sample_morphism(net, b, true)));
    EXPECT_TRUE(is_function_preserving(preserving.kind));
  }
  EXPECT_GE(kinds.size(), 6u);  // kinds are drawn uniformly, so the many skip pairs do not dominate
  EXPECT_TRUE(kinds.count(MorphismKind::remove_skip));
}

}  // namespace
}  // namespace codse::nn
