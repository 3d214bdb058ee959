#include "hw/model/estimate.hpp"

#include <limits>

#include "core/metric_catalog.hpp"

namespace codse::hw {

const char* to_string(Limiter limiter) {
  switch (limiter) {
    case Limiter::compute: return "compute";
    case Limiter::memory: return "memory";
    case Limiter::bandwidth: return "bandwidth";
  }
  return "?";
}

const std::vector<std::string>& estimate_metric_names() {
  static const std::vector<std::string> names = metric_names(MetricSource::hardware);
  return names;
}

Metrics Estimate::to_metrics() const {
  Metrics metrics;
  metrics.fidelity = fidelity;
  auto& v = metrics.values;
  for (const auto& kind : resource_kinds()) {
    v[kind.name] = total.*kind.count;
    v[std::string(kind.name) + "_util"] = utilisation.*kind.share;
  }
  v["ii_cycles"] = static_cast<double>(ii_cycles);
  v["latency_cycles"] = static_cast<double>(latency_cycles);
  v["latency_us"] = latency_us;
  v["fps"] = fps;
  v["offchip_gbps"] = offchip_gbps;
  v["power_w"] = power_w;
  v["energy_uj"] = energy_uj;
  v["fits"] = fits ? 1.0 : 0.0;
  return metrics;
}

const std::array<ResourceKind, 6>& resource_kinds() {
  static const std::array<ResourceKind, 6> kinds{{
      {"lut", &Resources::lut, &Utilisation::lut, [](const Device& d) { return d.lut; }},
      {"ff", &Resources::ff, &Utilisation::ff, [](const Device& d) { return d.ff; }},
      {"dsp", &Resources::dsp, &Utilisation::dsp, [](const Device& d) { return d.dsp.count; }},
      {"bram18", &Resources::bram18, &Utilisation::bram18, [](const Device& d) { return d.bram.count; }},
      {"uram", &Resources::uram, &Utilisation::uram, [](const Device& d) { return d.uram.count; }},
      {"lutram", &Resources::lutram, &Utilisation::lutram, [](const Device& d) { return d.lutram_luts; }},
  }};
  return kinds;
}

void check_fit(Estimate& estimate, const Device& device) {
  estimate.overflow.clear();
  for (const auto& kind : resource_kinds()) {
    const double used = estimate.total.*kind.count;
    const std::int64_t available = kind.available(device);
    const double share = available > 0 ? used / static_cast<double>(available)
                                       : (used > 0.0 ? std::numeric_limits<double>::infinity() : 0.0);
    estimate.utilisation.*kind.share = share;
    if (share > 1.0) estimate.overflow += (estimate.overflow.empty() ? "" : ", ") + std::string(kind.name);
  }
  estimate.fits = estimate.overflow.empty();
}

}  // namespace codse::hw
