#include "hw/map/layerwise_front.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hw/map/cost_state.hpp"
#include "hw/map/nondominated.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::hw {
namespace {

/// A constraint the search can prune with: an upper bound on an increasing metric or a lower
/// bound on fps. A partial state's metric is a bound on every completion's.
struct Bound {
  StateMetric metric;
  MetricBound bound;
  bool holds(const CostState& state, const StateContext& context) const {
    return bound.holds(evaluate(metric, state, context));
  }
};

struct Goal {
  std::vector<StateMetric> objectives;
  std::vector<Sense> senses;
  std::vector<Bound> bounds;
};

std::optional<Goal> make_goal(const std::vector<Objective>& objectives, const std::vector<MetricBound>& constraints) {
  Goal goal;
  for (const auto& objective : objectives) {
    const auto metric = state_metric(objective.metric);
    if (!metric) return std::nullopt;
    goal.objectives.push_back(*metric);
    goal.senses.push_back(objective.sense);
  }
  for (const auto& constraint : constraints) {
    const auto metric = state_metric(constraint.metric);
    if (!metric || constraint.upper == metric->decreasing) return std::nullopt;
    goal.bounds.push_back({*metric, constraint});
  }
  return goal;
}

/// The choices of one layer that survive: their states and their index in LayerChoices.
struct LayerOptions {
  std::vector<CostState> states;
  std::vector<std::uint32_t> choice;
};

/// Partial states after some layers, with the way back to the choices that made them.
struct Stage {
  std::vector<CostState> states;
  std::vector<std::uint32_t> parent;  // index into the previous stage
  std::vector<std::uint32_t> option;  // index into that layer's LayerOptions
};

std::vector<std::size_t> quantities(QuantityMask mask) {
  std::vector<std::size_t> list;
  for (std::size_t q = 0; q < quantity_count; ++q)
    if (mask & (QuantityMask{1} << q)) list.push_back(q);
  return list;
}

/// Thrown inside a search that exceeds its limits; the caller retries with a coarser epsilon.
struct LimitsExceeded {};

/// Dominance keys of a state: the quantities themselves, or their epsilon-grid cells.
void append_keys(const CostState& state, const std::vector<std::size_t>& dims, double epsilon,
                 std::vector<double>& keys) {
  if (epsilon <= 0.0) {
    for (const auto q : dims) keys.push_back(state[q]);
    return;
  }
  const double cell = std::log1p(epsilon);
  for (const auto q : dims) keys.push_back(std::floor(std::log1p(state[q]) / cell));
}

class LayerwiseSearch {
 public:
  LayerwiseSearch(const Estimator& estimator, const MappingSpace& space, const Goal& goal, LayerwiseStats& stats,
                  const LayerwiseLimits& limits, double epsilon)
      : estimator_(estimator), space_(space), goal_(goal), stats_(stats), limits_(limits), epsilon_(epsilon) {}

  /// The front's mappings for one choice of the global knobs.
  std::vector<Mapping> run(double clock_mhz, double offchip_gbps) {
    const auto& options = space_.options();
    context_ = make_state_context(estimator_.device(), clock_mhz, offchip_gbps, options.toggle_rate);
    fixed_ = fixed_state();
    if (!all_hold(fixed_, goal_.bounds)) return {};
    cost_layers(offchip_gbps > 0.0);
    for (const auto& layer : layers_)
      if (layer.states.empty()) return {};
    choose_dominance_dims();
    for (auto& layer : layers_) prune_layer(layer);
    std::vector<Stage> stages;
    Stage first;
    first.states = {fixed_};
    first.parent = first.option = {0};
    stages.push_back(std::move(first));
    for (std::size_t k = 0; k < layers_.size(); ++k) stages.push_back(extend(stages.back(), layers_[k]));
    return final_front(stages, clock_mhz, offchip_gbps);
  }

 private:
  const AcceleratorTemplate& accelerator() const { return accelerator_template(space_.options().accelerator); }

  CostState fixed_state() const {
    CostState state{};
    const auto& units = estimator_.workload().units();
    for (std::size_t u = 0; u < units.size(); ++u)
      if (units[u].kind != UnitKind::matrix_vector)
        combine(state, unit_state(estimator_.fixed_cost(u, accelerator()), context_));
    return state;
  }

  bool all_hold(const CostState& state, const std::vector<Bound>& bounds) const {
    for (const auto& bound : bounds)
      if (!bound.holds(state, context_)) return false;
    return true;
  }

  /// Costs every choice of every layer; a choice that breaks a constraint on its own (with the
  /// units without knobs) is dropped.
  void cost_layers(bool has_bandwidth) {
    const AcceleratorTemplate& plugin = accelerator();
    layers_.assign(space_.layers().size(), {});
    for (std::size_t k = 0; k < space_.layers().size(); ++k) {
      const auto& choices = space_.layers()[k];
      LayerMapping mapping;
      for (std::size_t c = 0; c < choices.size(); ++c) {
        choices.write(c, mapping);
        if (mapping.storage == WeightStorage::offchip && !has_bandwidth) continue;
        const CostState state = unit_state(estimator_.layer_cost(k, mapping, plugin), context_);
        ++stats_.layer_options;
        CostState with_fixed = fixed_;
        combine(with_fixed, state);
        if (!all_hold(with_fixed, goal_.bounds)) continue;
        layers_[k].states.push_back(state);
        layers_[k].choice.push_back(static_cast<std::uint32_t>(c));
      }
    }
  }

  /// Dominance needs the quantities of the objectives and of the constraints that can bind:
  /// a constraint the worst combination of choices satisfies never prunes anything. Quantities
  /// every complete mapping has the same value of do not discriminate either.
  void choose_dominance_dims() {
    CostState worst = fixed_;
    QuantityMask varying = 0;
    for (const auto& layer : layers_) {
      CostState layer_max{}, layer_min = layer.states.front();
      for (const auto& state : layer.states)
        for (std::size_t q = 0; q < quantity_count; ++q) {
          layer_max[q] = std::max(layer_max[q], state[q]);
          layer_min[q] = std::min(layer_min[q], state[q]);
        }
      combine(worst, layer_max);
      for (std::size_t q = 0; q < quantity_count; ++q)
        if (layer_max[q] != layer_min[q]) varying |= QuantityMask{1} << q;
    }
    QuantityMask needed = 0;
    for (const auto& metric : goal_.objectives) needed |= metric.depends_on;
    binding_.clear();
    for (const auto& bound : goal_.bounds)
      if (!bound.holds(worst, context_) && !implied_by_lut_cap(bound)) {
        binding_.push_back(bound);
        needed |= bound.metric.depends_on;
      }
    dims_ = quantities(needed & varying);
    stats_.dominance_dims = std::max(stats_.dominance_dims, dims_.size());
  }

  /// The LUT cap bounds every other resource r a unit uses in proportion to its LUTs: with
  /// alpha = the largest r / lut of any choice, a mapping within the LUT cap uses at most
  /// r_fixed + alpha (lut_cap - lut_fixed) of r. When that satisfies r's bound, the bound never
  /// binds and need not be a dominance quantity (flip-flops, usually).
  bool implied_by_lut_cap(const Bound& bound) const {
    const auto lut = static_cast<std::size_t>(Quantity::lut);
    double lut_cap = std::numeric_limits<double>::infinity();
    for (const auto& other : goal_.bounds)
      if (other.bound.upper && other.metric.depends_on == bit(Quantity::lut)) {
        CostState probe{};
        probe[lut] = 1.0;  // the metric is lut or lut_util: linear in the LUTs
        lut_cap = std::min(lut_cap, other.bound.bound / evaluate(other.metric, probe, context_));
      }
    const auto& depends = bound.metric.depends_on;
    if (!std::isfinite(lut_cap) || !bound.bound.upper || depends == bit(Quantity::lut) ||
        (depends & (depends - 1)) != 0 || depends > bit(Quantity::lutram))
      return false;
    std::size_t q = 0;
    while (!(depends & (QuantityMask{1} << q))) ++q;
    double alpha = 0.0;
    for (const auto& layer : layers_)
      for (const auto& state : layer.states) {
        if (state[lut] <= 0.0) return false;
        alpha = std::max(alpha, state[q] / state[lut]);
      }
    CostState most{};
    most[q] = fixed_[q] + alpha * std::max(0.0, lut_cap - fixed_[lut]);
    return bound.holds(most, context_);
  }

  void prune_layer(LayerOptions& layer) const {
    if (dims_.empty()) {
      layer.states.resize(1);
      layer.choice.resize(1);
      return;
    }
    std::vector<double> keys;
    for (const auto& state : layer.states) append_keys(state, dims_, epsilon_, keys);
    LayerOptions kept;
    for (const auto row : nondominated_rows(keys, dims_.size())) {
      kept.states.push_back(layer.states[row]);
      kept.choice.push_back(layer.choice[row]);
    }
    layer = std::move(kept);
  }

  /// Every state of `stage` extended by every option of `layer`, filtered in chunks so memory
  /// stays bounded: each chunk is merged with the front kept so far.
  Stage extend(const Stage& stage, const LayerOptions& layer) {
    constexpr std::size_t chunk_rows = std::size_t{1} << 20;
    if (stage.states.size() * layer.states.size() > limits_.max_pairs) throw LimitsExceeded{};
    Stage kept, chunk;
    const auto flush = [&] {
      if (chunk.states.empty()) return;
      Stage pool = std::move(kept);
      pool.states.insert(pool.states.end(), chunk.states.begin(), chunk.states.end());
      pool.parent.insert(pool.parent.end(), chunk.parent.begin(), chunk.parent.end());
      pool.option.insert(pool.option.end(), chunk.option.begin(), chunk.option.end());
      kept = select(pool);
      chunk = {};
    };
    for (std::size_t s = 0; s < stage.states.size(); ++s)
      for (std::size_t o = 0; o < layer.states.size(); ++o) {
        CostState state = stage.states[s];
        combine(state, layer.states[o]);
        ++stats_.partial_states;
        if (!all_hold(state, binding_)) continue;
        chunk.states.push_back(state);
        chunk.parent.push_back(static_cast<std::uint32_t>(s));
        chunk.option.push_back(static_cast<std::uint32_t>(o));
        if (chunk.states.size() >= chunk_rows) flush();
      }
    flush();
    stats_.largest_front = std::max(stats_.largest_front, kept.states.size());
    if (kept.states.size() > limits_.max_front) throw LimitsExceeded{};
    return kept;
  }

  Stage select(const Stage& pool) const {
    if (dims_.empty()) return pool.states.empty() ? Stage{} : Stage{{pool.states[0]}, {pool.parent[0]}, {pool.option[0]}};
    std::vector<double> keys;
    keys.reserve(pool.states.size() * dims_.size());
    for (const auto& state : pool.states) append_keys(state, dims_, epsilon_, keys);
    Stage kept;
    const auto rows = nondominated_rows(keys, dims_.size(), limits_.max_front);
    if (rows.size() > limits_.max_front) throw LimitsExceeded{};
    for (const auto row : rows) {
      kept.states.push_back(pool.states[row]);
      kept.parent.push_back(pool.parent[row]);
      kept.option.push_back(pool.option[row]);
    }
    return kept;
  }

  /// The complete states that satisfy every constraint, filtered on the objectives, turned back
  /// into mappings.
  std::vector<Mapping> final_front(const std::vector<Stage>& stages, double clock_mhz, double offchip_gbps) const {
    const Stage& last = stages.back();
    std::vector<double> keys;
    std::vector<std::size_t> feasible;
    for (std::size_t s = 0; s < last.states.size(); ++s) {
      if (!all_hold(last.states[s], goal_.bounds)) continue;
      feasible.push_back(s);
      for (std::size_t i = 0; i < goal_.objectives.size(); ++i) {
        const double value = evaluate(goal_.objectives[i], last.states[s], context_);
        keys.push_back(goal_.senses[i] == Sense::minimize ? value : -value);
      }
    }
    std::vector<Mapping> front;
    if (feasible.empty()) return front;
    const auto rows = goal_.objectives.empty() ? std::vector<std::uint32_t>{0}
                                               : nondominated_rows(keys, goal_.objectives.size());
    for (const auto row : rows) {
      Mapping mapping;
      mapping.accelerator = space_.options().accelerator;
      mapping.clock_mhz = clock_mhz;
      mapping.offchip_gbps = offchip_gbps;
      mapping.toggle_rate = space_.options().toggle_rate;
      mapping.layers.resize(layers_.size());
      std::size_t index = feasible[row];
      for (std::size_t k = layers_.size(); k-- > 0;) {
        const Stage& stage = stages[k + 1];
        auto& layer = mapping.layers[k];
        layer.layer = estimator_.workload().weight_unit(k).name;
        space_.layers()[k].write(layers_[k].choice[stage.option[index]], layer);
        index = stage.parent[index];
      }
      front.push_back(std::move(mapping));
    }
    return front;
  }

  const Estimator& estimator_;
  const MappingSpace& space_;
  const Goal& goal_;
  LayerwiseStats& stats_;
  const LayerwiseLimits& limits_;
  double epsilon_;
  StateContext context_;
  CostState fixed_{};
  std::vector<LayerOptions> layers_;
  std::vector<Bound> binding_;
  std::vector<std::size_t> dims_;
};

}  // namespace

std::optional<std::vector<Mapping>> layerwise_front(const Estimator& estimator, const MappingSpace& space,
                                                    const std::vector<Objective>& objectives,
                                                    const std::vector<MetricBound>& constraints,
                                                    LayerwiseStats* stats, const LayerwiseLimits& limits) {
  if (estimator.workload().has_skip_connections()) return std::nullopt;
  const auto goal = make_goal(objectives, constraints);
  if (!goal) return std::nullopt;
  LayerwiseStats local;
  LayerwiseStats& counters = stats ? *stats : local;
  std::vector<double> epsilons{0.0};
  epsilons.insert(epsilons.end(), limits.epsilons.begin(), limits.epsilons.end());
  for (const double epsilon : epsilons) {
    try {
      std::vector<Mapping> front;
      for (const double clock : space.options().clocks_mhz)
        for (const double gbps : space.options().offchip_gbps) {
          LayerwiseSearch search(estimator, space, *goal, counters, limits, epsilon);
          auto part = search.run(clock, gbps);
          front.insert(front.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
        }
      counters.epsilon = epsilon;
      return front;
    } catch (const LimitsExceeded&) {
      // too much work at this resolution: coarsen
    }
  }
  return std::nullopt;
}

}  // namespace codse::hw
