#pragma once
// An AcceleratorTemplate is one hardware style a network can be mapped onto (folded dataflow as
// FINN builds it, unrolled dataflow as hls4ml's latency strategy builds it, ...). It is the
// extension point of the hardware side: each template owns its mapping knobs (the parallelism of
// a layer), which layer mappings are legal, the cost of its matrix-vector units, the seed
// mappings the HAL starts from and how codse's RTL folds its units. Templates are registered by
// name in hw/templates/template_registry.cpp and live in their own folder under hw/templates/;
// a Mapping names its template (Mapping::accelerator) and everything else looks it up there.
// Knobs other than parallelism (weight storage, multiplier style, clock) are common to all.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hw/cost/unit_cost.hpp"
#include "hw/model/calibration.hpp"
#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "hw/model/workload.hpp"

namespace codse::hw {

/// One parallelism knob of a layer mapping: its name (the key in mapping files and the suffix of
/// the mapping space's knob "<layer>.<name>") and the LayerMapping field it sets.
struct ParallelismField {
  std::string_view name;
  int LayerMapping::*field = nullptr;
};

/// How codse's matrix-vector RTL unit (codse_mvau) is folded for a layer: output and input lanes.
struct MvauFolding {
  int pe = 1;
  int simd = 1;
};

/// Where the HAL's seed mappings are placed in its mapping space.
struct SeedOptions {
  WeightStorage storage = WeightStorage::bram;
  double clock_mhz = 100.0;
};

class AcceleratorTemplate {
 public:
  virtual ~AcceleratorTemplate() = default;

  /// The one spelling of the template: mapping files, configs, the CLI and reports use it.
  virtual std::string_view name() const = 0;
  /// Spellings older files use, still read ("dataflow_folded").
  virtual std::vector<std::string_view> former_names() const { return {}; }
  /// One line for help texts.
  virtual std::string_view description() const = 0;

  // --- knobs ---------------------------------------------------------------------------------
  /// The parallelism knobs of a layer, in the order the mapping space lists them.
  virtual std::vector<ParallelismField> parallelism_fields() const = 0;
  /// The legal values of each parallelism field for one matrix-vector unit (same order), ascending.
  virtual std::vector<std::vector<int>> parallelism_values(const Unit& unit) const = 0;
  /// The weight storages searched by default on a device, most common first.
  virtual std::vector<WeightStorage> default_storages(const Device& device) const = 0;
  /// Why the template cannot keep weights in `storage` at all (e.g. the unrolled template has
  /// no weight streaming), or empty. Device limits are checked elsewhere.
  virtual std::string why_unsupported(WeightStorage storage) const = 0;

  // --- validation ----------------------------------------------------------------------------
  /// Why a layer mapping's parallelism is illegal for the unit ("layer fc1: PE 3 does not divide
  /// 256 outputs"), or empty. Knob values are at least 1 when this is called.
  virtual std::string why_invalid(const Unit& unit, const LayerMapping& layer) const = 0;

  // --- cost ----------------------------------------------------------------------------------
  /// The cost of one matrix-vector unit under one layer mapping; `calibration` is the device's
  /// (identity: the published formulas).
  virtual UnitCost matrix_vector_cost(const Unit& unit, const LayerMapping& layer, const Device& device,
                                      const Calibration& calibration) const = 0;
  /// Whether units talk through FIFOs (the folded template) rather than wires (unrolled): the
  /// cost of the units without knobs depends on it.
  virtual bool streams_between_units() const = 0;

  // --- seeds ---------------------------------------------------------------------------------
  /// Mappings the HAL adds to its candidates (FINN's folding heuristic for the folded template),
  /// with every layer's storage and the clock of `options`; none by default.
  virtual std::vector<Mapping> seed_mappings(const Workload& /*workload*/, const Device& /*device*/,
                                             const SeedOptions& /*options*/) const {
    return {};
  }

  // --- RTL -----------------------------------------------------------------------------------
  /// How codse_mvau is folded for a layer of mh outputs and mw inputs whose SIMD must divide
  /// simd_divides (the input channels of a convolution, else mw).
  virtual MvauFolding rtl_folding(const LayerMapping& layer, std::int64_t mh, std::int64_t mw,
                                  std::int64_t simd_divides) const = 0;
};

}  // namespace codse::hw
