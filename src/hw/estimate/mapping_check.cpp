#include "hw/estimate/mapping_check.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::hw {
namespace {

std::string weight_layer_names(const Workload& workload) {
  std::string names;
  for (std::size_t i = 0; i < workload.weight_units().size(); ++i)
    names += (i ? ", " : "") + workload.weight_unit(i).name;
  return names;
}

std::string why_invalid_storage(const Unit& unit, const LayerMapping& layer, const Mapping& mapping,
                                const Device& device) {
  const auto prefix = fmt::format("layer {}: storage {}", unit.name, to_string(layer.storage));
  switch (layer.storage) {
    case WeightStorage::bram:
      if (!device.bram.present()) return prefix + fmt::format(": device {} has no block RAM", device.name);
      break;
    case WeightStorage::uram:
      if (!device.uram.present()) return prefix + fmt::format(": device {} has no URAM", device.name);
      break;
    case WeightStorage::lutram:
      if (device.lutram_depth <= 0)
        return prefix + fmt::format(": device {} has no distributed RAM (use logic for LUT ROM)", device.name);
      break;
    case WeightStorage::logic:
      break;
    case WeightStorage::offchip:
      if (!device.has_offchip_memory())
        return prefix + fmt::format(": device {} has no off-chip memory", device.name);
      if (!(mapping.offchip_gbps > 0.0)) return prefix + ": the mapping's offchip_gbps is 0";
      break;
  }
  return {};
}

}  // namespace

std::string why_invalid_layer(const Unit& unit, const LayerMapping& layer, const Mapping& mapping,
                              const Device& device) {
  if (layer.pe < 1 || layer.simd < 1 || layer.reuse < 1)
    return fmt::format("layer {}: pe, simd and reuse must be at least 1", unit.name);
  const AcceleratorTemplate& accelerator = accelerator_template(mapping.accelerator);
  if (auto reason = accelerator.why_invalid(unit, layer); !reason.empty()) return reason;
  if (auto reason = accelerator.why_unsupported(layer.storage); !reason.empty())
    return fmt::format("layer {}: storage {}: {}", unit.name, to_string(layer.storage), reason);
  if (auto reason = why_invalid_storage(unit, layer, mapping, device); !reason.empty()) return reason;
  if (layer.multipliers == MultiplierStyle::dsp && device.dsp.count <= 0)
    return fmt::format("layer {}: multipliers dsp: device {} has no DSP blocks", unit.name, device.name);
  return {};
}

std::string why_invalid(const Workload& workload, const Mapping& mapping, const Device& device) {
  if (!find_accelerator_template(mapping.accelerator))
    return fmt::format("unknown accelerator template '{}' (known: {})", mapping.accelerator, accelerator_template_names());
  if (!(mapping.clock_mhz > 0.0) || mapping.clock_mhz > device.max_clock_mhz)
    return fmt::format("clock_mhz {} is outside (0, {}], the clock range of device {}", mapping.clock_mhz,
                       device.max_clock_mhz, device.name);
  if (mapping.offchip_gbps < 0.0 || mapping.offchip_gbps > device.offchip_gbps)
    return fmt::format("offchip_gbps {} is outside [0, {}], the off-chip bandwidth of device {}",
                       mapping.offchip_gbps, device.offchip_gbps, device.name);
  if (!(mapping.toggle_rate > 0.0) || mapping.toggle_rate > 1.0)
    return fmt::format("toggle_rate {} is outside (0, 1]", mapping.toggle_rate);
  const auto& units = workload.weight_units();
  for (std::size_t i = 0; i < mapping.layers.size(); ++i) {
    const auto& name = mapping.layers[i].layer;
    if (i >= units.size() || workload.weight_unit(i).name != name) {
      bool known = false;
      for (std::size_t j = 0; j < units.size(); ++j) known = known || workload.weight_unit(j).name == name;
      if (!known)
        return fmt::format("mapping layer '{}' is not a layer with weights of network {} (those are: {})", name,
                           workload.network_name(), weight_layer_names(workload));
      return fmt::format("mapping layer {} is '{}' but the network's layer with weights number {} is '{}' "
                         "(list them in network order: {})",
                         i + 1, name, i + 1, i < units.size() ? workload.weight_unit(i).name : "none",
                         weight_layer_names(workload));
    }
  }
  if (mapping.layers.size() < units.size())
    return fmt::format("mapping has no entry for layer {} of network {} (layers with weights: {})",
                       workload.weight_unit(mapping.layers.size()).name, workload.network_name(),
                       weight_layer_names(workload));
  for (std::size_t i = 0; i < units.size(); ++i)
    if (auto reason = why_invalid_layer(workload.weight_unit(i), mapping.layers[i], mapping, device); !reason.empty())
      return reason;
  return {};
}

void validate(const Workload& workload, const Mapping& mapping, const Device& device) {
  if (auto reason = why_invalid(workload, mapping, device); !reason.empty()) throw InputError(reason);
}

void validate(const nn::Network& network, const Mapping& mapping, const Device& device) {
  validate(Workload(network), mapping, device);
}

}  // namespace codse::hw
