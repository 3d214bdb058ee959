#include "core/hypervolume.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace codse {

namespace {

// Internally every point is turned into its distance to the reference (reference - point), so a
// point becomes the box [0, u] and the hypervolume is the volume of the union of these boxes.
// Points are stored row-major in one flat vector, `dims` values per point.
struct Boxes {
  std::size_t dims = 0;
  std::vector<double> corners;

  std::size_t size() const { return dims == 0 ? 0 : corners.size() / dims; }
  const double* corner(std::size_t i) const { return corners.data() + i * dims; }
};

// Sorts the boxes by their last coordinate, largest first (ties keep no particular order).
void sort_by_last_descending(Boxes& boxes) {
  const std::size_t n = boxes.size();
  const std::size_t d = boxes.dims;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return boxes.corner(a)[d - 1] > boxes.corner(b)[d - 1];
  });
  std::vector<double> sorted;
  sorted.reserve(boxes.corners.size());
  for (const std::size_t i : order) {
    sorted.insert(sorted.end(), boxes.corner(i), boxes.corner(i) + d);
  }
  boxes.corners = std::move(sorted);
}

double volume_1d(const Boxes& boxes) {
  double longest = 0.0;
  for (std::size_t i = 0; i < boxes.size(); ++i) longest = std::max(longest, boxes.corner(i)[0]);
  return longest;
}

// Sweep along the first coordinate, widest first: each box adds the strip of its height above
// the tallest box seen so far, across its whole width.
double volume_2d(const Boxes& boxes) {
  std::vector<std::pair<double, double>> corners;
  corners.reserve(boxes.size());
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    corners.emplace_back(boxes.corner(i)[0], boxes.corner(i)[1]);
  }
  std::sort(corners.begin(), corners.end(), [](const auto& a, const auto& b) {
    return a.first > b.first;
  });
  double area = 0.0;
  double tallest = 0.0;
  for (const auto& [width, height] : corners) {
    if (height > tallest) {
      area += width * (height - tallest);
      tallest = height;
    }
  }
  return area;
}

// The union of 2-D boxes [0, x] x [0, y] as a staircase of its non-dominated corners, with its
// area kept up to date on every insertion. Keys (x) ascend, so heights (y) descend; the column
// between the previous corner's x (0 for the first) and a corner's x has that corner's height.
class Staircase {
 public:
  double area() const { return area_; }

  void insert(double x, double y) {
    auto next = steps_.lower_bound(x);
    if (next != steps_.end() && next->second >= y) return;  // covered already
    if (next != steps_.end() && next->first == x) next = erase(next);
    while (next != steps_.begin() && std::prev(next)->second <= y) erase(std::prev(next));
    const double previous_x = next == steps_.begin() ? 0.0 : std::prev(next)->first;
    // The new corner takes over [previous_x, x]; the next corner's column shrinks to [x, its x].
    const double height_below = next == steps_.end() ? 0.0 : next->second;
    area_ += (x - previous_x) * (y - height_below);
    steps_.emplace_hint(next, x, y);
  }

 private:
  using Steps = std::map<double, double>;

  Steps::iterator erase(Steps::iterator step) {
    const double previous_x = step == steps_.begin() ? 0.0 : std::prev(step)->first;
    const double x = step->first;
    const double height_below = std::next(step) == steps_.end() ? 0.0 : std::next(step)->second;
    // The erased column [previous_x, x] falls to the next corner's height.
    area_ -= (x - previous_x) * (step->second - height_below);
    return steps_.erase(step);
  }

  Steps steps_;
  double area_ = 0.0;
};

// Sweep along the last coordinate, deepest first: between two consecutive depths the cross
// section is the staircase of the boxes reaching that deep. O(n log n).
double volume_3d(Boxes boxes) {
  sort_by_last_descending(boxes);
  Staircase cross_section;
  double volume = 0.0;
  const std::size_t n = boxes.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double* corner = boxes.corner(i);
    cross_section.insert(corner[0], corner[1]);
    const double next_depth = i + 1 < n ? boxes.corner(i + 1)[2] : 0.0;
    volume += cross_section.area() * (corner[2] - next_depth);
  }
  return volume;
}

double volume_of(Boxes boxes);

// Whether box a lies inside box b (every coordinate of a no larger), over the first dims ones.
bool inside(const double* a, const double* b, std::size_t dims) {
  for (std::size_t j = 0; j < dims; ++j) {
    if (a[j] > b[j]) return false;
  }
  return true;
}

// HSO (While et al., 2006): slice along the last coordinate, deepest box first. The slab between
// two consecutive depths has as cross-section the (d-1)-dimensional union of the boxes reaching
// that deep. The cross-section's boxes are kept non-dominated as they arrive (a box inside another
// adds nothing), and its volume is only recomputed when it changed and the slab is not empty.
double volume_sliced(Boxes boxes) {
  sort_by_last_descending(boxes);
  const std::size_t d = boxes.dims;
  const std::size_t n = boxes.size();
  Boxes cross_section{d - 1, {}};
  double cross_volume = 0.0;
  bool cross_section_changed = false;
  double volume = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double* corner = boxes.corner(i);
    bool covered = false;
    for (std::size_t k = 0; k < cross_section.size() && !covered; ++k) {
      covered = inside(corner, cross_section.corner(k), d - 1);
    }
    if (!covered) {
      Boxes kept{d - 1, {}};
      kept.corners.reserve(cross_section.corners.size() + d - 1);
      for (std::size_t k = 0; k < cross_section.size(); ++k) {
        const double* other = cross_section.corner(k);
        if (!inside(other, corner, d - 1)) kept.corners.insert(kept.corners.end(), other, other + d - 1);
      }
      kept.corners.insert(kept.corners.end(), corner, corner + d - 1);
      cross_section = std::move(kept);
      cross_section_changed = true;
    }
    const double next_depth = i + 1 < n ? boxes.corner(i + 1)[d - 1] : 0.0;
    const double thickness = corner[d - 1] - next_depth;
    if (thickness > 0.0) {
      if (cross_section_changed) cross_volume = volume_of(cross_section);
      cross_section_changed = false;
      volume += cross_volume * thickness;
    }
  }
  return volume;
}

double volume_of(Boxes boxes) {
  if (boxes.size() == 0) return 0.0;
  switch (boxes.dims) {
    case 1: return volume_1d(boxes);
    case 2: return volume_2d(boxes);
    case 3: return volume_3d(std::move(boxes));
    default: return volume_sliced(std::move(boxes));
  }
}

}  // namespace

double hypervolume(const Eigen::MatrixXd& points, const Eigen::RowVectorXd& reference) {
  if (points.rows() == 0) return 0.0;
  if (points.cols() != reference.size()) {
    throw std::invalid_argument("hypervolume: points have " + std::to_string(points.cols()) +
                                " objectives but the reference point has " +
                                std::to_string(reference.size()));
  }
  if (points.cols() == 0) return 0.0;
  Boxes boxes{static_cast<std::size_t>(points.cols()), {}};
  boxes.corners.reserve(static_cast<std::size_t>(points.size()));
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    // Written as a negated "<" so that NaN coordinates drop the point too.
    bool strictly_better = true;
    for (Eigen::Index j = 0; j < points.cols() && strictly_better; ++j) {
      strictly_better = points(i, j) < reference[j];
    }
    if (!strictly_better) continue;
    for (Eigen::Index j = 0; j < points.cols(); ++j) {
      boxes.corners.push_back(reference[j] - points(i, j));
    }
  }
  return volume_of(std::move(boxes));
}

}  // namespace codse
