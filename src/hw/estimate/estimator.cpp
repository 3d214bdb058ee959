#include "hw/estimate/estimator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hw/cost/window_frames.hpp"
#include "hw/cost/window_logic.hpp"
#include "hw/estimate/mapping_check.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::hw {
namespace {

constexpr std::size_t no_mapping = static_cast<std::size_t>(-1);

}  // namespace

Estimator::Estimator(const nn::Network& network, Device device, Calibration calibration)
    : Estimator(Workload(network), std::move(device), std::move(calibration)) {}

Estimator::Estimator(Workload workload, Device device, Calibration calibration)
    : workload_(std::move(workload)), device_(std::move(device)), calibration_(std::move(calibration)) {
  precompute();
}

void Estimator::precompute() {
  const auto& units = workload_.units();
  fixed_streamed_.resize(units.size());
  fixed_wired_.resize(units.size());
  mapping_index_.assign(units.size(), no_mapping);
  const bool codse_rtl = calibration_.by_terms;
  for (std::size_t u = 0; u < units.size(); ++u) {
    fixed_streamed_[u] = fixed_unit_cost(units[u], device_, true, codse_rtl);
    fixed_wired_[u] = fixed_unit_cost(units[u], device_, false, codse_rtl);
  }
  for (std::size_t i = 0; i < workload_.weight_units().size(); ++i) mapping_index_[workload_.weight_units()[i]] = i;
  // A pool's (and in codse's RTL an add's) stream keeps the lanes of the nearest layer with
  // weights upstream (codse's RTL plan passes lanes through pools, adds and requants); with none,
  // one element per word.
  lane_producer_.assign(units.size(), no_mapping);
  lanes_fed_.assign(workload_.weight_units().size(), {});
  for (std::size_t u = 0; u < units.size(); ++u) {
    if (units[u].kind != UnitKind::pool && !(units[u].kind == UnitKind::add && codse_rtl)) continue;
    std::size_t p = units[u].inputs.empty() ? network_input : units[u].inputs[0];
    while (p != network_input && mapping_index_[p] == no_mapping && !units[p].inputs.empty()) p = units[p].inputs[0];
    if (p == network_input || mapping_index_[p] == no_mapping) {
      if (codse_rtl) fixed_streamed_[u].resources += rtl_lanes_cost(units[u], 1);
      continue;
    }
    lane_producer_[u] = mapping_index_[p];
    lanes_fed_[mapping_index_[p]].push_back(u);
  }
}

Resources Estimator::rtl_pool(const Unit& pool, std::int64_t lanes) const {
  lanes = rtl_stream_lanes(pool.in_channels, lanes);
  const int bits = rtl_element_bits(pool.input_bits, pool.input_signed);
  const WindowShape window{pool.in_channels, pool.in_height, pool.in_width, pool.kernel, pool.stride,
                           0,  // a pool's window pads with the minimum only where it overhangs
                           pool.out_height, pool.out_width, lanes, bits};
  Resources r = window_frames(device_, pool.in_height, pool.in_width, pool.in_channels, lanes, bits);
  r += window_logic_cost(device_, window_counts(window));
  r += window_logic_cost(device_, max_unit_counts(lanes, bits, pool.kernel * pool.kernel, pool.in_channels / lanes));
  r += max_unit_memory(device_, lanes, bits, pool.in_channels / lanes);
  return r;
}

Resources Estimator::rtl_lanes_cost(const Unit& unit, std::int64_t lanes) const {
  return unit.kind == UnitKind::pool ? rtl_pool(unit, lanes) : rtl_add_cost(unit, device_, lanes);
}

Resources Estimator::streamed_lanes_cost(std::size_t unit, std::int64_t lanes, const AcceleratorTemplate& accelerator) const {
  if (!calibration_.by_terms || !accelerator.streams_between_units()) return {};
  return rtl_lanes_cost(workload_.units()[unit], lanes);
}

UnitCost Estimator::own_layer_cost(std::size_t weight_layer, const LayerMapping& mapping,
                                   const AcceleratorTemplate& accelerator) const {
  return accelerator.matrix_vector_cost(workload_.weight_unit(weight_layer), mapping, device_, calibration_);
}

UnitCost Estimator::layer_cost(std::size_t weight_layer, const LayerMapping& mapping,
                               const AcceleratorTemplate& accelerator) const {
  UnitCost cost = own_layer_cost(weight_layer, mapping, accelerator);
  for (const std::size_t pool : lanes_fed_[weight_layer]) cost.resources += streamed_lanes_cost(pool, mapping.pe, accelerator);
  return cost;
}

const UnitCost& Estimator::fixed_cost(std::size_t unit, const AcceleratorTemplate& accelerator) const {
  return accelerator.streams_between_units() ? fixed_streamed_[unit] : fixed_wired_[unit];
}

Estimate Estimator::estimate(const Mapping& mapping) const {
  validate(workload_, mapping, device_);
  Estimate out;
  estimate_into(mapping, out);
  return out;
}

void Estimator::estimate_into(const Mapping& mapping, Estimate& out) const {
  const auto& units = workload_.units();
  const std::size_t n = units.size();
  out.fidelity = Fidelity::analytic;
  out.network = workload_.network_name();
  out.device = device_.name;
  const AcceleratorTemplate& accelerator = accelerator_template(mapping.accelerator);
  if (out.accelerator != accelerator.name()) out.accelerator = accelerator.name();
  out.clock_mhz = mapping.clock_mhz;
  out.layers.resize(n);

  // 1. Every unit's own cost.
  std::int64_t slowest = 0;
  double offchip_bytes = 0.0;
  for (std::size_t u = 0; u < n; ++u) {
    auto& layer = out.layers[u];
    if (layer.name != units[u].name) layer.name = units[u].name;
    layer.unit = to_string(units[u].kind);
    const auto index = mapping_index_[u];
    const UnitCost cost =
        index == no_mapping ? fixed_cost(u, accelerator) : own_layer_cost(index, mapping.layers[index], accelerator);
    layer.resources = cost.resources;
    if (lane_producer_[u] != no_mapping)
      layer.resources += streamed_lanes_cost(u, mapping.layers[lane_producer_[u]].pe, accelerator);
    layer.cycles = cost.cycles;
    layer.latency_cycles = cost.latency_cycles;
    layer.offchip_bytes = cost.offchip_bytes;
    layer.limiter = cost.limiter;
    layer.bottleneck = false;
    slowest = std::max(slowest, cost.cycles);
    offchip_bytes += cost.offchip_bytes;
  }

  // 2. Off-chip bandwidth. All units streaming from DRAM share it, so per inference it needs
  // (bytes / bytes per cycle) cycles; a unit alone needs at least its own share.
  const double bytes_per_cycle = mapping.offchip_gbps * 1e9 / (mapping.clock_mhz * 1e6);
  double bandwidth_cycles = 0.0;
  if (offchip_bytes > 0.0) {
    bandwidth_cycles = offchip_bytes / bytes_per_cycle;
    for (auto& layer : out.layers)
      if (layer.offchip_bytes > 0.0)
        layer.latency_cycles = std::max(layer.latency_cycles,
                                        static_cast<std::int64_t>(std::ceil(layer.offchip_bytes / bytes_per_cycle)));
  }
  out.ii_cycles = std::max<std::int64_t>(
      {slowest, static_cast<std::int64_t>(std::ceil(bandwidth_cycles)), std::int64_t{1}});

  // 3. Latency along the dataflow graph: a unit finishes its latency after its last input does
  // (FINN's critical path, the sum of cycles along the longest path).
  std::int64_t latency = 0;
  for (std::size_t u = 0; u < n; ++u) {
    std::int64_t start = 0;
    for (const auto input : units[u].inputs)
      if (input != network_input) start = std::max(start, out.layers[input].finish_cycles);
    out.layers[u].finish_cycles = start + out.layers[u].latency_cycles;
    latency = std::max(latency, out.layers[u].finish_cycles);
  }
  out.latency_cycles = latency;

  // 4. Skip FIFOs: the add's short branch buffers what arrives while the long one computes.
  for (std::size_t u = 0; u < n; ++u) {
    if (units[u].kind != UnitKind::add || units[u].inputs.size() != 2) continue;
    std::int64_t arrival[2] = {0, 0};
    for (int k = 0; k < 2; ++k)
      if (units[u].inputs[k] != network_input) arrival[k] = out.layers[units[u].inputs[k]].finish_cycles;
    const std::int64_t difference = std::abs(arrival[0] - arrival[1]);
    if (calibration_.by_terms && accelerator.streams_between_units()) {
      const std::size_t producer = lane_producer_[u];
      const std::int64_t lanes = producer == no_mapping ? 1 : mapping.layers[producer].pe;
      out.layers[u].resources += rtl_skip_fifo_cost(units[u], device_, difference, out.ii_cycles, lanes);
    } else {
      out.layers[u].resources += skip_fifo_cost(units[u], device_, difference, out.ii_cycles);
    }
  }

  // 5. Totals, power, rates.
  out.total = {};
  out.power_dynamic_w = 0.0;
  for (auto& layer : out.layers) {
    layer.power_w = dynamic_power_w(layer.resources, device_, mapping.clock_mhz, mapping.toggle_rate);
    out.total += layer.resources;
    out.power_dynamic_w += layer.power_w;
  }
  out.power_static_w = device_.static_power_w;
  out.power_w = out.power_static_w + out.power_dynamic_w;
  const double clock_hz = mapping.clock_mhz * 1e6;
  out.latency_us = static_cast<double>(out.latency_cycles) / mapping.clock_mhz;
  out.fps_compute = clock_hz / static_cast<double>(std::max<std::int64_t>(slowest, 1));
  out.offchip_bytes = offchip_bytes;
  out.fps_bandwidth = offchip_bytes > 0.0 ? mapping.offchip_gbps * 1e9 / offchip_bytes
                                          : std::numeric_limits<double>::infinity();
  out.fps = clock_hz / static_cast<double>(out.ii_cycles);
  out.offchip_gbps = offchip_bytes * out.fps_compute / 1e9;
  out.energy_uj = out.power_w / out.fps * 1e6;
  check_fit(out, device_);

  // 6. The bottleneck: the unit streaming the most from DRAM when bandwidth limits, otherwise
  // the slowest unit (the first of equals).
  std::size_t bottleneck = 0;
  const bool bandwidth_bound = std::ceil(bandwidth_cycles) > static_cast<double>(slowest);
  for (std::size_t u = 1; u < n; ++u) {
    const auto& a = out.layers[u];
    const auto& b = out.layers[bottleneck];
    if (bandwidth_bound ? a.offchip_bytes > b.offchip_bytes : a.cycles > b.cycles) bottleneck = u;
  }
  out.bottleneck = bottleneck;
  out.limiter = bandwidth_bound ? Limiter::bandwidth : out.layers.empty() ? Limiter::compute : out.layers[bottleneck].limiter;
  if (!out.layers.empty()) {
    out.layers[bottleneck].bottleneck = true;
    if (bandwidth_bound) out.layers[bottleneck].limiter = Limiter::bandwidth;
  }
}

Estimate estimate(const nn::Network& network, const Mapping& mapping, const Device& device,
                  const Calibration& calibration) {
  return Estimator(network, device, calibration).estimate(mapping);
}

}  // namespace codse::hw
