#pragma once
// A Mapping says how hardware computes a Network (Halide's schedule to the network's algorithm):
// the accelerator template, the clock, the off-chip bandwidth used and, per layer with weights,
// its parallelism, where its weights live and what its multipliers are built from. The file
// format is documented in docs/MAPPING.md and read by hw/templates/mapping_file.hpp (each
// template names its own knobs).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codse::hw {

enum class WeightStorage { bram, uram, lutram, logic, offchip };
enum class MultiplierStyle { lut, dsp, automatic };

std::string_view to_string(WeightStorage value);
std::string_view to_string(MultiplierStyle value);  // automatic is written "auto"
std::optional<WeightStorage> weight_storage_from_string(std::string_view text);
std::optional<MultiplierStyle> multiplier_style_from_string(std::string_view text);
/// The spellings, comma separated, for messages ("bram, uram, lutram, logic, offchip").
std::string weight_storage_list();
std::string multiplier_style_list();

/// The knobs of one layer with weights (dense or conv2d). The parallelism fields are those of
/// every template; a template uses its own (AcceleratorTemplate::parallelism) and leaves the
/// others at 1.
struct LayerMapping {
  std::string layer;  // the network layer's name
  int pe = 1;         // folded: output lanes, divides the outputs (MH)
  int simd = 1;       // folded: input lanes, divides the inputs (MW; input channels for conv2d)
  int reuse = 1;      // unrolled: reuse factor R, each multiplier serves R products per input
  WeightStorage storage = WeightStorage::bram;
  MultiplierStyle multipliers = MultiplierStyle::automatic;
  bool operator==(const LayerMapping&) const = default;
};

struct Mapping {
  std::string accelerator = "folded";  // the accelerator template's name (hw/templates)
  double clock_mhz = 100.0;
  double offchip_gbps = 0.0;  // bandwidth the accelerator may use; <= the device's
  double toggle_rate = 0.125; // switching activity for dynamic power (XPE's default)
  std::vector<LayerMapping> layers;  // one per layer with weights, in network order
  bool operator==(const Mapping&) const = default;

  /// Throws InputError naming the layer when absent.
  const LayerMapping& layer(std::string_view name) const;
};

}  // namespace codse::hw
