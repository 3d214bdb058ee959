#include "core/adrs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/pareto_front.hpp"

namespace codse {
namespace {

const std::vector<Sense> min_min{Sense::minimize, Sense::minimize};
const std::vector<AdrsForm> all_forms{AdrsForm::krg, AdrsForm::classic, AdrsForm::range};

Eigen::MatrixXd rows(std::initializer_list<std::initializer_list<double>> values) {
  Eigen::MatrixXd points(static_cast<Eigen::Index>(values.size()),
                         static_cast<Eigen::Index>(values.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& row : values) {
    Eigen::Index j = 0;
    for (const double v : row) points(i, j++) = v;
    ++i;
  }
  return points;
}

// The formulas written out literally, for comparison with the library's shared kernel.
double literal_adrs(AdrsForm form, const Eigen::MatrixXd& gamma_set, const Eigen::MatrixXd& omega_set,
                    const std::vector<Sense>& senses, const Eigen::RowVectorXd& ranges) {
  double total = 0.0;
  for (Eigen::Index g = 0; g < gamma_set.rows(); ++g) {
    double best = std::numeric_limits<double>::infinity();
    for (Eigen::Index o = 0; o < omega_set.rows(); ++o) {
      double distance = 0.0;
      for (Eigen::Index j = 0; j < gamma_set.cols(); ++j) {
        const bool minimised = senses[static_cast<std::size_t>(j)] == Sense::minimize;
        const double gx = gamma_set(g, j);
        const double ox = omega_set(o, j);
        double term = 0.0;
        if (form == AdrsForm::krg) {
          const double gy = minimised ? 1.0 / gx : gx;
          const double oy = minimised ? 1.0 / ox : ox;
          term = (gy - oy) / gy;
        } else if (form == AdrsForm::classic) {
          const double gz = minimised ? gx : 1.0 / gx;
          const double oz = minimised ? ox : 1.0 / ox;
          term = (oz - gz) / gz;
        } else {
          const double difference = minimised ? ox - gx : gx - ox;
          term = ranges[j] > 0.0 ? difference / ranges[j] : 0.0;
        }
        distance = std::max(distance, term);
      }
      best = std::min(best, distance);
    }
    total += best;
  }
  return total / static_cast<double>(gamma_set.rows());
}

TEST(Adrs, FormNames) {
  EXPECT_EQ(to_string(AdrsForm::krg), "krg");
  EXPECT_EQ(to_string(AdrsForm::classic), "classic");
  EXPECT_EQ(to_string(AdrsForm::range), "range");
}

TEST(Adrs, ZeroWhenTheApproximationContainsTheReference) {
  const Eigen::MatrixXd reference = rows({{2, 10}, {4, 5}, {8, 1}});
  const Eigen::MatrixXd more = rows({{9, 9}, {8, 1}, {2, 10}, {5, 6}, {4, 5}});
  const Eigen::RowVector2d ranges(7, 9);
  for (const AdrsForm form : all_forms) {
    EXPECT_EQ(adrs(form, reference, reference, min_min, ranges), 0.0) << to_string(form);
    EXPECT_EQ(adrs(form, reference, more, min_min, ranges), 0.0) << to_string(form);
    // A point at least as good as each reference point also covers it.
    EXPECT_EQ(adrs(form, reference, rows({{1, 1}}), min_min, ranges), 0.0) << to_string(form);
  }
}

TEST(Adrs, EmptyApproximationIsInfinitelyFar) {
  for (const AdrsForm form : all_forms) {
    EXPECT_EQ(adrs(form, rows({{1, 1}}), Eigen::MatrixXd(0, 2), min_min, Eigen::RowVector2d(1, 1)),
              std::numeric_limits<double>::infinity());
  }
}

// Gamma = {(2, 10), (4, 5)}, Omega = {(2.5, 10), (4, 8)}, both objectives minimised.
class AdrsHandCase : public ::testing::Test {
 protected:
  Eigen::MatrixXd gamma = rows({{2, 10}, {4, 5}});
  Eigen::MatrixXd omega = rows({{2.5, 10}, {4, 8}});
};

TEST_F(AdrsHandCase, Krg) {
  // y = 1/x: Gamma = {(0.5, 0.1), (0.25, 0.2)}, Omega = {(0.4, 0.1), (0.25, 0.125)}.
  // gamma 1: omega 1 -> max((0.5-0.4)/0.5, (0.1-0.1)/0.1) = 0.2
  //          omega 2 -> max((0.5-0.25)/0.5, (0.1-0.125)/0.1) = 0.5        -> min 0.2
  // gamma 2: omega 1 -> max((0.25-0.4)/0.25, (0.2-0.1)/0.2) = 0.5
  //          omega 2 -> max((0.25-0.25)/0.25, (0.2-0.125)/0.2) = 0.375    -> min 0.375
  // mean (0.2 + 0.375) / 2 = 0.2875
  EXPECT_NEAR(adrs(AdrsForm::krg, gamma, omega, min_min), 0.2875, 1e-12);
}

TEST_F(AdrsHandCase, Classic) {
  // gamma 1 (2, 10): omega 1 -> max((2.5-2)/2, (10-10)/10) = 0.25
  //                  omega 2 -> max((4-2)/2, (8-10)/10) = 1               -> min 0.25
  // gamma 2 (4, 5):  omega 1 -> max((2.5-4)/4, (10-5)/5) = 1
  //                  omega 2 -> max((4-4)/4, (8-5)/5) = 0.6               -> min 0.6
  // mean (0.25 + 0.6) / 2 = 0.425
  EXPECT_NEAR(adrs(AdrsForm::classic, gamma, omega, min_min), 0.425, 1e-12);
}

TEST_F(AdrsHandCase, Range) {
  // ranges (10, 20):
  // gamma 1 (2, 10): omega 1 -> max(0.5/10, 0/20) = 0.05
  //                  omega 2 -> max(2/10, -2/20) = 0.2                    -> min 0.05
  // gamma 2 (4, 5):  omega 1 -> max(-1.5/10, 5/20) = 0.25
  //                  omega 2 -> max(0/10, 3/20) = 0.15                    -> min 0.15
  // mean (0.05 + 0.15) / 2 = 0.1
  EXPECT_NEAR(adrs(AdrsForm::range, gamma, omega, min_min, Eigen::RowVector2d(10, 20)), 0.1, 1e-12);
  // A zero range silences its objective: only the second one counts.
  // gamma 1: min(0, 0) = 0; gamma 2: min(0.25, 0.15) = 0.15; mean 0.075.
  EXPECT_NEAR(adrs(AdrsForm::range, gamma, omega, min_min, Eigen::RowVector2d(0, 20)), 0.075, 1e-12);
}

TEST(Adrs, MaximisedObjective) {
  // latency (minimised) and throughput (maximised). Gamma = {(2, 8)}, Omega = {(4, 8), (2, 6)}.
  const std::vector<Sense> senses{Sense::minimize, Sense::maximize};
  const Eigen::MatrixXd gamma = rows({{2, 8}});
  const Eigen::MatrixXd omega = rows({{4, 8}, {2, 6}});
  // krg, y = (1/latency, throughput): gamma (0.5, 8), omega 1 (0.25, 8), omega 2 (0.5, 6).
  //   omega 1 -> max((0.5-0.25)/0.5, 0) = 0.5; omega 2 -> max(0, (8-6)/8) = 0.25 -> 0.25
  EXPECT_NEAR(adrs(AdrsForm::krg, gamma, omega, senses), 0.25, 1e-12);
  // classic, z = (latency, 1/throughput): gamma (2, 1/8), omega 1 (4, 1/8), omega 2 (2, 1/6).
  //   omega 1 -> (4-2)/2 = 1; omega 2 -> (1/6 - 1/8)/(1/8) = 1/3 -> 1/3
  EXPECT_NEAR(adrs(AdrsForm::classic, gamma, omega, senses), 1.0 / 3.0, 1e-12);
  // range, ranges (4, 10): omega 1 -> max(2/4, 0) = 0.5; omega 2 -> max(0, (8-6)/10) = 0.2 -> 0.2
  EXPECT_NEAR(adrs(AdrsForm::range, gamma, omega, senses, Eigen::RowVector2d(4, 10)), 0.2, 1e-12);
}

TEST(Adrs, MatchesTheLiteralFormulasAndIgnoresDominatedPoints) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> value(0.5, 20.0);
  std::uniform_int_distribution<int> count(1, 40);
  for (int trial = 0; trial < 60; ++trial) {
    const Eigen::Index m = 2 + trial % 3;
    std::vector<Sense> senses;
    for (Eigen::Index j = 0; j < m; ++j) senses.push_back(j % 2 == 0 ? Sense::minimize : Sense::maximize);
    const auto random_set = [&](Eigen::Index n) {
      Eigen::MatrixXd set(n, m);
      for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < m; ++j) set(i, j) = value(rng);
      return set;
    };
    const Eigen::MatrixXd gamma = random_set(count(rng));
    const Eigen::MatrixXd evaluated = random_set(count(rng));
    Eigen::MatrixXd minimised = evaluated;
    for (Eigen::Index j = 0; j < m; ++j)
      if (senses[static_cast<std::size_t>(j)] == Sense::maximize) minimised.col(j) *= -1.0;
    const Eigen::MatrixXd evaluated_front = select_rows(evaluated, pareto_front(minimised));
    const Eigen::RowVectorXd ranges = Eigen::RowVectorXd::Constant(m, 19.5);
    for (const AdrsForm form : all_forms) {
      const double expected = literal_adrs(form, gamma, evaluated, senses, ranges);
      EXPECT_NEAR(adrs(form, gamma, evaluated, senses, ranges), expected, 1e-12) << to_string(form);
      EXPECT_NEAR(adrs(form, gamma, evaluated_front, senses, ranges), expected, 1e-12)
          << to_string(form);
    }
  }
}

TEST(Adrs, RejectsValuesItCannotUse) {
  const Eigen::MatrixXd ok = rows({{1, 1}});
  const Eigen::RowVector2d ranges(1, 1);
  // krg inverts minimised objectives.
  EXPECT_THROW(adrs(AdrsForm::krg, rows({{0, 1}}), ok, min_min), std::invalid_argument);
  EXPECT_THROW(adrs(AdrsForm::krg, ok, rows({{1, -2}}), min_min), std::invalid_argument);
  // classic divides by the reference and inverts maximised objectives.
  EXPECT_THROW(adrs(AdrsForm::classic, rows({{0, 1}}), ok, min_min), std::invalid_argument);
  EXPECT_THROW(adrs(AdrsForm::classic, ok, rows({{1, 0}}), {Sense::minimize, Sense::maximize}),
               std::invalid_argument);
  // range needs one non-negative range per objective but takes any finite value.
  EXPECT_THROW(adrs(AdrsForm::range, ok, ok, min_min), std::invalid_argument);
  EXPECT_THROW(adrs(AdrsForm::range, ok, ok, min_min, Eigen::RowVector2d(1, -1)), std::invalid_argument);
  EXPECT_NEAR(adrs(AdrsForm::range, rows({{-1, 0}}), rows({{0, 0}}), min_min, ranges), 1.0, 1e-12);
  // Shapes and non-finite values.
  EXPECT_THROW(adrs(AdrsForm::classic, Eigen::MatrixXd(0, 2), ok, min_min), std::invalid_argument);
  EXPECT_THROW(adrs(AdrsForm::classic, rows({{1, 1, 1}}), ok, min_min), std::invalid_argument);
  EXPECT_THROW(adrs(AdrsForm::classic, ok, rows({{1, 1, 1}}), min_min), std::invalid_argument);
  EXPECT_THROW(adrs(AdrsForm::classic, ok, rows({{1, std::nan("")}}), min_min), std::invalid_argument);
}

// The acceptance criterion "ADRS is 0 when every design is evaluated", on a real table.
TEST(Adrs, ZeroWhenEveryDesignOfARealTableIsEvaluated) {
  std::ifstream file(std::string(CODSE_SHARED_DATA_DIR) + "/hls-dse/vivado_dct.csv");
  if (!file) GTEST_SKIP() << "shared data not available";
  std::string line;
  std::getline(file, line);
  std::vector<std::string> header;
  {
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) header.push_back(cell);
  }
  const auto column = [&](const std::string& name) {
    return std::find(header.begin(), header.end(), name) - header.begin();
  };
  const auto obj1 = column("obj1");
  const auto obj2 = column("obj2");
  std::vector<double> values;
  while (std::getline(file, line)) {
    std::stringstream cells(line);
    std::vector<std::string> row;
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(cell);
    values.push_back(std::stod(row[static_cast<std::size_t>(obj1)]));
    values.push_back(std::stod(row[static_cast<std::size_t>(obj2)]));
  }
  const Eigen::MatrixXd table =
      Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, 2, Eigen::RowMajor>>(
          values.data(), static_cast<Eigen::Index>(values.size() / 2), 2);
  ASSERT_GT(table.rows(), 100);
  const Eigen::MatrixXd front = select_rows(table, pareto_front(table));
  const Eigen::RowVectorXd ranges = table.colwise().maxCoeff() - table.colwise().minCoeff();
  for (const AdrsForm form : all_forms) {
    EXPECT_EQ(adrs(form, front, table, min_min, ranges), 0.0) << to_string(form);
    // Half the table (every other row): the shared kernel agrees with the literal formula.
    Eigen::MatrixXd half(table.rows() / 2, 2);
    for (Eigen::Index i = 0; i < half.rows(); ++i) half.row(i) = table.row(2 * i + 1);
    const double partial = adrs(form, front, half, min_min, ranges);
    EXPECT_GE(partial, 0.0) << to_string(form);
    EXPECT_NEAR(partial, literal_adrs(form, front, half, min_min, ranges), 1e-12) << to_string(form);
  }
}

}  // namespace
}  // namespace codse
