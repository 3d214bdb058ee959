#pragma once
// The unrolled template, as hls4ml's latency strategy builds a network: every layer a parallel
// circuit up to a reuse factor R (knob reuse: each multiplier serves R products per input
// vector), weights as constants in logic (a pruned weight costs nothing, a power-of-two weight is
// a shift) or in a ROM / block RAM R entries deep, units wired together. Costs in
// unrolled_cost.cpp; RTL: codse_mvau folded so that its folds take R cycles.

#include "hw/cost/accelerator_template.hpp"

namespace codse::hw {

class UnrolledTemplate final : public AcceleratorTemplate {
 public:
  std::string_view name() const override { return "unrolled"; }
  std::vector<std::string_view> former_names() const override { return {"dataflow_unrolled"}; }
  std::string_view description() const override;
  std::vector<ParallelismField> parallelism_fields() const override;
  std::vector<std::vector<int>> parallelism_values(const Unit& unit) const override;
  std::vector<WeightStorage> default_storages(const Device& device) const override;
  std::string why_unsupported(WeightStorage storage) const override;
  std::string why_invalid(const Unit& unit, const LayerMapping& layer) const override;
  UnitCost matrix_vector_cost(const Unit& unit, const LayerMapping& layer, const Device& device,
                              const Calibration& calibration) const override;
  bool streams_between_units() const override { return false; }
  MvauFolding rtl_folding(const LayerMapping& layer, std::int64_t mh, std::int64_t mw,
                          std::int64_t simd_divides) const override;
};

}  // namespace codse::hw
