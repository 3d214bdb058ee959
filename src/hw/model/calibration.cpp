#include "hw/model/calibration.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

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

double field(const nlohmann::json& object, const char* name, double fallback, const std::string& where) {
  if (!object.contains(name)) return fallback;
  if (!object.at(name).is_number())
    throw InputError(fmt::format("{}: calibration field '{}': expected a number", where, name));
  const double value = object.at(name).get<double>();
  if (!std::isfinite(value)) throw InputError(fmt::format("{}: calibration field '{}': not finite", where, name));
  return value;
}

/// Reads {"term": coefficient, ...} into coefficients named by to_string(Term).
template <typename Term, std::size_t N>
void read_terms(const nlohmann::json& object, const char* name, std::array<double, N>& coefficients,
                const std::string& where) {
  const auto& terms = object.at(name);
  if (!terms.is_object()) throw InputError(fmt::format("{}: calibration field '{}': expected an object", where, name));
  for (const auto& [key, value] : terms.items()) {
    std::size_t index = N;
    for (std::size_t i = 0; i < N; ++i)
      if (to_string(static_cast<Term>(i)) == key) index = i;
    if (index == N) throw InputError(fmt::format("{}: calibration field '{}': unknown term '{}'", where, name, key));
    const nlohmann::json& number = value;
    const double coefficient = number.is_number() ? number.get<double>() : -1.0;
    if (!std::isfinite(coefficient) || coefficient < 0.0)
      throw InputError(
          fmt::format("{}: calibration field '{}.{}': expected a non-negative number", where, name, key));
    coefficients[index] = coefficient;
  }
}

template <typename Term, std::size_t N>
nlohmann::json write_terms(const std::array<double, N>& coefficients) {
  nlohmann::json object = nlohmann::json::object();
  for (std::size_t i = 0; i < N; ++i) object[std::string(to_string(static_cast<Term>(i)))] = coefficients[i];
  return object;
}

template <std::size_t N>
double dot(const std::array<double, N>& a, const std::array<double, N>& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < N; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace

void Calibration::apply(Resources& r) const {
  if (by_terms) return;
  r.lut = std::max({lut_offset + lut_scale * r.lut, r.lutram, 0.0});
  r.ff = std::max(ff_offset + ff_scale * r.ff, 0.0);
}

void Calibration::apply_terms(const FoldedTerms& terms, Resources& r) const {
  r.lut = std::max(dot(lut_terms, terms.lut), r.lutram);
  r.ff = dot(ff_terms, terms.ff);
  r.bram18 += terms.buffer_bram18;
}

nlohmann::json Calibration::to_json() const {
  if (by_terms)
    return {{"lut_terms", write_terms<LutTerm>(lut_terms)}, {"ff_terms", write_terms<FfTerm>(ff_terms)}, {"source", source}};
  return {{"lut_offset", lut_offset}, {"lut_scale", lut_scale}, {"ff_offset", ff_offset},
          {"ff_scale", ff_scale},     {"source", source}};
}

Calibration Calibration::from_json(const nlohmann::json& object, const std::string& where) {
  if (!object.is_object()) throw InputError(fmt::format("{}: calibration: expected an object", where));
  Calibration c;
  if (object.contains("lut_terms") || object.contains("ff_terms")) {
    if (!object.contains("lut_terms") || !object.contains("ff_terms"))
      throw InputError(fmt::format("{}: calibration: lut_terms and ff_terms go together", where));
    c.by_terms = true;
    read_terms<LutTerm>(object, "lut_terms", c.lut_terms, where);
    read_terms<FfTerm>(object, "ff_terms", c.ff_terms, where);
  } else {
    c.lut_offset = field(object, "lut_offset", 0.0, where);
    c.lut_scale = field(object, "lut_scale", 1.0, where);
    c.ff_offset = field(object, "ff_offset", 0.0, where);
    c.ff_scale = field(object, "ff_scale", 1.0, where);
    if (c.lut_scale <= 0.0 || c.ff_scale <= 0.0)
      throw InputError(fmt::format("{}: calibration: scales must be positive", where));
  }
  if (object.contains("source") && object.at("source").is_string()) c.source = object.at("source").get<std::string>();
  return c;
}

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
      calibration.apply_terms(s.terms, estimate);
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
