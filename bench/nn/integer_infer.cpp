// IntegerModel inference throughput in images per second (Google Benchmark), on the example
// networks with random weights (the speed does not depend on their values): the MNIST MLP w4a4
// (784-256-256-10, 4-bit weights and activations), the binarized FINN SFC and the Fashion-MNIST CNN.
// Also the float reference forward pass of the same MLP, for comparison. Single thread.
//
//   build/release/bench/bench_nn_integer_infer --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/quant/random_weights.hpp"
#include "nn/quant/reference_forward.hpp"

namespace {

using namespace codse::nn;

Network example(const std::string& name) {
  return load_network(std::string(CODSE_SOURCE_DIR) + "/examples/networks/" + name + ".json");
}

std::vector<std::vector<float>> random_images(const Network& network, int count) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  std::vector<std::vector<float>> images(static_cast<std::size_t>(count));
  for (auto& image : images) {
    image.resize(static_cast<std::size_t>(network.input_shape().size()));
    for (float& v : image) v = pixel(random);
  }
  return images;
}

// Levels in, logits out: what the hardware does per image.
void integer_infer(benchmark::State& state, const std::string& name) {
  const Network network = example(name);
  const IntegerModel model = export_integer_model(network, random_weights(network, 1));
  std::vector<std::vector<std::int32_t>> levels;
  for (const auto& image : random_images(network, 64)) levels.push_back(model.quantize_input(image));
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(model.infer(levels[next]));
    next = (next + 1) % levels.size();
  }
  state.counters["images_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["macs"] = static_cast<double>(network.stats().macs);
}

void reference_fake_quant(benchmark::State& state, const std::string& name) {
  const Network network = example(name);
  const ReferenceForward forward(network, random_weights(network, 1), Arithmetic::fake_quant);
  const auto images = random_images(network, 64);
  std::size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(forward.run(images[next]));
    next = (next + 1) % images.size();
  }
  state.counters["images_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(integer_infer, mnist_mlp_w4a4, std::string("mnist_mlp_w4a4"))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(integer_infer, sfc_w1a1, std::string("sfc_w1a1"))->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(integer_infer, fmnist_cnn_w4a4, std::string("fmnist_cnn_w4a4"))
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(reference_fake_quant, mnist_mlp_w4a4, std::string("mnist_mlp_w4a4"))
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
