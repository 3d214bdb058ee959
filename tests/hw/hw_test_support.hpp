#pragma once
// Shared helpers of the hw tests: the example networks and a folded mapping built from a table.

#include <string>
#include <tuple>
#include <vector>

#include "hw/model/device_catalog.hpp"
#include "hw/model/mapping.hpp"
#include "nn/ir/network.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::hw::testing {

inline nn::Network example_network(const std::string& name) {
  return nn::load_network(std::string(CODSE_SOURCE_DIR) + "/examples/networks/" + name + ".json");
}

inline const Device& builtin_device(const std::string& name) {
  static const DeviceCatalog catalog = DeviceCatalog::builtin();
  return catalog.find(name);
}

/// A folded mapping: (layer, PE, SIMD) per layer with weights, every layer in `storage`.
inline Mapping folded(const std::vector<std::tuple<std::string, int, int>>& layers, double clock_mhz = 100.0,
                      WeightStorage storage = WeightStorage::bram,
                      MultiplierStyle multipliers = MultiplierStyle::lut) {
  Mapping mapping;
  mapping.accelerator = "folded";
  mapping.clock_mhz = clock_mhz;
  for (const auto& [name, pe, simd] : layers) {
    LayerMapping layer;
    layer.layer = name;
    layer.pe = pe;
    layer.simd = simd;
    layer.storage = storage;
    layer.multipliers = multipliers;
    mapping.layers.push_back(layer);
  }
  return mapping;
}

}  // namespace codse::hw::testing
