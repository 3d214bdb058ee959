#include "hw/templates/folded/finn_folding.hpp"

#include <algorithm>

#include "core/divisors.hpp"
#include "hw/templates/folded/folded_cost.hpp"

namespace codse::hw {
namespace {

std::int64_t cycles_of(const Unit& unit, const LayerMapping& layer, const Device& device) {
  return folded_matrix_vector_cost(unit, layer, device, Calibration{}).cycles;  // cycles are not calibrated
}

/// Folds one layer to the target (SetFolding's MVAU branch).
void fold_layer(const Unit& unit, const Device& device, const FoldingOptions& options, LayerMapping& layer) {
  layer.pe = layer.simd = 1;
  for (const int simd : divisors(unit.is_conv ? unit.in_channels : unit.mw)) {
    const int previous = layer.simd;
    layer.simd = simd;
    if (cycles_of(unit, layer, device) <= options.target_cycles) break;
    if (unit.weight_bits * simd > options.max_weight_width) {
      layer.simd = previous;
      break;
    }
  }
  for (const int pe : divisors(unit.mh)) {
    layer.pe = pe;
    if (cycles_of(unit, layer, device) <= options.target_cycles) break;
  }
}

Mapping fold_all(const Workload& workload, const Device& device, const FoldingOptions& options) {
  Mapping mapping;
  mapping.accelerator = "folded";
  mapping.clock_mhz = options.clock_mhz > 0.0 ? options.clock_mhz : device.default_clock_mhz;
  mapping.offchip_gbps = device.offchip_gbps;
  for (std::size_t i = 0; i < workload.weight_units().size(); ++i) {
    LayerMapping layer;
    layer.layer = workload.weight_unit(i).name;
    layer.storage = options.storage;
    layer.multipliers = options.multipliers;
    fold_layer(workload.weight_unit(i), device, options, layer);
    mapping.layers.push_back(std::move(layer));
  }
  return mapping;
}

}  // namespace

Mapping finn_folding(const Workload& workload, const Device& device, const FoldingOptions& options) {
  Mapping mapping = fold_all(workload, device, options);
  if (!options.two_pass) return mapping;
  std::int64_t slowest = 0;
  for (std::size_t i = 0; i < mapping.layers.size(); ++i)
    slowest = std::max(slowest, cycles_of(workload.weight_unit(i), mapping.layers[i], device));
  if (slowest <= options.target_cycles) return mapping;
  FoldingOptions relaxed = options;
  relaxed.target_cycles = slowest;
  relaxed.two_pass = false;
  return fold_all(workload, device, relaxed);
}

}  // namespace codse::hw
