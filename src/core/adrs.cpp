#include "core/adrs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace codse {

std::string_view to_string(AdrsForm form) {
  switch (form) {
    case AdrsForm::krg: return "krg";
    case AdrsForm::classic: return "classic";
    case AdrsForm::range: return "range";
  }
  return "unknown";
}

namespace {

// All three forms share one kernel once the points are rewritten: every form is
//   mean over gamma of min over omega of max_j max(0, (v(omega)_j - v(gamma)_j) * w(gamma)_j)
// with v a "smaller is better" value and w a non-negative scale:
//   krg:     v = -y, w = 1/y(gamma), where y = 1/x (minimised) or x (maximised); since
//            (gamma_y - omega_y)/gamma_y = (v(omega) - v(gamma)) * w(gamma)
//   classic: v = x (minimised) or 1/x (maximised), w = 1/v(gamma)
//   range:   v = x (minimised) or -x (maximised), w = 1/range (0 when the range is 0)
// The rewritten points are row-major so the inner loop walks contiguous memory.
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

[[noreturn]] void fail(AdrsForm form, const std::string& what) {
  throw std::invalid_argument("adrs (" + std::string(to_string(form)) + "): " + what);
}

double rewritten(AdrsForm form, Sense sense, double x, const char* set, Eigen::Index row) {
  if (!std::isfinite(x)) fail(form, std::string(set) + " row " + std::to_string(row) + " is not finite");
  const bool reciprocal = (form == AdrsForm::krg && sense == Sense::minimize) ||
                          (form == AdrsForm::classic && sense == Sense::maximize);
  if (reciprocal && x <= 0.0) {
    fail(form, std::string(set) + " row " + std::to_string(row) +
                   " has a non-positive value in an objective this form inverts (1/x)");
  }
  switch (form) {
    case AdrsForm::krg: return sense == Sense::minimize ? -1.0 / x : -x;
    case AdrsForm::classic: return sense == Sense::minimize ? x : 1.0 / x;
    case AdrsForm::range: return sense == Sense::minimize ? x : -x;
  }
  return x;
}

RowMajor rewrite(AdrsForm form, const Eigen::MatrixXd& points, const std::vector<Sense>& senses,
                 const char* set) {
  RowMajor values(points.rows(), points.cols());
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    for (Eigen::Index j = 0; j < points.cols(); ++j) {
      values(i, j) = rewritten(form, senses[static_cast<std::size_t>(j)], points(i, j), set, i);
    }
  }
  return values;
}

// The scale of each reference point's differences (see the kernel comment above).
RowMajor reference_scales(AdrsForm form, const RowMajor& reference,
                          const Eigen::RowVectorXd& ranges) {
  RowMajor scales(reference.rows(), reference.cols());
  for (Eigen::Index i = 0; i < reference.rows(); ++i) {
    for (Eigen::Index j = 0; j < reference.cols(); ++j) {
      if (form == AdrsForm::range) {
        scales(i, j) = ranges[j] > 0.0 ? 1.0 / ranges[j] : 0.0;
        continue;
      }
      // krg divides by y = -v, classic by v; both must be positive to be a relative difference.
      const double denominator = form == AdrsForm::krg ? -reference(i, j) : reference(i, j);
      if (!(denominator > 0.0)) {
        fail(form, "reference row " + std::to_string(i) +
                       " has a non-positive value in objective " + std::to_string(j) +
                       ", which this form divides by");
      }
      scales(i, j) = 1.0 / denominator;
    }
  }
  return scales;
}

void check_shapes(AdrsForm form, const Eigen::MatrixXd& reference,
                  const Eigen::MatrixXd& approximation, const std::vector<Sense>& senses,
                  const Eigen::RowVectorXd& ranges) {
  const auto m = static_cast<Eigen::Index>(senses.size());
  if (reference.rows() == 0) fail(form, "the reference set is empty");
  if (reference.cols() != m) {
    fail(form, "the reference set has " + std::to_string(reference.cols()) + " columns but " +
                   std::to_string(m) + " senses are given");
  }
  if (approximation.rows() > 0 && approximation.cols() != m) {
    fail(form, "the approximation has " + std::to_string(approximation.cols()) +
                   " columns but " + std::to_string(m) + " senses are given");
  }
  if (form == AdrsForm::range) {
    if (ranges.size() != m) {
      fail(form, "needs one range per objective, got " + std::to_string(ranges.size()));
    }
    for (Eigen::Index j = 0; j < m; ++j) {
      if (!(ranges[j] >= 0.0) || !std::isfinite(ranges[j])) {
        fail(form, "range of objective " + std::to_string(j) + " is negative or not finite");
      }
    }
  }
}

// For each reference point the smallest worst-objective shortfall of any approximation point;
// returns their mean. The objective loop has no early exit: with a handful of objectives a
// branch-free max beat stopping once an omega cannot win (78 vs 90-115 us for 80 x 700 points,
// 2 objectives). The omega loop does stop once some omega covers gamma (shortfall 0).
double mean_shortfall(const RowMajor& reference, const RowMajor& scales,
                      const RowMajor& approximation) {
  const Eigen::Index m = reference.cols();
  double total = 0.0;
  for (Eigen::Index g = 0; g < reference.rows(); ++g) {
    const double* gamma = reference.row(g).data();
    const double* scale = scales.row(g).data();
    double best = std::numeric_limits<double>::infinity();
    for (Eigen::Index o = 0; o < approximation.rows() && best > 0.0; ++o) {
      const double* omega = approximation.row(o).data();
      double worst = 0.0;
      for (Eigen::Index j = 0; j < m; ++j) {
        worst = std::max(worst, (omega[j] - gamma[j]) * scale[j]);
      }
      best = std::min(best, worst);
    }
    total += best;
  }
  return total / static_cast<double>(reference.rows());
}

}  // namespace

double adrs(AdrsForm form, const Eigen::MatrixXd& reference, const Eigen::MatrixXd& approximation,
            const std::vector<Sense>& senses, const Eigen::RowVectorXd& ranges) {
  check_shapes(form, reference, approximation, senses, ranges);
  const RowMajor gamma = rewrite(form, reference, senses, "reference");
  const RowMajor scales = reference_scales(form, gamma, ranges);
  if (approximation.rows() == 0) return std::numeric_limits<double>::infinity();
  const RowMajor omega = rewrite(form, approximation, senses, "approximation");
  return mean_shortfall(gamma, scales, omega);
}

}  // namespace codse
