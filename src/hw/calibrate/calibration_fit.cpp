#include "hw/calibrate/calibration_fit.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::hw {
namespace {

/// Coefficients c >= 0 minimising sum_r u_r (sum_i c_i x_ri / y_r - 1)^2 over rows with y_r > 0
/// (u: row weights): Eigen's column-pivoting QR on the active columns; a column whose coefficient
/// comes out negative leaves the active set and the rest is solved again (a simple active-set
/// NNLS, enough for a handful of terms). Columns that are 0 in every row are inactive from the start.
std::vector<double> weighted_relative_least_squares(const std::vector<std::vector<double>>& x,
                                                    const std::vector<double>& y, const std::vector<double>& u,
                                                    const char* what) {
  const std::size_t terms = x.empty() ? 0 : x.front().size();
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < y.size(); ++r)
    if (y[r] > 0.0) rows.push_back(r);
  std::vector<bool> active(terms, false);
  for (std::size_t i = 0; i < terms; ++i)
    for (const auto r : rows) active[i] = active[i] || x[r][i] != 0.0;
  std::vector<double> solution(terms, 0.0);
  for (;;) {
    std::vector<std::size_t> columns;
    for (std::size_t i = 0; i < terms; ++i)
      if (active[i]) columns.push_back(i);
    const auto undetermined = [&] {
      return InputError(fmt::format("calibration: the {} counts of the corpus cannot determine the {} coefficients "
                                    "of the terms that occur in it (have {} layers with a count; use more, more "
                                    "varied layers)",
                                    what, columns.size(), rows.size()));
    };
    if (columns.empty() || rows.size() < columns.size()) throw undetermined();
    Eigen::MatrixXd a(rows.size(), columns.size());
    Eigen::VectorXd b(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const double root = std::sqrt(u[rows[r]]);
      b(static_cast<Eigen::Index>(r)) = root;
      for (std::size_t c = 0; c < columns.size(); ++c)
        a(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = root * x[rows[r]][columns[c]] / y[rows[r]];
    }
    const auto qr = a.colPivHouseholderQr();
    if (qr.rank() < static_cast<Eigen::Index>(columns.size())) throw undetermined();
    const Eigen::VectorXd c = qr.solve(b);
    Eigen::Index most_negative = -1;
    for (Eigen::Index k = 0; k < c.size(); ++k)
      if (c(k) < 0.0 && (most_negative < 0 || c(k) < c(most_negative))) most_negative = k;
    if (most_negative < 0) {
      std::fill(solution.begin(), solution.end(), 0.0);
      for (std::size_t k = 0; k < columns.size(); ++k) solution[columns[k]] = c(static_cast<Eigen::Index>(k));
      return solution;
    }
    active[columns[static_cast<std::size_t>(most_negative)]] = false;
  }
}

/// Coefficients c >= 0 minimising the mean absolute relative error, sum_r |sum_i c_i x_ri / y_r - 1|
/// (the MAPE the calibration is judged by; less swayed than squares by the few layers where
/// synthesis found an unusually small netlist): iteratively reweighted least squares, each row
/// weighted by 1 / max(|its relative residual|, 1e-3), from the least-squares start.
std::vector<double> relative_least_absolute(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                                            const char* what) {
  std::vector<double> u(y.size(), 1.0);
  std::vector<double> c = weighted_relative_least_squares(x, y, u, what);
  for (int iteration = 0; iteration < 100; ++iteration) {
    for (std::size_t r = 0; r < y.size(); ++r) {
      if (y[r] <= 0.0) continue;
      double estimate = 0.0;
      for (std::size_t i = 0; i < c.size(); ++i) estimate += c[i] * x[r][i];
      u[r] = 1.0 / std::max(std::abs(estimate / y[r] - 1.0), 1e-3);
    }
    const auto next = weighted_relative_least_squares(x, y, u, what);
    double change = 0.0;
    for (std::size_t i = 0; i < c.size(); ++i) change = std::max(change, std::abs(next[i] - c[i]) / std::max(c[i], 1e-9));
    c = next;
    if (change < 1e-9) break;
  }
  return c;
}

}  // namespace

Calibration fit_calibration(const std::vector<CalibrationSample>& samples) {
  std::vector<std::vector<double>> lut_x, ff_x;
  std::vector<double> lut_y, ff_y;
  for (const auto& s : samples) {
    lut_x.emplace_back(s.terms.lut.begin(), s.terms.lut.end());
    lut_y.push_back(s.measured.lut);
    ff_x.emplace_back(s.terms.ff.begin(), s.terms.ff.end());
    ff_y.push_back(s.measured.ff);
  }
  Calibration c;
  c.by_terms = true;
  const auto lut = relative_least_absolute(lut_x, lut_y, "LUT");
  const auto ff = relative_least_absolute(ff_x, ff_y, "FF");
  std::copy(lut.begin(), lut.end(), c.lut_terms.begin());
  std::copy(ff.begin(), ff.end(), c.ff_terms.begin());
  return c;
}

CalibrationError calibration_error(const std::vector<CalibrationSample>& samples, const Calibration& calibration) {
  CalibrationError error;
  if (samples.empty()) return error;
  for (const auto& s : samples) {
    Resources estimate = s.analytic;
    if (calibration.by_terms)
      apply_term_calibration(calibration, s.terms, estimate);
    else
      calibration.apply(estimate);
    error.lut_mape += std::abs(estimate.lut - s.measured.lut) / std::max(s.measured.lut, 1.0);
    error.ff_mape += std::abs(estimate.ff - s.measured.ff) / std::max(s.measured.ff, 1.0);
    error.dsp_max_abs = std::max(error.dsp_max_abs, std::abs(estimate.dsp - s.measured.dsp));
    error.bram_max_abs = std::max(error.bram_max_abs, std::abs(estimate.bram18 - s.measured.bram18));
  }
  error.lut_mape *= 100.0 / static_cast<double>(samples.size());
  error.ff_mape *= 100.0 / static_cast<double>(samples.size());
  return error;
}

}  // namespace codse::hw
