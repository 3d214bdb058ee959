#include "hw/templates/unrolled/unrolled_template.hpp"

#include <limits>

#include <fmt/format.h>

#include "core/divisors.hpp"
#include "hw/templates/unrolled/unrolled_cost.hpp"

namespace codse::hw {
namespace {

/// The unrolled template's reuse factor R as a folding of the same matrix-vector unit: NF x SF = R
/// cycles per vector, the most parallel such folding; when no folding gives exactly R cycles, the
/// fastest one that takes at least R (or the slowest possible).
MvauFolding folding_from_reuse(std::int64_t reuse, std::int64_t mh, std::int64_t mw, std::int64_t simd_divides) {
  MvauFolding best{1, 1};
  std::int64_t best_cycles = std::numeric_limits<std::int64_t>::max();
  bool exact = false;
  for (std::int64_t pe = 1; pe <= mh; ++pe) {
    if (mh % pe != 0) continue;
    for (std::int64_t simd = 1; simd <= simd_divides; ++simd) {
      if (simd_divides % simd != 0) continue;
      const std::int64_t cycles = (mh / pe) * (mw / simd);
      const bool is_exact = cycles == reuse;
      const bool better = is_exact ? (!exact || pe * simd > std::int64_t{best.pe} * best.simd)
                                   : (!exact && cycles >= reuse && cycles < best_cycles);
      if (better) {
        best = {static_cast<int>(pe), static_cast<int>(simd)};
        best_cycles = cycles;
        exact = exact || is_exact;
      }
    }
  }
  if (best_cycles == std::numeric_limits<std::int64_t>::max()) best = {1, 1};
  return best;
}

}  // namespace

std::string_view UnrolledTemplate::description() const {
  return "every layer unrolled up to a reuse factor, constant weights in logic, units wired (hls4ml latency)";
}

std::vector<ParallelismField> UnrolledTemplate::parallelism_fields() const { return {{"reuse", &LayerMapping::reuse}}; }

std::vector<std::vector<int>> UnrolledTemplate::parallelism_values(const Unit& unit) const {
  // hls4ml needs at most one pass over the inputs per multiplier: R <= inputs per output.
  std::vector<int> reuse;
  for (const int r : divisors(unit.mw * unit.mh))
    if (r <= unit.mw) reuse.push_back(r);
  return {reuse};
}

std::vector<WeightStorage> UnrolledTemplate::default_storages(const Device& device) const {
  std::vector<WeightStorage> storages{WeightStorage::logic};
  if (device.bram.present()) storages.push_back(WeightStorage::bram);
  return storages;
}

std::string UnrolledTemplate::why_unsupported(WeightStorage storage) const {
  return storage == WeightStorage::offchip ? "the unrolled template keeps its weights on chip" : "";
}

std::string UnrolledTemplate::why_invalid(const Unit& unit, const LayerMapping& layer) const {
  const std::int64_t products = unit.mw * unit.mh;
  if (products % layer.reuse != 0)
    return fmt::format("layer {}: reuse factor {} does not divide {} x {} = {} products", unit.name, layer.reuse,
                       unit.mw, unit.mh, products);
  return {};
}

UnitCost UnrolledTemplate::matrix_vector_cost(const Unit& unit, const LayerMapping& layer, const Device& device,
                                              const Calibration& /*calibration: fitted for folded units only*/) const {
  return unrolled_matrix_vector_cost(unit, layer, device);
}

MvauFolding UnrolledTemplate::rtl_folding(const LayerMapping& layer, std::int64_t mh, std::int64_t mw,
                                          std::int64_t simd_divides) const {
  return folding_from_reuse(layer.reuse, mh, mw, simd_divides);
}

}  // namespace codse::hw
