#include "hw/templates/folded/folded_template.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/divisors.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/templates/folded/folded_cost.hpp"

namespace codse::hw {

std::string_view FoldedTemplate::description() const {
  return "one matrix-vector unit per layer with PE x SIMD lanes, units streaming through FIFOs (FINN)";
}

std::vector<ParallelismField> FoldedTemplate::parallelism_fields() const {
  return {{"pe", &LayerMapping::pe}, {"simd", &LayerMapping::simd}};
}

std::vector<std::vector<int>> FoldedTemplate::parallelism_values(const Unit& unit) const {
  // FINN's sliding-window unit streams SIMD channels at a time: a conv2d's SIMD divides its
  // input channels.
  return {divisors(unit.mh), divisors(unit.is_conv ? unit.in_channels : unit.mw)};
}

std::vector<WeightStorage> FoldedTemplate::default_storages(const Device& device) const {
  std::vector<WeightStorage> storages;
  if (device.bram.present()) storages.push_back(WeightStorage::bram);
  storages.push_back(device.lutram_depth > 0 ? WeightStorage::lutram : WeightStorage::logic);
  if (device.uram.present()) storages.push_back(WeightStorage::uram);
  if (device.has_offchip_memory()) storages.push_back(WeightStorage::offchip);
  return storages;
}

std::string FoldedTemplate::why_unsupported(WeightStorage /*storage*/) const { return {}; }

std::string FoldedTemplate::why_invalid(const Unit& unit, const LayerMapping& layer) const {
  if (unit.mh % layer.pe != 0)
    return fmt::format("layer {}: PE {} does not divide {} outputs", unit.name, layer.pe, unit.mh);
  if (unit.is_conv) {
    if (unit.in_channels % layer.simd != 0)
      return fmt::format("layer {}: SIMD {} does not divide {} input channels (the sliding window "
                         "streams SIMD channels per cycle)",
                         unit.name, layer.simd, unit.in_channels);
  } else if (unit.mw % layer.simd != 0) {
    return fmt::format("layer {}: SIMD {} does not divide {} inputs", unit.name, layer.simd, unit.mw);
  }
  return {};
}

UnitCost FoldedTemplate::matrix_vector_cost(const Unit& unit, const LayerMapping& layer, const Device& device,
                                            const Calibration& calibration) const {
  return folded_matrix_vector_cost(unit, layer, device, calibration);
}

std::vector<Mapping> FoldedTemplate::seed_mappings(const Workload& workload, const Device& device,
                                                   const SeedOptions& options) const {
  // FINN's folding heuristic at every power-of-two cycle target from the slowest full fold
  // (every layer at PE = SIMD = 1) down to 1.
  std::int64_t slowest = 1;
  for (std::size_t i = 0; i < workload.weight_units().size(); ++i) {
    const auto& unit = workload.weight_unit(i);
    slowest = std::max(slowest, unit.mw * unit.mh * unit.pixels);
  }
  std::int64_t power = 1;
  while (power < slowest) power *= 2;
  std::vector<Mapping> seeds;
  for (std::int64_t target = power; target >= 1; target /= 2) {
    FoldingOptions folding;
    folding.target_cycles = target;
    folding.storage = options.storage;
    folding.clock_mhz = options.clock_mhz;
    seeds.push_back(finn_folding(workload, device, folding));
  }
  return seeds;
}

MvauFolding FoldedTemplate::rtl_folding(const LayerMapping& layer, std::int64_t, std::int64_t, std::int64_t) const {
  return {layer.pe, layer.simd};
}

}  // namespace codse::hw
