#include "learn/regression_tree.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace codse {

namespace {

/// Weight and centred target sum of the node's rows that fall in one bin of a feature.
struct BinStats {
  std::uint32_t bin;
  double weight;
  double sum;
};

struct Split {
  double gain = 0.0;
  std::int32_t feature = -1;
  std::uint32_t last_left_bin = 0;
  double threshold = 0.0;
};

struct Task {
  std::uint32_t node;
  std::uint32_t begin;
  std::uint32_t end;
  std::size_t depth;
};

/// Buffers reused by every tree a thread fits, so that fitting allocates only the nodes.
struct Scratch {
  std::vector<std::uint32_t> rows;  ///< rows in the sample, partitioned node by node
  std::vector<double> bin_weight;
  std::vector<double> bin_sum;
  std::vector<BinStats> stats;
  std::vector<std::size_t> feature_order;
  std::vector<Task> stack;
};

thread_local Scratch scratch;

}  // namespace

/// Grows one tree depth-first with an explicit stack (no recursion limit on deep trees).
class TreeBuilder {
 public:
  TreeBuilder(const BinnedFeatures& x, std::span<const double> y,
              std::span<const std::uint32_t> counts, const TreeOptions& options, ForestRng& rng,
              RegressionTree& tree)
      : x_(x), y_(y), counts_(counts), options_(options), rng_(rng), tree_(tree) {}

  void build() {
    Scratch& s = scratch;
    s.rows.clear();
    for (std::size_t r = 0; r < x_.rows(); ++r)
      if (counts_[r] > 0) s.rows.push_back(static_cast<std::uint32_t>(r));
    if (s.rows.empty()) throw std::invalid_argument("RegressionTree::fit: no row has a count");
    s.bin_weight.assign(x_.max_bin_count(), 0.0);
    s.bin_sum.assign(x_.max_bin_count(), 0.0);
    s.feature_order.resize(x_.features());
    for (std::size_t f = 0; f < x_.features(); ++f) s.feature_order[f] = f;
    tree_.nodes_.assign(1, RegressionTree::Node{});
    tree_.depth_ = 0;
    s.stack.assign(1, Task{0, 0, static_cast<std::uint32_t>(s.rows.size()), 0});
    while (!s.stack.empty()) {
      const Task task = s.stack.back();
      s.stack.pop_back();
      grow(task);
    }
  }

 private:
  void grow(const Task& task) {
    Scratch& s = scratch;
    double weight = 0.0, sum = 0.0;
    double lowest = y_[s.rows[task.begin]], highest = lowest;
    for (std::uint32_t i = task.begin; i < task.end; ++i) {
      const std::uint32_t r = s.rows[i];
      weight += counts_[r];
      sum += counts_[r] * y_[r];
      lowest = std::min(lowest, y_[r]);
      highest = std::max(highest, y_[r]);
    }
    const double mean = sum / weight;
    tree_.depth_ = std::max(tree_.depth_, task.depth);
    const bool depth_reached = options_.max_depth > 0 && task.depth >= options_.max_depth;
    const bool too_small = weight < 2.0 * static_cast<double>(std::max<std::size_t>(options_.min_leaf, 1));
    Split split;
    if (!depth_reached && !too_small && lowest < highest) split = best_split(task, weight, mean);
    if (split.feature < 0) {
      tree_.nodes_[task.node] = RegressionTree::Node{-1, 0, mean};
      return;
    }
    const auto* bins = x_.feature_bins(static_cast<std::size_t>(split.feature));
    const auto middle = std::partition(s.rows.begin() + task.begin, s.rows.begin() + task.end,
                                       [&](std::uint32_t r) { return bins[r] <= split.last_left_bin; });
    const auto mid = static_cast<std::uint32_t>(middle - s.rows.begin());
    const auto left = static_cast<std::uint32_t>(tree_.nodes_.size());
    tree_.nodes_[task.node] = RegressionTree::Node{split.feature, left, split.threshold};
    tree_.nodes_.resize(tree_.nodes_.size() + 2);
    s.stack.push_back(Task{left + 1, mid, task.end, task.depth + 1});
    s.stack.push_back(Task{left, task.begin, mid, task.depth + 1});
  }

  /// Tries features in a random order until max_features non-constant ones were searched.
  Split best_split(const Task& task, double weight, double mean) {
    Scratch& s = scratch;
    const std::size_t d = s.feature_order.size();
    const std::size_t wanted = options_.max_features == 0 ? d : std::min(options_.max_features, d);
    Split best;
    double total_sum = 0.0;  // centred, so close to 0; kept exact for the gain formula
    for (std::uint32_t i = task.begin; i < task.end; ++i)
      total_sum += counts_[s.rows[i]] * (y_[s.rows[i]] - mean);
    std::size_t tried = 0;
    for (std::size_t k = 0; k < d && tried < wanted; ++k) {
      std::swap(s.feature_order[k], s.feature_order[k + rng_.below(d - k)]);
      const std::size_t f = s.feature_order[k];
      collect_bins(task, f, mean);
      if (s.stats.size() < 2) continue;  // constant in this node
      ++tried;
      sweep(f, weight, total_sum, best);
    }
    // Splits that only shuffle rounding noise are not worth a node.
    return best.gain > 1e-12 * weight * (1.0 + mean * mean) ? best : Split{};
  }

  /// Fills scratch.stats with the node's non-empty bins of feature f in ascending order: by a
  /// histogram when the feature has few values, by sorting when the node is much smaller.
  void collect_bins(const Task& task, std::size_t f, double mean) {
    Scratch& s = scratch;
    const std::uint32_t* bins = x_.feature_bins(f);
    const std::size_t node_rows = task.end - task.begin;
    const std::size_t bin_count = x_.bin_count(f);
    s.stats.clear();
    if (node_rows * 4 < bin_count) {
      for (std::uint32_t i = task.begin; i < task.end; ++i) {
        const std::uint32_t r = s.rows[i];
        s.stats.push_back(BinStats{bins[r], double(counts_[r]), counts_[r] * (y_[r] - mean)});
      }
      std::sort(s.stats.begin(), s.stats.end(),
                [](const BinStats& a, const BinStats& b) { return a.bin < b.bin; });
      std::size_t out = 0;
      for (std::size_t i = 1; i < s.stats.size(); ++i) {
        if (s.stats[i].bin == s.stats[out].bin) {
          s.stats[out].weight += s.stats[i].weight;
          s.stats[out].sum += s.stats[i].sum;
        } else {
          s.stats[++out] = s.stats[i];
        }
      }
      s.stats.resize(out + 1);
      return;
    }
    std::fill_n(s.bin_weight.begin(), bin_count, 0.0);
    std::fill_n(s.bin_sum.begin(), bin_count, 0.0);
    for (std::uint32_t i = task.begin; i < task.end; ++i) {
      const std::uint32_t r = s.rows[i];
      s.bin_weight[bins[r]] += counts_[r];
      s.bin_sum[bins[r]] += counts_[r] * (y_[r] - mean);
    }
    for (std::size_t b = 0; b < bin_count; ++b)
      if (s.bin_weight[b] > 0.0)
        s.stats.push_back(BinStats{static_cast<std::uint32_t>(b), s.bin_weight[b], s.bin_sum[b]});
  }

  /// Scans the split points between consecutive non-empty bins of feature f.
  void sweep(std::size_t f, double weight, double sum, Split& best) const {
    const auto& stats = scratch.stats;
    const double min_leaf = static_cast<double>(std::max<std::size_t>(options_.min_leaf, 1));
    const double parent = sum * sum / weight;
    double left_weight = 0.0, left_sum = 0.0;
    for (std::size_t i = 0; i + 1 < stats.size(); ++i) {
      left_weight += stats[i].weight;
      left_sum += stats[i].sum;
      const double right_weight = weight - left_weight;
      if (left_weight < min_leaf) continue;
      if (right_weight < min_leaf) break;
      const double right_sum = sum - left_sum;
      const double gain =
          left_sum * left_sum / left_weight + right_sum * right_sum / right_weight - parent;
      if (gain > best.gain) {
        const double below = x_.values(f)[stats[i].bin];
        const double above = x_.values(f)[stats[i + 1].bin];
        double threshold = below + 0.5 * (above - below);
        if (threshold >= above) threshold = below;  // neighbouring doubles
        best = Split{gain, static_cast<std::int32_t>(f), stats[i].bin, threshold};
      }
    }
  }

  const BinnedFeatures& x_;
  std::span<const double> y_;
  std::span<const std::uint32_t> counts_;
  const TreeOptions& options_;
  ForestRng& rng_;
  RegressionTree& tree_;
};

void RegressionTree::fit(const BinnedFeatures& x, std::span<const double> y,
                         std::span<const std::uint32_t> counts, const TreeOptions& options,
                         ForestRng& rng) {
  if (y.size() != x.rows() || counts.size() != x.rows())
    throw std::invalid_argument("RegressionTree::fit: " + std::to_string(x.rows()) + " rows but " +
                                std::to_string(y.size()) + " targets and " +
                                std::to_string(counts.size()) + " counts");
  if (x.features() == 0) throw std::invalid_argument("RegressionTree::fit: no feature");
  TreeBuilder(x, y, counts, options, rng, *this).build();
}

}  // namespace codse
