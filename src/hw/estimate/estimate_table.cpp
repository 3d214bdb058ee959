#include "hw/estimate/estimate_table.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "hw/templates/template_registry.hpp"

namespace codse::hw {
namespace {

/// The template's parallelism knobs of one layer, e.g. "pe 32 simd 49" or "reuse 8".
std::string parallelism_text(const Mapping& mapping, const LayerMapping& entry) {
  std::string text;
  for (const auto& field : accelerator_template(mapping.accelerator).parallelism_fields())
    text += fmt::format("{}{} {}", text.empty() ? "" : " ", field.name, entry.*field.field);
  return text;
}

std::string knobs_text(const Mapping& mapping, const std::string& layer, std::size_t width) {
  for (const auto& entry : mapping.layers)
    if (entry.layer == layer)
      return fmt::format("{:<{}}  {:<7} {:<4}", parallelism_text(mapping, entry), width, to_string(entry.storage),
                         to_string(entry.multipliers));
  return fmt::format("{:<{}}  {:<7} {:<4}", "", width, "", "");
}

}  // namespace

std::string estimate_table_text(const Estimate& e, const Mapping& mapping, const Device& device) {
  std::string out;
  out += fmt::format("{} on {} ({}), {} at {} MHz, {} estimate\n", e.network, device.name, device.board, e.accelerator,
             e.clock_mhz, to_string(e.fidelity));
  std::size_t width = 9;
  for (const auto& entry : mapping.layers) width = std::max(width, parallelism_text(mapping, entry).size());
  const std::string knobs = fmt::format("{:<{}}", "parallelism", width);
  out += fmt::format("  {:<10} {:<13} {}  {:<7} {:<4} {:>9} {:>5} {:>8} {:>5} {:>7} {:>10} {:>5} {:>9} {:>8}  {}\n", "layer", "unit",
             knobs, "storage", "mult", "LUT", "%", "FF", "DSP", "BRAM18", "cycles", "% II", "latency", "mW", "limiter");
  for (const auto& layer : e.layers) {
    const double lut_share = e.total.lut > 0 ? 100.0 * layer.resources.lut / e.total.lut : 0.0;
    const double ii_share = 100.0 * static_cast<double>(layer.cycles) / static_cast<double>(e.ii_cycles);
    out += fmt::format("{} {:<10} {:<13} {} {:>9.0f} {:>5.1f} {:>8.0f} {:>5.0f} {:>7.0f} {:>10} {:>5.1f} {:>9} {:>8.2f}  {}\n",
               layer.bottleneck ? "*" : " ", layer.name, layer.unit, knobs_text(mapping, layer.name, width), layer.resources.lut,
               lut_share, layer.resources.ff, layer.resources.dsp, layer.resources.bram18, layer.cycles, ii_share,
               layer.latency_cycles, layer.power_w * 1e3, to_string(layer.limiter));
  }
  const auto& t = e.total;
  const auto& u = e.utilisation;
  out += fmt::format("total: LUT {:.0f} ({:.1f}%), FF {:.0f} ({:.1f}%), DSP {:.0f} ({:.1f}%), BRAM18 {:.0f} ({:.1f}%), URAM {:.0f}, "
             "LUTRAM {:.0f}\n",
             t.lut, 100 * u.lut, t.ff, 100 * u.ff, t.dsp, 100 * u.dsp, t.bram18, 100 * u.bram18, t.uram, t.lutram);
  out += fmt::format("II {} cycles, {:.1f} fps, latency {} cycles = {:.2f} us\n", e.ii_cycles, e.fps, e.latency_cycles,
             e.latency_us);
  out += fmt::format("power {:.3f} W ({:.3f} static + {:.3f} dynamic), {:.3f} uJ per inference, off-chip {:.3f} GB/s\n",
             e.power_w, e.power_static_w, e.power_dynamic_w, e.energy_uj, e.offchip_gbps);
  out += fmt::format("fits {}: {}; bottleneck * {} ({})\n", device.name,
             e.fits ? "yes" : "no, over in " + e.overflow, e.layers.empty() ? "" : e.layers[e.bottleneck].name,
             to_string(e.limiter));
  return out;
}

}  // namespace codse::hw
