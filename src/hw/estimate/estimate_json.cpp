#include "hw/estimate/estimate_json.hpp"

#include <cmath>

#include "hw/templates/mapping_file.hpp"

namespace codse::hw {
namespace {

using nlohmann::ordered_json;

/// JSON has no infinity: a rate nothing limits is written as null.
ordered_json rate(double value) { return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr); }

void put_resources(ordered_json& object, const Resources& r) {
  for (const auto& kind : resource_kinds()) object[kind.name] = r.*kind.count;
}

ordered_json layer_json(const Estimate& estimate, const LayerEstimate& layer) {
  ordered_json object;
  object["name"] = layer.name;
  object["unit"] = layer.unit;
  put_resources(object, layer.resources);
  object["cycles"] = layer.cycles;
  object["ii_cycles"] = layer.cycles;
  object["latency_cycles"] = layer.latency_cycles;
  object["latency_us"] = static_cast<double>(layer.latency_cycles) / estimate.clock_mhz;
  object["fps"] = layer.cycles > 0 ? rate(estimate.clock_mhz * 1e6 / static_cast<double>(layer.cycles)) : nullptr;
  object["power_w"] = layer.power_w;
  object["offchip_bytes"] = layer.offchip_bytes;
  object["offchip_gbps"] = layer.offchip_bytes * estimate.fps / 1e9;
  object["share_of_ii"] = estimate.ii_cycles > 0 ? static_cast<double>(layer.cycles) / static_cast<double>(estimate.ii_cycles) : 0.0;
  object["share_of_lut"] = estimate.total.lut > 0 ? layer.resources.lut / estimate.total.lut : 0.0;
  object["bottleneck"] = layer.bottleneck;
  object["limiter"] = to_string(layer.limiter);
  return object;
}

}  // namespace

ordered_json estimate_to_json(const Estimate& e) {
  ordered_json total;
  put_resources(total, e.total);
  total["cycles"] = e.latency_cycles;
  total["ii_cycles"] = e.ii_cycles;
  total["latency_cycles"] = e.latency_cycles;
  total["latency_us"] = e.latency_us;
  total["fps"] = e.fps;
  total["fps_compute"] = e.fps_compute;
  total["fps_bandwidth"] = rate(e.fps_bandwidth);
  total["power_w"] = e.power_w;
  total["power_static_w"] = e.power_static_w;
  total["power_dynamic_w"] = e.power_dynamic_w;
  total["energy_uj"] = e.energy_uj;
  total["offchip_gbps"] = e.offchip_gbps;
  total["offchip_bytes"] = e.offchip_bytes;
  total["fits"] = e.fits;
  total["overflow"] = e.overflow;
  total["bottleneck"] = e.layers.empty() ? "" : e.layers[e.bottleneck].name;
  total["limiter"] = to_string(e.limiter);
  ordered_json& utilisation = total["utilisation"];
  for (const auto& kind : resource_kinds()) utilisation[kind.name] = rate(e.utilisation.*kind.share);
  ordered_json layers = ordered_json::array();
  for (const auto& layer : e.layers) layers.push_back(layer_json(e, layer));
  ordered_json object;
  object["network"] = e.network;
  object["device"] = e.device;
  object["template"] = e.accelerator;
  object["clock_mhz"] = e.clock_mhz;
  object["fidelity"] = std::string(to_string(e.fidelity));
  object["total"] = std::move(total);
  object["layers"] = std::move(layers);
  return object;
}

ordered_json mapping_to_json(const Mapping& mapping) { return ordered_json::parse(mapping_json_text(mapping)); }

}  // namespace codse::hw
