#include "hw/calibration.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace codse::hw {
namespace {

/// offset, scale minimising sum ((offset + scale x) / y - 1)^2 over samples with y > 0.
std::pair<double, double> relative_least_squares(const std::vector<double>& x, const std::vector<double>& y,
                                                 const char* what) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (y[i] > 0.0) rows.push_back(i);
  Eigen::MatrixXd a(rows.size(), 2);
  Eigen::VectorXd b = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto i = rows[r];
    a(static_cast<Eigen::Index>(r), 0) = 1.0 / y[i];
    a(static_cast<Eigen::Index>(r), 1) = x[i] / y[i];
  }
  const auto qr = a.colPivHouseholderQr();
  if (rows.size() < 2 || qr.rank() < 2)
    throw InputError(fmt::format("calibration: the {} counts of the corpus cannot determine an offset and a scale "
                                 "(need two layers with different analytic counts, have {})",
                                 what, rows.size()));
  const Eigen::VectorXd solution = qr.solve(b);
  return {solution(0), solution(1)};
}

double field(const nlohmann::json& object, const char* name, double fallback, const std::string& where) {
  if (!object.contains(name)) return fallback;
  if (!object.at(name).is_number())
    throw InputError(fmt::format("{}: calibration field '{}': expected a number", where, name));
  const double value = object.at(name).get<double>();
  if (!std::isfinite(value)) throw InputError(fmt::format("{}: calibration field '{}': not finite", where, name));
  return value;
}

}  // namespace

void Calibration::apply(Resources& r) const {
  r.lut = std::max({lut_offset + lut_scale * r.lut, r.lutram, 0.0});
  r.ff = std::max(ff_offset + ff_scale * r.ff, 0.0);
}

nlohmann::json Calibration::to_json() const {
  return {{"lut_offset", lut_offset}, {"lut_scale", lut_scale}, {"ff_offset", ff_offset},
          {"ff_scale", ff_scale},     {"source", source}};
}

Calibration Calibration::from_json(const nlohmann::json& object, const std::string& where) {
  if (!object.is_object()) throw InputError(fmt::format("{}: calibration: expected an object", where));
  Calibration c;
  c.lut_offset = field(object, "lut_offset", 0.0, where);
  c.lut_scale = field(object, "lut_scale", 1.0, where);
  c.ff_offset = field(object, "ff_offset", 0.0, where);
  c.ff_scale = field(object, "ff_scale", 1.0, where);
  if (c.lut_scale <= 0.0 || c.ff_scale <= 0.0)
    throw InputError(fmt::format("{}: calibration: scales must be positive", where));
  if (object.contains("source") && object.at("source").is_string()) c.source = object.at("source").get<std::string>();
  return c;
}

Calibration fit_calibration(const std::vector<CalibrationSample>& samples) {
  std::vector<double> lut_x, lut_y, ff_x, ff_y;
  for (const auto& s : samples) {
    lut_x.push_back(s.analytic.lut);
    lut_y.push_back(s.measured.lut);
    ff_x.push_back(s.analytic.ff);
    ff_y.push_back(s.measured.ff);
  }
  Calibration c;
  std::tie(c.lut_offset, c.lut_scale) = relative_least_squares(lut_x, lut_y, "LUT");
  std::tie(c.ff_offset, c.ff_scale) = relative_least_squares(ff_x, ff_y, "FF");
  return c;
}

CalibrationError calibration_error(const std::vector<CalibrationSample>& samples, const Calibration& calibration) {
  CalibrationError error;
  if (samples.empty()) return error;
  for (const auto& s : samples) {
    Resources estimate = s.analytic;
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
