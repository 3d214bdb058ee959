#include "nn/ir/network_io.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "nn/network_builders.hpp"
#include "support/temp_dir.hpp"

namespace codse::nn {
namespace {

using codse::testing::TempDir;
using namespace codse::nn::testing;

const std::filesystem::path kExamples = std::filesystem::path(CODSE_SOURCE_DIR) / "examples" / "networks";

template <typename Fn>
void expect_input_error(Fn fn, std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& error) {
    for (const auto& part : parts)
      EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
  }
}

std::string layers_json(const std::string& layers) { return R"({"name": "t", "layers": [)" + layers + "]}"; }

TEST(NetworkFile, ReadsEveryLayerKindAndField) {
  const auto net = parse_network_json(layers_json(R"(
      {"name": "in", "type": "input", "shape": [3, 8, 8], "bits": 8, "signed": false, "scale_log2": -8},
      {"name": "c1", "type": "conv2d", "filters": 4, "kernel": 3, "stride": 2, "padding": 1, "bias": false,
       "weight_bits": 2, "weight_ternary": true, "sparsity": {"target": 0.25, "kind": "structured"}},
      {"name": "bn", "type": "batchnorm"},
      {"name": "q", "type": "quant", "bits": 3, "signed": false},
      {"name": "pool", "type": "maxpool2d", "kernel": 2},
      {"name": "r", "type": "relu"},
      {"name": "flat", "type": "flatten"},
      {"name": "drop", "type": "dropout", "rate": 0.5},
      {"name": "fc", "type": "dense", "units": 16, "weight_bits": 4, "weight_signed": false, "weight_scale_log2": -3,
       "sparsity": {"target": 0.5}},
      {"name": "sum", "type": "add", "inputs": ["fc", "fc"]},
      {"name": "out", "type": "dense", "units": 2, "inputs": ["sum"]})"),
                                      "t.json");
  EXPECT_EQ(net.name(), "t");
  const auto& in = net.layer("in");
  EXPECT_EQ(in.input_shape, (Shape{3, 8, 8}));
  EXPECT_EQ(in.activation_quant, (QuantSpec{8, false, false, -8}));
  const auto& c1 = net.layer("c1");
  EXPECT_EQ(c1.units, 4);
  EXPECT_EQ(c1.stride, 2);
  EXPECT_EQ(c1.padding, 1);
  EXPECT_FALSE(c1.bias);
  EXPECT_EQ(c1.weight_quant, (QuantSpec{2, true, true, std::nullopt}));
  EXPECT_EQ(c1.sparsity, (Sparsity{0.25, SparsityKind::structured}));
  EXPECT_EQ(net.layer("pool").stride, 2);  // defaults to the kernel
  EXPECT_EQ(net.layer("q").activation_quant, bits(3, false));
  EXPECT_EQ(net.layer("drop").rate, 0.5);
  EXPECT_EQ(net.layer("fc").weight_quant, (QuantSpec{4, false, false, -3}));
  EXPECT_EQ(net.layer("fc").sparsity, (Sparsity{0.5, SparsityKind::unstructured}));
  EXPECT_EQ(net.layer("sum").inputs, (std::vector<std::string>{"fc", "fc"}));
  EXPECT_EQ(net.output_shape(), (Shape{2, 1, 1}));

  // Written and read back, it is the same network, and so is its text.
  const auto text = format_network_json(net);
  const auto again = parse_network_json(text, "again.json");
  EXPECT_EQ(again.layers(), net.layers());
  EXPECT_EQ(again.name(), net.name());
  EXPECT_EQ(format_network_json(again), text);
}

TEST(NetworkFile, YamlReadsTheSameSchema) {
  const auto yaml = R"(
name: digits_mlp_w2a2
layers:
  - {name: in, type: input, shape: [64], bits: 5, signed: false}
  - name: fc1
    type: dense
    units: 16
    bias: false
    weight_bits: 2
  - {name: bn1, type: batchnorm}
  - {name: act1, type: quant, bits: 2, signed: false}
  - {name: fc2, type: dense, units: 10, weight_bits: 2}
)";
  const auto from_yaml = parse_network_yaml(yaml, "d.yaml");
  const auto from_json = load_network(kExamples / "digits_mlp_w2a2.json");
  EXPECT_EQ(from_yaml.layers(), from_json.layers());
  EXPECT_EQ(from_yaml.name(), from_json.name());

  TempDir dir;
  EXPECT_EQ(load_network(dir.write("d.yml", yaml)).layers(), from_json.layers());
  // A quoted number is a string, not an integer.
  expect_input_error(
      [&] { parse_network_yaml("name: x\nlayers:\n  - {name: in, type: input, shape: ['4']}\n", "q.yaml"); },
      {"q.yaml", "layer in", "'shape'"});
  expect_input_error([&] { parse_network_yaml("name: x\nlayers: [\n", "broken.yaml"); },
                     {"broken.yaml", "not valid YAML"});
}

TEST(NetworkFile, ErrorsNameFileLayerAndField) {
  auto parse = [](const std::string& layers) { return parse_network_json(layers_json(layers), "net.json"); };
  const std::string in = R"({"name": "in", "type": "input", "shape": [4]}, )";
  expect_input_error([&] { parse(in + R"({"name": "fc1", "type": "dense", "units": 4, "kernal": 3})"); },
                     {"net.json", "layer fc1", "unknown field 'kernal'", "units"});
  expect_input_error([&] { parse(in + R"({"name": "fc1", "type": "dense", "units": "4"})"); },
                     {"net.json", "layer fc1", "field 'units'", "expected an integer", "\"4\""});
  expect_input_error([&] { parse(in + R"({"name": "fc1", "type": "dense", "units": 4.5})"); },
                     {"layer fc1", "field 'units'", "expected an integer"});
  expect_input_error([&] { parse(in + R"({"name": "fc1", "type": "dense", "units": 4, "bias": 1})"); },
                     {"layer fc1", "field 'bias'", "true or false"});
  expect_input_error([&] { parse(in + R"({"name": "fc1", "type": "dense"})"); },
                     {"net.json", "layer fc1", "'units' is missing"});
  expect_input_error([&] { parse(in + R"({"name": "x", "type": "lstm"})"); },
                     {"net.json", "layer x", "unknown layer type 'lstm'", "conv2d"});
  expect_input_error([&] { parse(in + R"({"type": "relu"})"); },
                     {"net.json", "layer #2", "'name' is missing"});
  expect_input_error([&] { parse(in + R"({"name": "q", "type": "quant", "bits": 4})"); },
                     {"layer q", "'signed' is missing"});
  expect_input_error([&] { parse(in + R"({"name": "c", "type": "conv2d", "units": 4, "kernel": 1})"); },
                     {"layer c", "'filters' is missing"});
  expect_input_error(
      [&] {
        parse(in +
              R"({"name": "fc", "type": "dense", "units": 4, "sparsity": {"target": 0.5, "kind": "rows"}})");
      },
      {"layer fc: sparsity", "field 'kind'", "structured"});
  expect_input_error([&] { parse(in + R"({"name": "fc", "type": "dense", "units": 2, "weight_bits": 20})"); },
                     {"net.json", "layer fc: weight bits 20 out of range"});
  expect_input_error(
      [&] {
        parse(R"({"name": "in", "type": "input", "shape": [1, 4, 4]},
                                    {"name": "conv2", "type": "conv2d", "filters": 2, "kernel": 5})");
      },
      {"net.json: layer conv2: kernel 5 larger than input 4x4"});
  expect_input_error([&] { parse_network_json(R"({"name": "t", "layers": [], "extra": 1})", "top.json"); },
                     {"top.json", "field 'layers'"});
  expect_input_error(
      [&] {
        parse_network_json(
            R"({"name": "t", "layers": [{"name": "in", "type": "input", "shape": [4]}], "x": 1})",
            "top.json");
      },
      {"top.json", "unknown field 'x'"});
  expect_input_error([&] { parse_network_json(R"({"name": "t", "layers": [)", "cut.json"); },
                     {"cut.json", "not valid JSON"});

  TempDir dir;
  expect_input_error([&] { load_network(dir / "missing.json"); }, {"missing.json", "cannot open"});
  expect_input_error([&] { load_network(dir.write("net.txt", "{}")); }, {"net.txt", "extension"});
}

TEST(NetworkFile, SaveThenLoadGivesAnEqualNetwork) {
  TempDir dir;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    const auto net = load_network(entry.path());
    const auto copy = dir / entry.path().filename().string();
    save_network(net, copy);
    const auto again = load_network(copy);
    EXPECT_EQ(again.layers(), net.layers()) << entry.path();
    EXPECT_EQ(again.name(), net.name());
    EXPECT_EQ(entry.path().stem().string(), net.name()) << "the file is named after its network";
  }
}

struct Expected {
  std::string file;
  std::int64_t params, macs, weight_bits, max_activation_bits;
  Shape output;
};

// Hand-computed: weights w, biases b, batchnorm 2 per channel; MACs of dense and conv only.
TEST(ExampleNetworks, StatsMatchHandComputedNumbers) {
  const std::int64_t mlp = 784 * 256 + 256 * 256 + 256 * 10;          // 268,800
  const std::int64_t sfc = 784 * 256 + 256 * 256 * 2 + 256 * 10;      // 334,336
  const std::int64_t lfc = 784 * 1024 + 1024 * 1024 * 2 + 1024 * 10;  // 2,910,208
  // CNV: conv 3->64 (30x30), 64->64 (28x28), pool 14, 64->128 (12x12), 128->128 (10x10), pool 5,
  // 128->256 (3x3), 256->256 (1x1), dense 256->512->512->10.
  const std::int64_t cnv_weights = 9 * (3 * 64 + 64 * 64 + 64 * 128 + 128 * 128 + 128 * 256 + 256 * 256) +
                                   256 * 512 + 512 * 512 + 512 * 10;
  const std::int64_t cnv_macs =
      9 * (3 * 64 * 900 + 64 * 64 * 784 + 64 * 128 * 144 + 128 * 128 * 100 + 128 * 256 * 9 + 256 * 256 * 1) +
      256 * 512 + 512 * 512 + 512 * 10;
  const std::int64_t cnv_bn = 2 * (64 + 64 + 128 + 128 + 256 + 256 + 512 + 512);
  ASSERT_EQ(sfc, 334336);
  ASSERT_EQ(cnv_weights, 1542848);
  ASSERT_EQ(cnv_macs, 59461376);
  // fmnist: conv 1->32 (28x28, padding 1), pool 14, conv 32->64 (14x14), pool 7, dense 3136->128->10.
  const std::int64_t fm_weights = 9 * 32 + 9 * 32 * 64 + 64 * 7 * 7 * 128 + 128 * 10;
  const std::int64_t fm_macs = 9 * 32 * 784 + 9 * 32 * 64 * 196 + 64 * 7 * 7 * 128 + 128 * 10;

  const std::vector<Expected> expected{
      {"mnist_mlp_fp", mlp + 10 + 2 * 512, mlp, mlp * 32, 784 * 32, {10, 1, 1}},
      {"mnist_mlp_w4a4", mlp + 10 + 2 * 512, mlp, mlp * 4, 784 * 8, {10, 1, 1}},
      {"mnist_mlp_w2a2", mlp + 10 + 2 * 512, mlp, mlp * 2, 784 * 8, {10, 1, 1}},
      {"sfc_w1a1", sfc + 2 * 768, sfc, sfc, 784, {10, 1, 1}},
      {"lfc_w1a1", lfc + 2 * 3072, lfc, lfc, 1024, {10, 1, 1}},
      {"cnv_w1a1", cnv_weights + cnv_bn, cnv_macs, cnv_weights, 64 * 30 * 30, {10, 1, 1}},
      {"cnv_w2a2", cnv_weights + cnv_bn, cnv_macs, cnv_weights * 2, 64 * 30 * 30 * 2, {10, 1, 1}},
      {"fmnist_cnn_w4a4",
       fm_weights + 10 + 2 * (32 + 64 + 128),
       fm_macs,
       fm_weights * 4,
       32 * 28 * 28 * 4,
       {10, 1, 1}},
      {"digits_mlp_w2a2",
       64 * 16 + 16 * 10 + 10 + 2 * 16,
       64 * 16 + 160,
       (64 * 16 + 160) * 2,
       64 * 5,
       {10, 1, 1}},
      {"digits_mlp_w4a4",
       64 * 32 + 32 * 10 + 10 + 2 * 32,
       64 * 32 + 320,
       (64 * 32 + 320) * 4,
       64 * 5,
       {10, 1, 1}},
      {"mnist_resmlp_w4a4", sfc + 10 + 2 * 768, sfc, sfc * 4, 784 * 8, {10, 1, 1}},
  };
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples))
    files += entry.path().extension() == ".json";
  EXPECT_EQ(files, expected.size()) << "every example network is checked here";
  for (const auto& e : expected) {
    SCOPED_TRACE(e.file);
    const auto net = load_network(kExamples / (e.file + ".json"));
    const auto stats = net.stats();
    EXPECT_EQ(stats.params, e.params);
    EXPECT_EQ(stats.nonzero_params, e.params);  // no example is sparse
    EXPECT_EQ(stats.macs, e.macs);
    EXPECT_EQ(stats.weight_bits, e.weight_bits);
    EXPECT_EQ(stats.max_activation_bits, e.max_activation_bits);
    EXPECT_EQ(net.output_shape(), e.output);
    // The last layer computes logits: it has weight bits (but float in mnist_mlp_fp) and no activation quant.
    EXPECT_EQ(net.layers().back().kind, LayerKind::dense);
    EXPECT_EQ(net.layers().back().weight_quant.is_float(), e.file == "mnist_mlp_fp");
  }
}

TEST(ExampleNetworks, FollowFinnConventions) {
  const auto sfc = load_network(kExamples / "sfc_w1a1.json");
  EXPECT_EQ(sfc.layers().front().activation_quant, (QuantSpec{1, false, false, 0}));  // binarized image
  int sign_activations = 0;
  for (std::size_t i = 1; i < sfc.layers().size(); ++i) {
    const auto& layer = sfc.layers()[i];
    if (layer.kind == LayerKind::quant) {
      ++sign_activations;
      EXPECT_EQ(layer.activation_quant, bits(1, true));
      EXPECT_EQ(sfc.layers()[i - 1].kind, LayerKind::batchnorm) << "batchnorm before each sign activation";
    }
    if (layer.has_weights()) {
      EXPECT_EQ(layer.weight_quant, bits(1, true));
    }
  }
  EXPECT_EQ(sign_activations, 3);
  const auto cnv = load_network(kExamples / "cnv_w1a1.json");
  EXPECT_EQ(cnv.input_shape(), (Shape{3, 32, 32}));
  EXPECT_EQ(cnv.shapes()[cnv.index_of("act5")], (Shape{256, 1, 1}));
  EXPECT_EQ(cnv.layers().front().activation_quant.bits, 8);
  const auto res = load_network(kExamples / "mnist_resmlp_w4a4.json");
  const auto sum = res.index_of("res");
  ASSERT_EQ(res.layers()[sum].kind, LayerKind::add);
  for (auto i : res.input_indices(sum)) EXPECT_EQ(res.output_quant(i), bits(4, false));
}

}  // namespace
}  // namespace codse::nn

namespace codse::nn {
namespace {

TEST(NetworkFile, IntegersAreRangeCheckedNotWrapped) {
  auto parse = [](const std::string& layers) { return parse_network_json(layers_json(layers), "net.json"); };
  const std::string in = R"({"name": "in", "type": "input", "shape": [4]}, )";
  // get<int64_t> reads 2^64 - 1 as -1; get<int> reads 2^32 + 4 as 4.
  expect_input_error([&] { parse(in + R"({"name": "fc1", "type": "dense", "units": 18446744073709551615})"); },
                     {"net.json", "layer fc1", "field 'units'", "18446744073709551615"});
  expect_input_error([&] { parse(in + R"({"name": "fc1", "type": "dense", "units": 4294967300})"); },
                     {"net.json", "layer fc1", "field 'units'", "4294967300"});
  expect_input_error(
      [&] { parse(R"({"name": "in", "type": "input", "shape": [18446744073709551615]}, {"name": "fc", "type": "dense", "units": 2})"); },
      {"net.json", "layer in", "field 'shape'"});
}

TEST(NetworkFile, DuplicateKeysAreRefusedInJsonAndYaml) {
  expect_input_error(
      [&] {
        parse_network_json(layers_json(R"({"name": "in", "type": "input", "shape": [4]},
                                          {"name": "fc1", "type": "dense", "units": 4, "units": 8})"),
                           "net.json");
      },
      {"net.json", "the key 'units' appears twice"});
  expect_input_error([&] { parse_network_json(R"({"name": "a", "name": "b", "layers": []})", "net.json"); },
                     {"net.json", "the key 'name' appears twice"});
  expect_input_error(
      [&] {
        parse_network_yaml("name: x\nlayers:\n  - {name: in, type: input, shape: [4]}\n"
                           "  - {name: fc, type: dense, units: 4, units: 8}\n",
                           "d.yaml");
      },
      {"d.yaml:4:", "the key 'units' appears twice"});
  expect_input_error([&] { parse_network_yaml("name: x\nname: y\nlayers: []\n", "d.yaml"); },
                     {"d.yaml:2:", "the key 'name' appears twice"});
}

}  // namespace
}  // namespace codse::nn
