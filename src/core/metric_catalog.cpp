#include "core/metric_catalog.hpp"

namespace codse {

const std::vector<MetricInfo>& metric_catalog() {
  using enum MetricSource;
  constexpr auto min = Sense::minimize;
  constexpr auto max = Sense::maximize;
  static const std::vector<MetricInfo> catalog{
      {"error", "fraction", min, network, true, "validation error rate, 1 - accuracy"},
      {"accuracy", "fraction", max, network, true, "accuracy on the validation split"},
      // Not joint: measured once, for the final front only, so that the search never sees it.
      {"test_error", "fraction", min, network, false, "held-out test error rate, measured once at the end"},
      {"params", "parameters", min, network, true, "weights and biases of the network"},
      {"macs", "MACs", min, network, true, "multiply-accumulates per inference"},
      {"lut", "LUTs", min, hardware, true, "look-up tables, logic and LUTRAM"},
      {"ff", "flip-flops", min, hardware, true, "registers"},
      {"dsp", "DSP blocks", min, hardware, true, "hard multiplier blocks"},
      {"bram18", "BRAM18", min, hardware, true, "block RAM, in 18 Kb halves (iCE40: 4 Kb EBRs)"},
      {"uram", "URAM blocks", min, hardware, false, "UltraRAM (iCE40: SPRAM) blocks"},
      {"lutram", "LUTs", min, hardware, false, "LUTs used as distributed RAM"},
      {"ii_cycles", "cycles", min, hardware, false, "initiation interval: cycles between inferences"},
      {"latency_cycles", "cycles", min, hardware, false, "cycles from an input's first word to its last output"},
      {"latency_us", "us", min, hardware, true, "latency of one inference at the mapping's clock"},
      {"fps", "inferences/s", max, hardware, true, "throughput"},
      {"offchip_gbps", "GB/s", min, hardware, false, "off-chip bandwidth used at full throughput"},
      {"power_w", "W", min, hardware, true, "static plus dynamic power"},
      {"energy_uj", "uJ", min, hardware, true, "energy per inference"},
      {"fits", "1 = fits", max, hardware, true, "whether every resource fits the device"},
      {"lut_util", "fraction", min, hardware, false, "LUTs used / the device's"},
      {"ff_util", "fraction", min, hardware, false, "flip-flops used / the device's"},
      {"dsp_util", "fraction", min, hardware, false, "DSP blocks used / the device's"},
      {"bram18_util", "fraction", min, hardware, false, "block RAM used / the device's"},
      {"uram_util", "fraction", min, hardware, false, "URAM used / the device's"},
      {"lutram_util", "fraction", min, hardware, false, "LUTRAM used / the device's LUTs that can be RAM"},
  };
  return catalog;
}

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& metric : metric_catalog())
    if (metric.name == name) return &metric;
  return nullptr;
}

std::vector<std::string> metric_names(MetricSource source, bool joint_only) {
  std::vector<std::string> names;
  for (const auto& metric : metric_catalog())
    if (metric.source == source && (metric.joint || !joint_only)) names.emplace_back(metric.name);
  return names;
}

std::string metric_list(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return list;
}

}  // namespace codse
