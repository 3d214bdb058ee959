#include "hw/calibrate/calibration_corpus.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include <fmt/format.h>

#include "core/random_draws.hpp"
#include "hw/calibrate/corpus_synthesis.hpp"
#include "hw/cost/arithmetic_cost.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/templates/folded/folded_terms.hpp"
#include "hw/model/workload.hpp"
#include "hw/rtl/rtl_design.hpp"
#include "hw/synth/synth_network.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_builder.hpp"
#include "nn/quant/random_weights.hpp"

namespace codse::hw {
namespace {

int pick(std::mt19937_64& rng, const std::vector<int>& values) {
  return values[draw::index(rng, values.size())];
}

std::vector<int> divisors_up_to(int n, int limit) {
  std::vector<int> result;
  for (int d = 1; d <= std::min(n, limit); ++d)
    if (n % d == 0) result.push_back(d);
  return result;
}

}  // namespace

std::vector<CorpusLayer> sample_corpus(int count, std::uint64_t seed, const Device& device) {
  std::mt19937_64 rng(seed);
  // The requantized layers' output widths come from a stream of their own, so that the other draws
  // (and the synthesis cache of the layers without requantization) stay those of earlier corpora.
  std::mt19937_64 output_rng(seed ^ 0x6f75747075747321ULL);
  // The wide layers' shapes too (see the header).
  std::mt19937_64 wide_rng(seed ^ 0x77696465206c6179ULL);
  int dsp_layers = 0;  // layers whose automatic choice is DSPs: every other one takes LUTs (see the header)
  std::vector<CorpusLayer> layers;
  const WeightStorage lut_rom = device.lutram_depth > 0 ? WeightStorage::lutram : WeightStorage::logic;
  const WeightStorage storages[] = {WeightStorage::logic, lut_rom, WeightStorage::bram};
  for (int i = 0; i < count; ++i) {
    CorpusLayer layer;
    layer.inputs = pick(rng, {16, 32, 48, 64});
    layer.outputs = pick(rng, {8, 16, 24, 32});
    layer.weight_bits = pick(rng, {1, 2, 3, 4});
    layer.input_bits = pick(rng, {1, 2, 3, 4});
    layer.pe = pick(rng, divisors_up_to(layer.outputs, 8));
    layer.simd = pick(rng, divisors_up_to(layer.inputs, 16));
    layer.requantized = pick(rng, {0, 1}) == 1;
    if (layer.requantized) layer.output_bits = pick(output_rng, {1, 2, 3, 4});
    // Binarized (XNOR) layers: 1-bit weights and bipolar inputs. Only 1-bit inputs are ever
    // signed, so the other products stay those of unsigned inputs, as the fit has always seen.
    if (layer.weight_bits == 1 && layer.input_bits == 1) layer.input_signed = pick(rng, {0, 1}) == 1;
    layer.storage = storages[static_cast<std::size_t>(i) % 3];
    if (i % 6 == 5) {  // a block-RAM layer (i % 3 == 2) as wide as FINN's
      layer.inputs = pick(wide_rng, {576, 784, 1152});  // 3 x 3 x 64, 28 x 28, 3 x 3 x 128
      layer.outputs = pick(wide_rng, {32, 64});
      layer.pe = pick(wide_rng, {1, 2});
      std::vector<int> simds = divisors_up_to(layer.inputs, 32);
      std::erase_if(simds, [](int simd) { return simd < 8; });
      layer.simd = pick(wide_rng, simds);
    }
    const bool dsp = multipliers_in_dsp(device, MultiplierStyle::automatic, layer.weight_bits, layer.input_bits,
                                        layer.input_signed);
    if (dsp && dsp_layers++ % 2 == 1) layer.multipliers = MultiplierStyle::lut;
    layer.name = fmt::format("cal{:02}_{}x{}_w{}a{}{}_pe{}_simd{}_{}{}{}", i, layer.inputs, layer.outputs,
                             layer.weight_bits, layer.input_bits, layer.input_signed ? "s" : "", layer.pe, layer.simd,
                             to_string(layer.storage),
                             layer.requantized ? fmt::format("_rq{}", layer.output_bits) : std::string(),
                             layer.multipliers == MultiplierStyle::lut ? "_lutmul" : "");
    layers.push_back(layer);
  }
  return layers;
}

bool held_out_layer(std::size_t i, int hold_out_every) {
  const auto every = static_cast<std::size_t>(std::max(hold_out_every, 0));
  return every > 0 && i % every == every - 1;
}

nn::Network corpus_network(const CorpusLayer& layer) {
  nn::NetworkBuilder builder(layer.name);
  builder.input({layer.inputs}, layer.input_signed ? nn::signed_bits(layer.input_bits) : nn::unsigned_bits(layer.input_bits))
      .dense(layer.outputs, nn::signed_bits(layer.weight_bits))
      .named("fc")
      .no_bias();
  if (layer.requantized) builder.batchnorm().named("bn").quant(nn::unsigned_bits(layer.output_bits)).named("act");
  return builder.build();
}

std::vector<CalibrationSample> build_corpus(const std::vector<CorpusLayer>& layers, const Device& device,
                                            const std::filesystem::path& work_dir, Synthesizer& synth,
                                            Executor* executor) {
  std::vector<SynthJob> jobs;
  std::vector<CalibrationSample> samples;
  for (const auto& layer : layers) {
    const auto network = corpus_network(layer);
    const auto model = nn::export_integer_model(network, nn::random_weights(network, 7));
    Mapping mapping;
    mapping.clock_mhz = device.default_clock_mhz;
    LayerMapping fc;
    fc.layer = "fc";
    fc.pe = layer.pe;
    fc.simd = layer.simd;
    fc.storage = layer.storage;
    fc.multipliers = layer.multipliers;
    mapping.layers.push_back(fc);
    const auto estimate = Estimator(network, device).estimate(mapping);  // uncalibrated
    const auto rtl = write_rtl(network, model, mapping, work_dir / layer.name);
    const RtlDesign::LayerModule* unit = nullptr;
    for (const auto& module : rtl.layers)
      if (module.layer == "fc") unit = &module;
    if (unit == nullptr) throw std::logic_error(fmt::format("{}: the RTL has no module for layer fc", layer.name));
    jobs.push_back(layer_synth_job(rtl, *unit));
    jobs.back().name = layer.name;
    CalibrationSample sample;
    sample.name = layer.name;
    sample.analytic = estimate.layers.at(0).resources;
    sample.terms = folded_terms(Workload(network).weight_unit(0), fc, device);
    samples.push_back(sample);
  }
  if (executor) {
    const auto measured = synthesize_through(*executor, jobs);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i].measured = measured[i];
    return samples;
  }
  const auto results = synth.synthesize_all(jobs);
  for (std::size_t i = 0; i < samples.size(); ++i) samples[i].measured = results[i].stats.resources;
  return samples;
}

}  // namespace codse::hw
