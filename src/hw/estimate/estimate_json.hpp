#pragma once
// JSON forms of estimates and mappings as `codse hw estimate --json` and `codse hw map` write
// them (docs/MAPPING.md, "Estimate JSON"). The synthesis flow writes its Estimates the same way.

#include <nlohmann/json.hpp>

#include "hw/model/estimate.hpp"
#include "hw/model/mapping.hpp"

namespace codse::hw {

/// {"total": {lut, ff, dsp, bram18, uram, lutram, cycles, ii_cycles, latency_cycles,
/// latency_us, fps, fps_compute, fps_bandwidth, power_w, power_static_w, power_dynamic_w,
/// energy_uj, offchip_gbps, offchip_bytes, fits, overflow, bottleneck, limiter, utilisation},
/// "layers": [the same per unit, with its name and unit kind], network, device, template,
/// clock_mhz, fidelity}. Per layer, cycles = ii_cycles = the unit's cycles per inference, fps
/// what the unit alone would allow, offchip_gbps what it streams at the network's fps.
nlohmann::ordered_json estimate_to_json(const Estimate& estimate);

/// The mapping file's JSON object (mapping_json_text parsed).
nlohmann::ordered_json mapping_to_json(const Mapping& mapping);

}  // namespace codse::hw
