#pragma once
// The fit of a calibration (hw/model/calibration.hpp) to synthesized layers: one non-negative
// coefficient per term of the folded matrix-vector unit (hw/templates/folded/folded_terms.hpp),
// minimising the mean absolute relative error, and the errors of a calibration on a corpus.

#include <string>
#include <vector>

#include "hw/model/calibration.hpp"
#include "hw/model/estimate.hpp"
#include "hw/templates/folded/folded_terms.hpp"

namespace codse::hw {

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
