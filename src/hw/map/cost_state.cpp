#include "hw/map/cost_state.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace codse::hw {
namespace {

constexpr QuantityMask throughput_bits = bit(Quantity::cycles) | bit(Quantity::bytes);

double q(const CostState& state, Quantity quantity) { return state[static_cast<std::size_t>(quantity)]; }

/// The initiation interval the Estimator computes: the slowest unit, or the cycles the shared
/// off-chip bandwidth needs per inference, whichever is more.
double ii_cycles(const CostState& state, const StateContext& context) {
  double ii = q(state, Quantity::cycles);
  if (q(state, Quantity::bytes) > 0.0) ii = std::max(ii, std::ceil(q(state, Quantity::bytes) / context.bytes_per_cycle));
  return std::max(ii, 1.0);
}

double fraction(double used, std::int64_t available) {
  if (available > 0) return used / static_cast<double>(available);
  return used > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace

void combine(CostState& state, const CostState& unit) {
  const auto c = static_cast<std::size_t>(Quantity::cycles);
  const double slowest = std::max(state[c], unit[c]);
  for (std::size_t i = 0; i < quantity_count; ++i) state[i] += unit[i];
  state[c] = slowest;
}

StateContext make_state_context(const Device& device, double clock_mhz, double offchip_gbps, double toggle_rate) {
  return {clock_mhz, offchip_gbps * 1e9 / (clock_mhz * 1e6), toggle_rate, &device};
}

CostState unit_state(const UnitCost& cost, const StateContext& context) {
  const auto& r = cost.resources;
  double latency = static_cast<double>(cost.latency_cycles);
  if (cost.offchip_bytes > 0.0) latency = std::max(latency, std::ceil(cost.offchip_bytes / context.bytes_per_cycle));
  return {r.lut,
          r.ff,
          r.dsp,
          r.bram18,
          r.uram,
          r.lutram,
          dynamic_power_w(r, *context.device, context.clock_mhz, context.toggle_rate),
          latency,
          static_cast<double>(cost.cycles),
          cost.offchip_bytes};
}

std::optional<StateMetric> state_metric(std::string_view name) {
  using Id = StateMetric::Id;
  const QuantityMask power = bit(Quantity::power);
  static const std::pair<const char*, StateMetric> metrics[] = {
      {"lut", {Id::lut, bit(Quantity::lut), false}},
      {"ff", {Id::ff, bit(Quantity::ff), false}},
      {"dsp", {Id::dsp, bit(Quantity::dsp), false}},
      {"bram18", {Id::bram18, bit(Quantity::bram18), false}},
      {"uram", {Id::uram, bit(Quantity::uram), false}},
      {"lutram", {Id::lutram, bit(Quantity::lutram), false}},
      {"power_w", {Id::power_w, power, false}},
      {"latency_cycles", {Id::latency_cycles, bit(Quantity::latency), false}},
      {"latency_us", {Id::latency_us, bit(Quantity::latency), false}},
      {"ii_cycles", {Id::ii_cycles, throughput_bits, false}},
      {"fps", {Id::fps, throughput_bits, true}},
      {"energy_uj", {Id::energy_uj, power | throughput_bits, false}},
      {"lut_util", {Id::lut_util, bit(Quantity::lut), false}},
      {"ff_util", {Id::ff_util, bit(Quantity::ff), false}},
      {"dsp_util", {Id::dsp_util, bit(Quantity::dsp), false}},
      {"bram18_util", {Id::bram18_util, bit(Quantity::bram18), false}},
      {"uram_util", {Id::uram_util, bit(Quantity::uram), false}},
      {"lutram_util", {Id::lutram_util, bit(Quantity::lutram), false}},
  };
  for (const auto& [known, metric] : metrics)
    if (name == known) return metric;
  return std::nullopt;
}

double evaluate(const StateMetric& metric, const CostState& s, const StateContext& context) {
  using Id = StateMetric::Id;
  const Device& d = *context.device;
  const double clock_hz = context.clock_mhz * 1e6;
  switch (metric.id) {
    case Id::lut: return q(s, Quantity::lut);
    case Id::ff: return q(s, Quantity::ff);
    case Id::dsp: return q(s, Quantity::dsp);
    case Id::bram18: return q(s, Quantity::bram18);
    case Id::uram: return q(s, Quantity::uram);
    case Id::lutram: return q(s, Quantity::lutram);
    case Id::power_w: return d.static_power_w + q(s, Quantity::power);
    case Id::latency_cycles: return q(s, Quantity::latency);
    case Id::latency_us: return q(s, Quantity::latency) / context.clock_mhz;
    case Id::ii_cycles: return ii_cycles(s, context);
    case Id::fps: return clock_hz / ii_cycles(s, context);
    case Id::energy_uj: return (d.static_power_w + q(s, Quantity::power)) * ii_cycles(s, context) / clock_hz * 1e6;
    case Id::lut_util: return fraction(q(s, Quantity::lut), d.lut);
    case Id::ff_util: return fraction(q(s, Quantity::ff), d.ff);
    case Id::dsp_util: return fraction(q(s, Quantity::dsp), d.dsp.count);
    case Id::bram18_util: return fraction(q(s, Quantity::bram18), d.bram.count);
    case Id::uram_util: return fraction(q(s, Quantity::uram), d.uram.count);
    case Id::lutram_util: return fraction(q(s, Quantity::lutram), d.lutram_luts);
  }
  return 0.0;
}

}  // namespace codse::hw
