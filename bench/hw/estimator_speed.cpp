// Estimates per second of the analytic Estimator on one core (issue 4 asks for at least
// 1,000,000 per second for a 4-layer MLP). The hot path is Estimator::estimate_into on a valid
// mapping, reusing one Estimate; the benchmark cycles through 4,096 different mappings of the
// space so nothing is constant-folded or cached. The global operator new of this program counts
// heap allocations, reported per estimate (the hot path is meant to make none).
//
//   bench_hw_estimator [--benchmark_repetitions=3 --benchmark_report_aggregates_only=true]

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>

#include "hw/model/device_catalog.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/map/mapping_space.hpp"
#include "nn/ir/network_io.hpp"

namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

// The replacements below pair malloc with free; GCC 12 cannot see that operator new is replaced
// too and warns about a mismatch at every inlined delete.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace codse;
using namespace codse::hw;

void estimates(benchmark::State& state, const std::string& network_name, const std::string& device_name) {
  const auto network = nn::load_network(std::string(CODSE_SOURCE_DIR) + "/examples/networks/" + network_name + ".json");
  const auto catalog = DeviceCatalog::builtin();
  const Estimator estimator(network, catalog.find(device_name));
  const MappingSpace space(estimator.workload(), estimator.device());
  std::mt19937_64 rng(1);
  std::vector<Mapping> mappings;
  const auto designs = static_cast<std::size_t>(space.size());
  for (int i = 0; i < 4096; ++i)
    mappings.push_back(space.decode(space.space().decode(std::uniform_int_distribution<std::size_t>(0, designs - 1)(rng))));
  Estimate out;
  for (const auto& mapping : mappings) estimator.estimate_into(mapping, out);  // sizes `out` once
  std::size_t i = 0;
  double sink = 0.0;
  const std::size_t allocations_before = allocations.load();
  for (auto _ : state) {
    estimator.estimate_into(mappings[i++ & 4095], out);
    sink += out.power_w;
  }
  const std::size_t allocated = allocations.load() - allocations_before;
  benchmark::DoNotOptimize(sink);
  state.counters["allocations/estimate"] = static_cast<double>(allocated) / static_cast<double>(state.iterations());
  state.counters["estimates/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["layers"] = static_cast<double>(estimator.workload().weight_units().size());
}

BENCHMARK_CAPTURE(estimates, sfc_w1a1_4_layers, std::string("sfc_w1a1"), std::string("XC7Z020"));
BENCHMARK_CAPTURE(estimates, lfc_w1a1_4_layers, std::string("lfc_w1a1"), std::string("XC7Z045"));
BENCHMARK_CAPTURE(estimates, mnist_mlp_w4a4_3_layers, std::string("mnist_mlp_w4a4"), std::string("XC7Z020"));
BENCHMARK_CAPTURE(estimates, cnv_w2a2_9_layers, std::string("cnv_w2a2"), std::string("XCZU7EV"));

}  // namespace

BENCHMARK_MAIN();
