// Agreement of the IntegerModel with the fake-quantized float reference on a dataset's test split,
// for trained weights (issue 3: predictions equal on >= 99.9% of the test set, accuracy within 0.1
// points). Also compares the levels of every quant layer: a sample whose levels differ is counted as
// "at a boundary" when, in the first layer that differs, every differing level comes from a float
// value within 1e-4 of a rounding boundary (float rounding decided it), else as a real mismatch.
//
//   bench_nn_integer_agreement NETWORK.json WEIGHTS.bin DATASET [DATA_DIR] [SEED]
//   e.g. bench_nn_integer_agreement examples/networks/sfc_w1a1.json run/weights.bin mnist

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>

#include "nn/data/dataset_loader.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/quantizer.hpp"
#include "nn/quant/reference_forward.hpp"

namespace {

using namespace codse::nn;

template <typename T>
int argmax(const std::vector<T>& v) {
  return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

double boundary_distance(float v, const QuantSpec& q, int e) {
  if (is_binary(q)) return std::fabs(v);
  const double scaled = std::ldexp(static_cast<double>(v), -e) + 0.5;
  return std::ldexp(std::fabs(scaled - std::nearbyint(scaled)), e);
}

struct Counts {
  std::size_t samples = 0, same = 0, integer_correct = 0, reference_correct = 0;
  std::size_t levels = 0;
  // Samples whose levels differ somewhere; classified by the first quant layer that differs: all of
  // its differing levels within 1e-4 of a rounding boundary (float rounding decided it), or not.
  std::size_t samples_at_boundary = 0, samples_off_boundary = 0;
};

// Levels of every quant layer (the last op named after it, see integer_model.hpp), in network order,
// up to the first layer that differs: later layers differ as a consequence.
void compare_levels(const Network& network, const IntegerModel& model,
                    const std::vector<std::vector<float>>& ref,
                    const std::vector<std::vector<std::int64_t>>& integer, Counts& counts) {
  for (std::size_t i = 0; i < network.layers().size(); ++i) {
    const Layer& layer = network.layers()[i];
    if (layer.kind != LayerKind::quant) continue;
    std::size_t op = 0;
    for (std::size_t k = 0; k < model.ops().size(); ++k) op = model.ops()[k].name == layer.name ? k : op;
    const int e = model.ops()[op].scale_log2;
    const std::vector<float>& before = ref[network.input_indices(i).front()];
    std::size_t differ = 0, at_boundary = 0;
    for (std::size_t k = 0; k < ref[i].size(); ++k) {
      ++counts.levels;
      if (static_cast<double>(integer[op][k]) == std::ldexp(static_cast<double>(ref[i][k]), -e)) continue;
      ++differ;
      if (boundary_distance(before[k], layer.activation_quant, e) < 1e-4) ++at_boundary;
    }
    if (differ == 0) continue;
    ++(differ == at_boundary ? counts.samples_at_boundary : counts.samples_off_boundary);
    return;
  }
}

int run(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s NETWORK.json WEIGHTS.bin DATASET [DATA_DIR] [SEED]\n", argv[0]);
    return 2;
  }
  const Network network = load_network(argv[1]);
  const Weights weights = Weights::load(argv[2]);
  DatasetOptions options;
  if (argc > 4) options.data_dir = argv[4];
  if (argc > 5) options.seed = std::stoull(argv[5]);
  const DatasetSplits data = load_dataset(argv[3], options);
  const IntegerModel model = export_integer_model(network, weights);
  const ReferenceForward reference(network, weights, Arithmetic::fake_quant);
  Counts counts;
  double integer_seconds = 0.0;
  for (std::size_t s = 0; s < data.test.size(); ++s) {
    const auto x = data.test.sample(s);
    const auto ref = reference.run_all(x);
    const auto levels = model.quantize_input(x);
    const auto start = std::chrono::steady_clock::now();
    const auto integer = model.infer_all(levels);
    integer_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int integer_class = argmax(integer.back());
    const int reference_class = argmax(ref.back());
    ++counts.samples;
    counts.same += integer_class == reference_class ? 1 : 0;
    counts.integer_correct += integer_class == data.test.label(s) ? 1 : 0;
    counts.reference_correct += reference_class == data.test.label(s) ? 1 : 0;
    compare_levels(network, model, ref, integer, counts);
  }
  const double n = static_cast<double>(counts.samples);
  int max_accumulator_bits = 0;
  for (const IntegerOp& op : model.ops()) {
    if (op.kind == IntegerOpKind::dense || op.kind == IntegerOpKind::conv2d) {
      max_accumulator_bits = std::max(max_accumulator_bits, op.bits);
    }
  }
  fmt::print("network {} weights {} dataset {}: {} test samples\n", network.name(), argv[2], argv[3],
             counts.samples);
  fmt::print("same prediction:        {:.4f}% ({} differ)\n", 100.0 * static_cast<double>(counts.same) / n,
             counts.samples - counts.same);
  fmt::print("accuracy fake quant:    {:.4f}%\n", 100.0 * static_cast<double>(counts.reference_correct) / n);
  fmt::print("accuracy integer model: {:.4f}%\n", 100.0 * static_cast<double>(counts.integer_correct) / n);
  fmt::print("hidden levels:          {} compared (up to the first differing layer of a sample)\n",
             counts.levels);
  fmt::print(
      "samples whose levels differ: {} first at a rounding boundary (float value within 1e-4), {} not\n",
      counts.samples_at_boundary, counts.samples_off_boundary);
  fmt::print("ops {}, widest accumulator {} bits, infer_all {:.1f} us per image\n", model.ops().size(),
             max_accumulator_bits, 1e6 * integer_seconds / n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 2;
  }
}
