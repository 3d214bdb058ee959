#pragma once
// FINN's folding heuristic (SetFolding, src/finn/transformation/fpgadataflow/set_folding.py),
// the baseline the HAL is compared with. Layer by layer, independently: start at PE = SIMD = 1;
// raise SIMD through the divisors of the inputs until the layer meets the target cycle count or
// the weight word per PE (SIMD x weight bits) would exceed max_weight_width; then raise PE
// through the divisors of the outputs until the target is met or PE is at its maximum. With
// two_pass, when some layer could not reach the target, run again with the cycles that slowest
// layer reached as the target, to balance the pipeline.
//
// Differences from FINN: a layer "meets" the target at cycles <= target (FINN stops only below
// it); a conv2d's SIMD divides its input channels and its cycles include the sliding window
// (codse's folded template shares one SIMD between the two, as finn-hlslib's ConvLayer_Batch);
// weights go where `storage` says for every layer (FINN lets Vivado choose).

#include <cstdint>

#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "hw/model/workload.hpp"

namespace codse::hw {

struct FoldingOptions {
  std::int64_t target_cycles = 1000;
  int max_weight_width = 36;  // FINN's mvau_wwidth_max
  bool two_pass = true;
  WeightStorage storage = WeightStorage::bram;
  MultiplierStyle multipliers = MultiplierStyle::automatic;
  double clock_mhz = 0.0;     // 0: the device's default clock
};

/// A folded mapping of every layer with weights. Units without knobs are not folded.
Mapping finn_folding(const Workload& workload, const Device& device, const FoldingOptions& options);

}  // namespace codse::hw
