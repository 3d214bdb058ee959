#pragma once
// A Mapping says how hardware computes a Network (Halide's schedule to the network's algorithm):
// the accelerator template, the clock, the off-chip bandwidth used and, per layer with weights,
// its parallelism, where its weights live and what its multipliers are built from. The file
// format is documented in docs/MAPPING.md.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codse::hw {

/// dataflow_folded: FINN-style, one matrix-vector unit per layer with PE x SIMD lanes.
/// dataflow_unrolled: hls4ml latency-style, every layer unrolled up to a reuse factor.
enum class Template { dataflow_folded, dataflow_unrolled };
enum class WeightStorage { bram, uram, lutram, logic, offchip };
enum class MultiplierStyle { lut, dsp, automatic };

std::string_view to_string(Template value);
std::string_view to_string(WeightStorage value);
std::string_view to_string(MultiplierStyle value);  // automatic is written "auto"
std::optional<Template> template_from_string(std::string_view text);
std::optional<WeightStorage> weight_storage_from_string(std::string_view text);
std::optional<MultiplierStyle> multiplier_style_from_string(std::string_view text);

/// The knobs of one layer with weights (dense or conv2d).
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
  Template kind = Template::dataflow_folded;
  double clock_mhz = 100.0;
  double offchip_gbps = 0.0;  // bandwidth the accelerator may use; <= the device's
  double toggle_rate = 0.125; // switching activity for dynamic power (XPE's default)
  std::vector<LayerMapping> layers;  // one per layer with weights, in network order
  bool operator==(const Mapping&) const = default;

  /// Throws InputError naming the layer when absent.
  const LayerMapping& layer(std::string_view name) const;

  /// Reads a mapping file; throws InputError naming the file and the field.
  static Mapping load(const std::string& path);
  static Mapping parse(std::string_view text, const std::string& source);
  void save(const std::string& path) const;
  std::string to_json_text() const;
};

}  // namespace codse::hw
