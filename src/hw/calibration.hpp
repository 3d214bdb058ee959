#pragma once
// A Calibration corrects the analytic LUT and FF counts of the folded template's matrix-vector
// units towards what synthesis measures, per device: measured ~ offset + scale * analytic. The
// coefficients are fitted by `codse hw calibrate` on a corpus of synthesized layers (least
// squares on the relative error, so small and large layers count alike) and stored in the
// device's catalog entry ("calibration": {...}, docs/MAPPING.md); a device without one is
// uncalibrated (offset 0, scale 1). DSP and block RAM counts are structural (the estimator counts
// them exactly as Yosys infers them) and are not scaled.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "hw/estimate.hpp"

namespace codse::hw {

struct Calibration {
  double lut_offset = 0.0;
  double lut_scale = 1.0;
  double ff_offset = 0.0;
  double ff_scale = 1.0;
  std::string source;  // what it was fitted on (tool, corpus size), for the catalog reader

  bool is_identity() const { return lut_offset == 0.0 && lut_scale == 1.0 && ff_offset == 0.0 && ff_scale == 1.0; }
  /// Applies to a unit's resources (lut and ff; never below the LUTRAM they contain, nor 0).
  void apply(Resources& resources) const;

  nlohmann::json to_json() const;
  /// Throws InputError naming `where` and the field when malformed.
  static Calibration from_json(const nlohmann::json& object, const std::string& where);
};

/// One layer of the corpus: the analytic estimate of its unit (uncalibrated) and what Yosys made.
struct CalibrationSample {
  std::string name;
  Resources analytic;
  Resources measured;
};

/// Least squares of the relative error: minimises sum ((offset + scale x_i) / y_i - 1)^2 for
/// LUT and FF separately (Eigen's column-pivoting QR). Needs two samples with distinct analytic
/// counts; throws InputError otherwise.
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
