#include "core/pareto_front.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace codse {

bool dominates(const Eigen::Ref<const Eigen::RowVectorXd>& a,
               const Eigen::Ref<const Eigen::RowVectorXd>& b) {
  bool strictly_better_somewhere = false;
  for (Eigen::Index j = 0; j < a.size(); ++j) {
    if (a[j] > b[j]) return false;
    if (a[j] < b[j]) strictly_better_somewhere = true;
  }
  return strictly_better_somewhere;
}

namespace {

std::vector<std::size_t> all_indices(Eigen::Index n) {
  std::vector<std::size_t> indices(static_cast<std::size_t>(n));
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  return indices;
}

// dominates() on two rows, read in place: a row of a column-major matrix has a non-unit stride, so
// binding it to Ref<const RowVectorXd> would copy it on every comparison.
bool row_dominates(const Eigen::MatrixXd& points, std::size_t a, std::size_t b) {
  const auto ra = static_cast<Eigen::Index>(a);
  const auto rb = static_cast<Eigen::Index>(b);
  bool strictly_better_somewhere = false;
  for (Eigen::Index j = 0; j < points.cols(); ++j) {
    if (points(ra, j) > points(rb, j)) return false;
    if (points(ra, j) < points(rb, j)) strictly_better_somewhere = true;
  }
  return strictly_better_somewhere;
}

// Lexicographic order on the objective vectors. If a dominates b then a comes strictly before b,
// and identical rows sit next to each other; ties are broken by index so the order is total.
std::vector<std::size_t> lexicographic_order(const Eigen::MatrixXd& points) {
  std::vector<std::size_t> order = all_indices(points.rows());
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    for (Eigen::Index j = 0; j < points.cols(); ++j) {
      const double va = points(static_cast<Eigen::Index>(a), j);
      const double vb = points(static_cast<Eigen::Index>(b), j);
      if (va != vb) return va < vb;
    }
    return a < b;
  });
  return order;
}

// Two objectives: after sorting by (f1, f2), a point is dominated exactly when some point with a
// smaller f1 has an f2 no larger than its own, or a point with the same f1 has a smaller f2.
// Within a run of equal f1 only the rows sharing the run's smallest f2 can survive, and they
// survive together (identical points are all kept) when that f2 beats every earlier run's.
std::vector<std::size_t> pareto_front_2d(const Eigen::MatrixXd& points) {
  const std::vector<std::size_t> order = lexicographic_order(points);
  std::vector<std::size_t> front;
  double best_f2_before = std::numeric_limits<double>::infinity();
  std::size_t run_begin = 0;
  const auto row_of = [&](std::size_t k) { return static_cast<Eigen::Index>(order[k]); };
  while (run_begin < order.size()) {
    const double f1 = points(row_of(run_begin), 0);
    const double run_best_f2 = points(row_of(run_begin), 1);  // sorted, so the run's smallest
    std::size_t run_end = run_begin;
    while (run_end < order.size() && points(row_of(run_end), 0) == f1) ++run_end;
    if (run_best_f2 < best_f2_before) {
      for (std::size_t k = run_begin; k < run_end && points(row_of(k), 1) == run_best_f2; ++k) {
        front.push_back(order[k]);
      }
      best_f2_before = run_best_f2;
    }
    run_begin = run_end;
  }
  std::sort(front.begin(), front.end());
  return front;
}

// Any number of objectives: in lexicographic order a point can only be dominated by points before
// it, and if it is dominated at all then some point of the running front dominates it (dominance is
// transitive and every dropped point was dominated by a kept one). So one pass that compares each
// point with the front kept so far is exact, in O(n |front| m).
std::vector<std::size_t> pareto_front_general(const Eigen::MatrixXd& points) {
  std::vector<std::size_t> front;
  for (const std::size_t candidate : lexicographic_order(points)) {
    const bool dominated = std::any_of(front.begin(), front.end(), [&](std::size_t kept) {
      return row_dominates(points, kept, candidate);
    });
    if (!dominated) front.push_back(candidate);
  }
  std::sort(front.begin(), front.end());
  return front;
}

}  // namespace

std::vector<std::size_t> pareto_front(const Eigen::MatrixXd& points) {
  if (points.rows() == 0) return {};
  if (points.cols() == 0) return all_indices(points.rows());  // nothing to be better at
  if (points.cols() == 2) return pareto_front_2d(points);
  return pareto_front_general(points);
}

std::vector<std::vector<std::size_t>> non_dominated_sort(const Eigen::MatrixXd& points) {
  const auto n = static_cast<std::size_t>(points.rows());
  // dominated_by_me[p]: the points p dominates; domination_count[q]: how many points dominate q.
  std::vector<std::vector<std::size_t>> dominated_by_me(n);
  std::vector<std::size_t> domination_count(n, 0);
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t q = p + 1; q < n; ++q) {
      if (row_dominates(points, p, q)) {
        dominated_by_me[p].push_back(q);
        ++domination_count[q];
      } else if (row_dominates(points, q, p)) {
        dominated_by_me[q].push_back(p);
        ++domination_count[p];
      }
    }
  }

  std::vector<std::vector<std::size_t>> fronts;
  std::vector<std::size_t> current;
  for (std::size_t p = 0; p < n; ++p) {
    if (domination_count[p] == 0) current.push_back(p);
  }
  // Removing a front releases the points only it dominated; they form the next front.
  while (!current.empty()) {
    std::vector<std::size_t> next;
    for (const std::size_t p : current) {
      for (const std::size_t q : dominated_by_me[p]) {
        if (--domination_count[q] == 0) next.push_back(q);
      }
    }
    fronts.push_back(std::move(current));
    std::sort(next.begin(), next.end());
    current = std::move(next);
  }
  return fronts;
}

std::vector<double> crowding_distance(const Eigen::MatrixXd& points,
                                      const std::vector<std::size_t>& front) {
  const std::size_t size = front.size();
  std::vector<double> distance(size, 0.0);
  std::vector<std::size_t> by_value(size);  // positions within front, sorted per objective
  for (Eigen::Index j = 0; j < points.cols(); ++j) {
    const auto value = [&](std::size_t position) {
      return points(static_cast<Eigen::Index>(front[position]), j);
    };
    std::iota(by_value.begin(), by_value.end(), std::size_t{0});
    // Ties broken by position so the result does not depend on the sort implementation.
    std::sort(by_value.begin(), by_value.end(), [&](std::size_t a, std::size_t b) {
      return value(a) != value(b) ? value(a) < value(b) : a < b;
    });
    if (size == 0) continue;
    const double range = value(by_value.back()) - value(by_value.front());
    // All points equal in this objective: none is extreme and none is more crowded than another.
    if (range <= 0.0) continue;
    distance[by_value.front()] = std::numeric_limits<double>::infinity();
    distance[by_value.back()] = std::numeric_limits<double>::infinity();
    for (std::size_t k = 1; k + 1 < size; ++k) {
      distance[by_value[k]] += (value(by_value[k + 1]) - value(by_value[k - 1])) / range;
    }
  }
  return distance;
}

Eigen::MatrixXd select_rows(const Eigen::MatrixXd& points, const std::vector<std::size_t>& indices) {
  Eigen::MatrixXd selected(static_cast<Eigen::Index>(indices.size()), points.cols());
  for (std::size_t k = 0; k < indices.size(); ++k) {
    selected.row(static_cast<Eigen::Index>(k)) = points.row(static_cast<Eigen::Index>(indices[k]));
  }
  return selected;
}

}  // namespace codse
