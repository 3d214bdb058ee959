#pragma once
// The folded template, as FINN builds dataflow accelerators: one matrix-vector unit per layer
// with PE output lanes and SIMD input lanes (knobs pe and simd), weights in block RAM, LUTRAM,
// logic, URAM or streamed from off-chip memory, units connected by FIFOs. Costs: FINN-R
// (folded_cost.cpp), calibrated per device by terms (folded_terms.hpp); seeds: FINN's folding
// heuristic (finn_folding.hpp); RTL: codse_mvau folded PE x SIMD.

#include "hw/cost/accelerator_template.hpp"

namespace codse::hw {

class FoldedTemplate final : public AcceleratorTemplate {
 public:
  std::string_view name() const override { return "folded"; }
  std::vector<std::string_view> former_names() const override { return {"dataflow_folded"}; }
  std::string_view description() const override;
  std::vector<ParallelismField> parallelism_fields() const override;
  std::vector<std::vector<int>> parallelism_values(const Unit& unit) const override;
  std::vector<WeightStorage> default_storages(const Device& device) const override;
  std::string why_unsupported(WeightStorage storage) const override;
  std::string why_invalid(const Unit& unit, const LayerMapping& layer) const override;
  UnitCost matrix_vector_cost(const Unit& unit, const LayerMapping& layer, const Device& device,
                              const Calibration& calibration) const override;
  bool streams_between_units() const override { return true; }
  std::vector<Mapping> seed_mappings(const Workload& workload, const Device& device,
                                     const SeedOptions& options) const override;
  MvauFolding rtl_folding(const LayerMapping& layer, std::int64_t mh, std::int64_t mw,
                          std::int64_t simd_divides) const override;
};

}  // namespace codse::hw
