#pragma once
// The mapping knobs of one network on one device as a codse::Space, so every explorer of module
// search can search them, plus the per-layer choice lists the HAL enumerates.
//
// Knobs, per layer with weights L (in network order): the template's parallelism knobs
// (AcceleratorTemplate::parallelism_fields: folded L.pe and L.simd, unrolled L.reuse), then
// L.storage and L.multipliers; and globally clock_mhz and offchip_gbps (one value each unless
// options list more). Every
// design of the space is a valid mapping (validate() accepts it); whether it fits is for the
// estimate to say.

#include <cstddef>
#include <vector>

#include "core/design.hpp"
#include "core/divisors.hpp"
#include "core/space.hpp"
#include "hw/cost/accelerator_template.hpp"
#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "hw/model/workload.hpp"

namespace codse::hw {

struct SpaceOptions {
  std::string accelerator = "folded";        // the template's name (hw/templates)
  std::vector<double> clocks_mhz;            // empty: the device's default clock
  std::vector<double> offchip_gbps;          // empty: the device's off-chip bandwidth
  std::vector<WeightStorage> storages;       // empty: the template's and device's defaults
  std::vector<MultiplierStyle> multipliers;  // empty: lut, and dsp where it makes sense
  double toggle_rate = 0.125;
};

/// The legal values of one layer's knobs.
struct LayerChoices {
  std::vector<ParallelismField> fields;    // the template's parallelism knobs
  std::vector<std::vector<int>> parallelism;  // the legal values of each, same order
  std::vector<WeightStorage> storages;
  std::vector<MultiplierStyle> multipliers;

  /// The legal values of the parallelism knob `name` ("pe"); empty when the template has none.
  const std::vector<int>& values(std::string_view name) const;
  /// Number of layer mappings: the product of the lists.
  std::size_t size() const;
  /// The index-th combination (mixed radix, last list fastest) written into layer's knobs; the
  /// parallelism fields the template does not use are set to 1.
  void write(std::size_t index, LayerMapping& layer) const;
};

/// The space of mappings codse's RTL builds the way the estimator counts them (what synthesis
/// fidelity explores): the default storages without offchip (no DMA in the RTL; uram weights are
/// loaded through a port at start-up, codse_mvau's WEIGHT_STYLE 3), and multipliers lut or auto (auto = a DSP where the synthesis
/// tool maps the product to one; Yosys cannot be made to put a narrower product in a DSP, so a
/// `dsp` mapping would be built like `auto` but estimated with every product in a DSP).
SpaceOptions rtl_buildable_space(std::string_view accelerator, const Device& device);

class MappingSpace {
 public:
  /// Throws InputError when an option is impossible on the device (a clock above its maximum, a
  /// storage it does not have, an off-chip bandwidth above the board's).
  MappingSpace(const Workload& workload, const Device& device, SpaceOptions options = {});

  const Space& space() const { return space_; }
  const SpaceOptions& options() const { return options_; }
  const std::vector<LayerChoices>& layers() const { return layers_; }
  /// Number of mappings (a double: it can exceed 2^64).
  double size() const { return space_.cardinality(); }

  Mapping decode(const Design& design) const;
  /// Writes the design into mapping, which must come from decode() of this space (no allocation).
  void decode_into(const Design& design, Mapping& mapping) const;
  /// Throws InputError naming the knob when a value of the mapping is not in the space.
  Design encode(const Mapping& mapping) const;

 private:
  SpaceOptions options_;
  const AcceleratorTemplate* accelerator_;
  std::vector<LayerChoices> layers_;
  std::vector<std::string> names_;
  Space space_;
};

}  // namespace codse::hw
