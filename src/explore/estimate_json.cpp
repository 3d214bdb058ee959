#include "explore/estimate_json.hpp"

#include <cmath>

namespace codse::explore {
namespace {

nlohmann::json finite(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

nlohmann::json resources_json(const hw::Resources& r) {
  return {{"lut", r.lut}, {"ff", r.ff}, {"dsp", r.dsp}, {"bram18", r.bram18}, {"uram", r.uram}, {"lutram", r.lutram}};
}

}  // namespace

nlohmann::json estimate_to_json(const hw::Estimate& estimate) {
  nlohmann::json total = nlohmann::json::object();
  for (const auto& [name, value] : estimate.to_metrics().values) total[name] = finite(value);
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : estimate.layers)
    layers.push_back({{"name", layer.name},
                      {"unit", layer.unit},
                      {"resources", resources_json(layer.resources)},
                      {"cycles", layer.cycles},
                      {"latency_cycles", layer.latency_cycles},
                      {"offchip_bytes", layer.offchip_bytes},
                      {"power_w", layer.power_w},
                      {"limiter", hw::to_string(layer.limiter)},
                      {"bottleneck", layer.bottleneck}});
  return {{"fidelity", std::string(to_string(estimate.fidelity))},
          {"network", estimate.network},
          {"device", estimate.device},
          {"template", std::string(hw::to_string(estimate.kind))},
          {"clock_mhz", estimate.clock_mhz},
          {"fits", estimate.fits},
          {"overflow", estimate.overflow},
          {"total", total},
          {"layers", layers}};
}

}  // namespace codse::explore
