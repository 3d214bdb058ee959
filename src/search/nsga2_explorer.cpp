#include "search/nsga2_explorer.hpp"

#include "search/explorer_registry.hpp"
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "core/pareto_front.hpp"

namespace codse {
namespace {

constexpr std::size_t not_complete = std::numeric_limits<std::size_t>::max();

/// The feature value of every value of every knob, read off the pool's feature matrix (which is a
/// per-knob function of the value), so children off the pool can be placed in the same space.
/// Values no candidate takes are interpolated linearly between the nearest values that are taken.
std::vector<std::vector<double>> knob_value_features(
    const CandidatePool& pool, const std::vector<std::vector<std::size_t>>& genes) {
  const auto& knobs = pool.space().knobs();
  std::vector<std::vector<double>> features(knobs.size());
  for (std::size_t k = 0; k < knobs.size(); ++k) {
    auto& f = features[k];
    f.assign(knobs[k].size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < pool.size(); ++i)
      f[genes[i][k]] = pool.features()(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k));
    for (std::size_t v = 0; v < f.size(); ++v) {
      if (!std::isnan(f[v])) continue;
      std::size_t lo = v, hi = v;
      while (lo > 0 && std::isnan(f[lo])) --lo;
      while (hi + 1 < f.size() && std::isnan(f[hi])) ++hi;
      const bool has_lo = !std::isnan(f[lo]), has_hi = !std::isnan(f[hi]);
      if (has_lo && has_hi) {
        const double t = static_cast<double>(v - lo) / static_cast<double>(hi - lo);
        f[v] = f[lo] + t * (f[hi] - f[lo]);
      } else {
        f[v] = has_lo ? f[lo] : has_hi ? f[hi] : 0.0;
      }
    }
  }
  return features;
}

}  // namespace

Nsga2Explorer::Nsga2Explorer(const ExplorerSetup& setup, Nsga2Options options)
    : observations_(*setup.pool, setup.objectives),
      options_(options),
      population_size_(std::min(options.population_size, setup.pool->size())),
      rng_(setup.seed),
      complete_row_(setup.pool->size(), not_complete) {
  if (setup.objectives.empty()) throw std::invalid_argument("nsga2 needs at least one objective");
  if (options.population_size < 2)
    throw std::invalid_argument("nsga2 population size must be >= 2");
  const auto& pool = *setup.pool;
  const auto& knobs = pool.space().knobs();
  genes_.reserve(pool.size());
  for (const auto& design : pool.designs()) {
    Genes genes(knobs.size());
    for (std::size_t k = 0; k < knobs.size(); ++k) genes[k] = knobs[k].index_of(design.values[k]);
    genes_.push_back(std::move(genes));
  }
  knob_features_ = knob_value_features(pool, genes_);
}

std::vector<std::size_t> Nsga2Explorer::parents() const {
  std::vector<std::size_t> candidates;
  for (const auto& member : parents_) candidates.push_back(member.candidate);
  return candidates;
}

std::vector<Design> Nsga2Explorer::ask(std::size_t n) {
  std::vector<Design> designs;
  while (designs.size() < n && observations_.open_count() > 0) {
    const auto candidate = next_candidate();
    observations_.mark_pending(candidate);
    children_.push_back(candidate);
    designs.push_back(observations_.pool().design(candidate));
  }
  return designs;
}

void Nsga2Explorer::tell(const Trial& trial) {
  const auto index = observations_.pool().index_of(trial.design);
  const bool asked = index && observations_.is_pending(*index);
  const auto candidate = observations_.record(trial);
  if (!asked) children_.push_back(candidate);  // told without being asked: a warm start
  if (trial.status == TrialStatus::complete)
    complete_row_[candidate] = observations_.complete().size() - 1;
  ++children_told_;
  if (children_.size() >= population_size_ && children_told_ == children_.size())
    close_generation();
}

std::size_t Nsga2Explorer::next_candidate() {
  if (parents_.empty()) return random_open_candidate();
  return nearest_open_candidate(breed());
}

std::size_t Nsga2Explorer::random_open_candidate() {
  auto skip = draw_below(observations_.open_count());
  for (std::size_t i = 0;; ++i)
    if (observations_.is_open(i) && skip-- == 0) return i;
}

Nsga2Explorer::Genes Nsga2Explorer::breed() {
  if (spare_child_) {
    auto child = std::move(*spare_child_);
    spare_child_.reset();
    return child;
  }
  Genes first = genes_[tournament().candidate];
  Genes second = genes_[tournament().candidate];
  if (draw_unit() < options_.crossover_probability) {
    for (std::size_t k = 0; k < first.size(); ++k)
      if (draw_unit() < 0.5) std::swap(first[k], second[k]);
  }
  mutate(first);
  mutate(second);
  spare_child_ = std::move(second);
  return first;
}

const Nsga2Explorer::Member& Nsga2Explorer::tournament() {
  const auto& a = parents_[draw_below(parents_.size())];
  const auto& b = parents_[draw_below(parents_.size())];
  if (a.rank != b.rank) return a.rank < b.rank ? a : b;
  return b.crowding > a.crowding ? b : a;
}

void Nsga2Explorer::mutate(Genes& genes) {
  const auto& knobs = observations_.pool().space().knobs();
  const double probability = 1.0 / static_cast<double>(genes.size());
  for (std::size_t k = 0; k < genes.size(); ++k) {
    if (draw_unit() >= probability) continue;
    const auto size = knobs[k].size();
    if (size < 2) continue;
    // A neighbouring value: inward at the ends of the domain, either way inside it.
    if (genes[k] == 0) {
      genes[k] = 1;
    } else if (genes[k] + 1 == size) {
      genes[k] = size - 2;
    } else {
      genes[k] = draw_below(2) == 0 ? genes[k] - 1 : genes[k] + 1;
    }
  }
}

std::size_t Nsga2Explorer::nearest_open_candidate(const Genes& genes) {
  const auto& pool = observations_.pool();
  Design child;
  const auto& knobs = pool.space().knobs();
  for (std::size_t k = 0; k < genes.size(); ++k)
    child.values.push_back(knobs[k].values()[genes[k]]);
  if (const auto exact = pool.index_of(child); exact && observations_.is_open(*exact))
    return *exact;

  // Squared distances to the child, accumulated one knob at a time: a knob's features are one
  // contiguous column of the (column-major) matrix, where a scan row by row strides across all
  // of them. Each row still adds its knobs in order, so the distances and the choice are those
  // of the row-by-row scan.
  const auto& features = pool.features();
  Eigen::ArrayXd distance = Eigen::ArrayXd::Zero(features.rows());
  for (std::size_t k = 0; k < genes.size(); ++k)
    distance += (features.col(static_cast<Eigen::Index>(k)).array() - knob_features_[k][genes[k]]).square();
  constexpr double tie = 1e-12;
  double best = std::numeric_limits<double>::infinity();
  std::vector<std::size_t> nearest;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    if (!observations_.is_open(i)) continue;
    const double d = distance[static_cast<Eigen::Index>(i)];
    if (d < best - tie) {
      best = d;
      nearest.assign(1, i);
    } else if (d <= best + tie) {
      nearest.push_back(i);
    }
  }
  return nearest[draw_below(nearest.size())];
}

std::vector<Nsga2Explorer::Member> Nsga2Explorer::ranked(
    const std::vector<std::size_t>& candidates) const {
  std::vector<std::size_t> complete;
  std::vector<Member> members;
  for (auto c : candidates) {
    if (complete_row_[c] != not_complete) complete.push_back(c);
  }
  Eigen::MatrixXd values(static_cast<Eigen::Index>(complete.size()),
                         static_cast<Eigen::Index>(observations_.objective_count()));
  for (std::size_t r = 0; r < complete.size(); ++r) {
    const auto& y = observations_.value(complete_row_[complete[r]]);
    for (std::size_t j = 0; j < y.size(); ++j)
      values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = y[j];
  }
  const auto fronts = non_dominated_sort(values);
  for (std::size_t rank = 0; rank < fronts.size(); ++rank) {
    const auto crowding = crowding_distance(values, fronts[rank]);
    for (std::size_t p = 0; p < fronts[rank].size(); ++p)
      members.push_back({complete[fronts[rank][p]], rank, crowding[p]});
  }
  for (auto c : candidates) {
    if (complete_row_[c] == not_complete) members.push_back({c, fronts.size(), 0.0});
  }
  return members;
}

void Nsga2Explorer::close_generation() {
  std::vector<std::size_t> merged = parents();
  merged.insert(merged.end(), children_.begin(), children_.end());
  auto members = ranked(merged);
  // Crowded-comparison order: whole fronts first, the last admitted front cut by crowding.
  std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.crowding > b.crowding;
  });
  members.resize(std::min(members.size(), population_size_));
  parents_ = std::move(members);
  children_.clear();
  children_told_ = 0;
  spare_child_.reset();
  ++generation_;
}

ExplorerEntry nsga2_explorer_entry() {
  using O = Nsga2Options;
  return typed_explorer_entry<Nsga2Explorer, O>(
      "nsga2", "NSGA-II genetic algorithm, children snapped to the pool (Deb et al., IEEE TEC 2002)",
      {bound_option<O>("population_size", &O::population_size, OptionRange::at_least(2),
                       "parents per generation (capped at the pool size)"),
       bound_option<O>("crossover_probability", &O::crossover_probability, OptionRange::closed(0, 1),
                       "probability that a pair of parents is crossed over")});
}

}  // namespace codse
