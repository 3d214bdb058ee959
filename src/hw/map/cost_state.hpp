#pragma once
// The HAL's view of a partial mapping: the few quantities whose sums (or maximum) determine
// every metric of a chain network's estimate. Adding a layer's CostState to a partial one gives
// the partial state of the longer prefix, which is what lets the HAL build exact fronts layer by
// layer: every metric below is monotone in every quantity, so a partial state that is no worse in
// every quantity that matters can replace another for all completions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "hw/cost/unit_cost.hpp"

namespace codse::hw {

enum class Quantity : std::uint8_t { lut, ff, dsp, bram18, uram, lutram, power, latency, cycles, bytes };
inline constexpr std::size_t quantity_count = 10;
using CostState = std::array<double, quantity_count>;
using QuantityMask = std::uint32_t;
constexpr QuantityMask bit(Quantity q) { return QuantityMask{1} << static_cast<unsigned>(q); }

/// Adds a unit into a state: sums, except cycles, whose maximum is the initiation interval.
void combine(CostState& state, const CostState& unit);

/// What converts a state into metrics: the mapping's global knobs and the device.
struct StateContext {
  double clock_mhz = 0.0;
  double bytes_per_cycle = 0.0;  // off-chip bandwidth per clock cycle; 0 without
  double toggle_rate = 0.125;
  const Device* device = nullptr;
};
StateContext make_state_context(const Device& device, double clock_mhz, double offchip_gbps, double toggle_rate);

/// A unit's contribution: its resources, dynamic power, latency (at least its share of the
/// off-chip bandwidth, as the Estimator counts it), cycles and off-chip bytes.
CostState unit_state(const UnitCost& cost, const StateContext& context);

/// A metric computable from a state: the quantities it depends on and whether it decreases
/// as they grow (fps) or increases (everything else).
struct StateMetric {
  enum Id : std::uint8_t {
    lut, ff, dsp, bram18, uram, lutram, power_w, latency_cycles, latency_us, ii_cycles, fps, energy_uj,
    lut_util, ff_util, dsp_util, bram18_util, uram_util, lutram_util
  } id;
  QuantityMask depends_on;
  bool decreasing;
};
/// The metric called name, or nullopt when it is not a monotone function of a state (for
/// example offchip_gbps, which grows with the bytes but shrinks with the cycles).
std::optional<StateMetric> state_metric(std::string_view name);
double evaluate(const StateMetric& metric, const CostState& state, const StateContext& context);

}  // namespace codse::hw
