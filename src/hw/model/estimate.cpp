#include "hw/model/estimate.hpp"

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
  v["lut"] = total.lut;
  v["ff"] = total.ff;
  v["dsp"] = total.dsp;
  v["bram18"] = total.bram18;
  v["uram"] = total.uram;
  v["lutram"] = total.lutram;
  v["ii_cycles"] = static_cast<double>(ii_cycles);
  v["latency_cycles"] = static_cast<double>(latency_cycles);
  v["latency_us"] = latency_us;
  v["fps"] = fps;
  v["offchip_gbps"] = offchip_gbps;
  v["power_w"] = power_w;
  v["energy_uj"] = energy_uj;
  v["fits"] = fits ? 1.0 : 0.0;
  v["lut_util"] = utilisation.lut;
  v["ff_util"] = utilisation.ff;
  v["dsp_util"] = utilisation.dsp;
  v["bram18_util"] = utilisation.bram18;
  v["uram_util"] = utilisation.uram;
  v["lutram_util"] = utilisation.lutram;
  return metrics;
}

}  // namespace codse::hw
