#pragma once
// The calibration corpus: single-layer networks (one dense layer, random weights) of varied
// input and output sizes, bit widths, PE / SIMD and weight storage, each generated as RTL
// (write_rtl), its matrix-vector unit synthesized with Yosys (cached) and set beside the
// analytic estimate of that unit on the uncalibrated device.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "hw/calibrate/calibration_fit.hpp"
#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "hw/synth/synth_runner.hpp"
#include "search/executor.hpp"
#include "nn/ir/network.hpp"

namespace codse::hw {

struct CorpusLayer {
  std::string name;
  int inputs = 16;   // MW
  int outputs = 8;   // MH
  int weight_bits = 2;
  int input_bits = 2;
  bool input_signed = false;  // signed 1-bit inputs are bipolar: with 1-bit weights, an XNOR layer
  int pe = 1;
  int simd = 1;
  bool requantized = false;  // a quant layer follows (thresholds in the unit)
  int output_bits = 2;       // the quant layer's unsigned bits: 2^bits - 1 thresholds per channel
  WeightStorage storage = WeightStorage::logic;
  MultiplierStyle multipliers = MultiplierStyle::automatic;
};

/// count layers drawn with a seed: inputs 16..64, outputs 8..32, 1..4-bit weights and inputs (1-bit
/// inputs of 1-bit weights bipolar or not by a coin flip, so that XNOR layers are in the corpus),
/// PE and SIMD dividing them, storage logic, lutram or bram in turn (logic instead of lutram on
/// a device without LUTRAM, e.g. iCE40), each requantized or not by a coin flip (not by its
/// position, so that no hold-out stride picks only one kind) to 1..4 unsigned bits (1 to 15
/// thresholds per channel). Every sixth layer (i % 6 == 5, a block-RAM one) is wide instead: 576,
/// 784 or 1152 inputs (a 3 x 3 window of 64 or 128 channels, an MNIST image), 32 or 64 outputs,
/// PE 1 or 2 and a SIMD of 8 to 32 dividing the inputs (from a stream of its own), so that the
/// fit sees weight memories deeper than one block, as FINN-size layers have (CNV's conv4 and
/// conv5 stack 5 and 18 to 36 blocks per PE), with the read mux that the small layers never
/// need. Power-of-two sizes would not do: Yosys fills those with blocks side by side, no mux.
/// Of the layers whose products `multipliers: auto` puts in DSPs (4-bit x 4-bit on xc7), every
/// other one takes LUT multipliers instead (name suffix _lutmul), as FINN's and codse's example
/// mappings choose them: without them the fit never sees LUT multipliers that wide and
/// extrapolates (mnist_mlp_w4a4, +18% LUTs). The other draws are unchanged.
/// The layers drawn do not depend on the device, only their storage and multipliers do.
std::vector<CorpusLayer> sample_corpus(int count, std::uint64_t seed, const Device& device);

/// Whether corpus layer i is held out of the fit: every k-th layer (none when k is 0).
bool held_out_layer(std::size_t i, int hold_out_every);

/// The network of one corpus layer, named after it: input "in" (unsigned input_bits), dense "fc"
/// (no bias, signed weight_bits), and for requantized layers batchnorm "bn" + quant "act" (unsigned
/// output_bits).
nn::Network corpus_network(const CorpusLayer& layer);

/// Writes each layer's RTL under work_dir, synthesizes the "fc" units in one batch (with synth's
/// threads, or through executor when one is given: MPI ranks) and returns one sample per layer,
/// in order.
std::vector<CalibrationSample> build_corpus(const std::vector<CorpusLayer>& layers, const Device& device,
                                            const std::filesystem::path& work_dir, Synthesizer& synth,
                                            Executor* executor = nullptr);

}  // namespace codse::hw
