#pragma once
// A Calibration corrects the analytic LUT and FF counts of the folded template's matrix-vector
// units towards what synthesis measures, per device. Two forms:
//  - by terms (what `codse hw calibrate` fits): LUTs = sum c_i x the unit's LUT term i and
//    FFs = sum d_i x FF term i, the terms being the parts codse's RTL instantiates
//    (folded_terms.hpp); the coefficients minimise the mean absolute relative error (small and
//    large layers count alike), none negative;
//  - linear (older catalogs): measured ~ offset + scale x the analytic count.
// The coefficients are stored in the device's catalog entry ("calibration": {...},
// docs/MAPPING.md); a device without one is uncalibrated (the FINN-R model). DSP and block RAM
// counts are structural (the estimator counts them as Yosys infers them) and are not fitted.

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hw/model/estimate.hpp"
#include "hw/templates/folded/folded_terms.hpp"

namespace codse::hw {

struct Calibration {
  double lut_offset = 0.0;
  double lut_scale = 1.0;
  double ff_offset = 0.0;
  double ff_scale = 1.0;
  bool by_terms = false;  // use the term coefficients below instead of offset and scale
  std::array<double, lut_term_count> lut_terms{};
  std::array<double, ff_term_count> ff_terms{};
  std::string source;  // what it was fitted on (tool, corpus size), for the catalog reader

  bool is_identity() const {
    return !by_terms && lut_offset == 0.0 && lut_scale == 1.0 && ff_offset == 0.0 && ff_scale == 1.0;
  }
  /// The linear form: applies to a unit's resources (lut and ff; never below the LUTRAM they
  /// contain, nor 0). Nothing when by_terms.
  void apply(Resources& resources) const;
  /// The term form: sets lut and ff from the unit's terms (lut never below its LUTRAM) and adds
  /// the input buffer's block RAM, which the uncalibrated FINN-R model does not count.
  void apply_terms(const FoldedTerms& terms, Resources& resources) const;

  nlohmann::json to_json() const;
  /// Throws InputError naming `where` and the field when malformed.
  static Calibration from_json(const nlohmann::json& object, const std::string& where);
};

/// One layer of the corpus: the analytic estimate of its unit (uncalibrated), its terms and
/// what Yosys made.
struct CalibrationSample {
  std::string name;
  Resources analytic;
  FoldedTerms terms;
  Resources measured;
};

/// Least absolute relative error: minimises sum |sum_i c_i t_i / y - 1| over the samples (the
/// MAPE), for LUT and FF separately, by iteratively reweighted least squares (Eigen's
/// column-pivoting QR); a term whose coefficient comes out negative is dropped (coefficient 0)
/// and the rest refitted. Terms that are 0 in every sample get 0. Needs at least as many samples
/// as terms with data; throws InputError otherwise.
Calibration fit_calibration(const std::vector<CalibrationSample>& samples);

/// Errors of an estimate against the measurements, over a set of samples.
struct CalibrationError {
  double lut_mape = 0.0;  // mean absolute percentage error, in percent
  double ff_mape = 0.0;
  double dsp_max_abs = 0.0;   // largest |estimate - measured| in blocks
  double bram_max_abs = 0.0;  // in BRAM18
};

/// The error of the samples' analytic counts, with the calibration applied to them.
CalibrationError calibration_error(const std::vector<CalibrationSample>& samples, const Calibration& calibration);

}  // namespace codse::hw
