#pragma once
// fidelity: synthesis. For one trained network on one device, an explorer of module search
// (ask/tell; epsilon-PAL by default, or any registered explorer, e.g. ATNE; config key
// synthesis.explorer) chooses which mappings of the HAL's analytic front go through the hardware
// flow, within a per-network budget:
//   1. the RTL (hw::write_rtl, inside hw::synthesize_network),
//   2. Yosys synthesis of every layer module (cached), no place and route,
//   3. Verilator: the RTL streams verify_inputs test images and must match the IntegerModel bit
//      for bit (hw::verify_rtl); a mismatch makes the mapping a failed trial.
// The explorer's candidates are the front's mappings; its features are their analytic estimates
// of the hardware objectives (as knobs of a Space: LUTs, latency...), its objectives the same
// metrics measured after synthesis. With a few syntheses per network a surrogate over the raw
// mapping knobs (two per layer) learns nothing, while the analytic estimate already orders
// mappings nearly as synthesis does (bench/hw: the estimator's calibration), so the explorer
// models synthesis as a function of the estimate and spends the budget where the synthesized
// front is still undecided. epsilon-PAL starts from max(2, budget / 2) maximin samples; ATNE
// from as many TED samples (the option initial_samples, set for every explorer that declares
// it). The explorer never evaluates: this code synthesizes what it asks and tells it the
// measured metrics. Tool failures are told as failed trials and recorded.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/objective.hpp"
#include "explore/explore_config.hpp"
#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/map/hal.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"

namespace codse::explore {

struct SynthesizedMapping {
  std::size_t front_index = 0;  // into the front given
  std::size_t step = 0;         // the explorer's ask order
  std::optional<hw::Estimate> estimate;  // fidelity synthesis; none when the flow failed
  nlohmann::json flow;          // rtl_dir, verification, tool runs and seconds, or the error
  std::string error;            // non-empty: the flow failed or the RTL is not bit exact
};

struct SynthesisJob {
  const nn::Network* network = nullptr;
  const nn::IntegerModel* model = nullptr;
  const hw::Device* device = nullptr;
  const hw::Calibration* calibration = nullptr;  // the device's (null: the identity)
  std::vector<std::vector<std::int32_t>> verify_inputs;  // quantized test images
  std::filesystem::path out_dir;                          // one subdirectory per synthesized mapping
  std::uint64_t seed = 1;
};

/// The explorer's picks from front, synthesized and verified, in ask order. Stops at
/// config.per_network syntheses, or when the explorer has decided the front (done / asks nothing).
std::vector<SynthesizedMapping> synthesize_promising(const std::vector<hw::FrontPoint>& front,
                                                     const std::vector<Objective>& objectives,
                                                     const SynthesisConfig& config, const SynthesisJob& job);

}  // namespace codse::explore
