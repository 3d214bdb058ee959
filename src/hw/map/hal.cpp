#include "hw/map/hal.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <unordered_set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/random_draws.hpp"
#include "hw/cost/arithmetic_cost.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/templates/template_registry.hpp"
#include "hw/map/nondominated.hpp"
#include "search/candidate_pool.hpp"
#include "search/explorer.hpp"
#include "search/study.hpp"

namespace codse::hw {
namespace {

void check_metric(const std::string& metric, const char* what) {
  const auto& names = estimate_metric_names();
  if (std::find(names.begin(), names.end(), metric) != names.end()) return;
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  throw InputError(fmt::format("{} on unknown metric '{}' (known: {})", what, metric, list));
}

/// Why an estimate breaks a constraint, or empty.
std::string violation(const Metrics& metrics, const std::vector<MetricBound>& constraints) {
  for (const auto& constraint : constraints)
    if (!constraint.holds(metrics.values.at(constraint.metric))) return "violates " + constraint.to_string();
  return {};
}

/// Estimates candidates and keeps the feasible, non-dominated ones (pruned as it goes, so
/// exhaustive runs over hundreds of thousands of mappings stay small in memory).
class FrontCollector {
 public:
  FrontCollector(const Estimator& estimator, const std::vector<Objective>& objectives,
                 const std::vector<MetricBound>& constraints)
      : estimator_(estimator), objectives_(objectives), constraints_(constraints) {}

  /// Estimates the mapping; returns its metrics and sets why_not to the constraint it breaks.
  Metrics add(const Mapping& mapping, std::string& why_not) {
    estimator_.estimate_into(mapping, scratch_);
    ++estimated_;
    Metrics metrics = scratch_.to_metrics();
    why_not = violation(metrics, constraints_);
    if (!why_not.empty()) return metrics;
    mappings_.push_back(mapping);
    for (const auto& objective : objectives_) keys_.push_back(objective.minimised(metrics.values.at(objective.metric)));
    if (mappings_.size() >= 2 * kept_after_prune_ + 4096) prune();
    return metrics;
  }

  /// The non-dominated candidates, one per distinct objective vector, estimated.
  std::vector<FrontPoint> front() {
    prune();
    std::vector<FrontPoint> front;
    for (const auto& mapping : mappings_) front.push_back({mapping, estimator_.estimate(mapping)});
    return front;
  }

  std::size_t estimated() const { return estimated_; }

 private:
  void prune() {
    std::vector<Mapping> mappings;
    std::vector<double> keys;
    const std::size_t dims = objectives_.size();
    for (const auto row : nondominated_rows(keys_, dims)) {
      mappings.push_back(std::move(mappings_[row]));
      keys.insert(keys.end(), keys_.begin() + static_cast<std::ptrdiff_t>(row * dims),
                  keys_.begin() + static_cast<std::ptrdiff_t>((row + 1) * dims));
    }
    mappings_ = std::move(mappings);
    keys_ = std::move(keys);
    kept_after_prune_ = mappings_.size();
  }

  const Estimator& estimator_;
  const std::vector<Objective>& objectives_;
  const std::vector<MetricBound>& constraints_;
  Estimate scratch_;
  std::vector<Mapping> mappings_;
  std::vector<double> keys_;
  std::size_t kept_after_prune_ = 0;
  std::size_t estimated_ = 0;
};

/// The template's seed mappings (FINN's foldings for the folded template) as designs of the
/// space: candidates of the front, and seeds of the explorer's pool.
std::vector<Design> seed_designs(const Estimator& estimator, const MappingSpace& space) {
  const auto& workload = estimator.workload();
  const auto& device = estimator.device();
  SeedOptions seeding;
  seeding.storage = space.layers().empty() ? WeightStorage::bram : space.layers()[0].storages.front();
  seeding.clock_mhz = space.options().clocks_mhz.front();
  std::vector<Design> designs;
  for (Mapping mapping : accelerator_template(space.options().accelerator).seed_mappings(workload, device, seeding)) {
    mapping.offchip_gbps = space.options().offchip_gbps.front();
    mapping.toggle_rate = space.options().toggle_rate;
    // The seeds' products go to DSPs where the tool would put them: as `dsp` in the default
    // space, as `auto` in a space that offers that instead (the RTL-buildable one).
    for (const auto dsp_style : {MultiplierStyle::dsp, MultiplierStyle::automatic}) {
      for (std::size_t i = 0; i < mapping.layers.size(); ++i) {
        const auto& unit = workload.weight_unit(i);
        const bool dsp = multipliers_in_dsp(device, MultiplierStyle::automatic, unit.weight_bits, unit.input_bits,
                                            unit.input_signed);
        mapping.layers[i].multipliers = dsp && !unit.bipolar_weights ? dsp_style : MultiplierStyle::lut;
      }
      try {
        designs.push_back(space.encode(mapping));
        break;
      } catch (const InputError&) {
        // a multiplier style or storage the space does not offer: not a seed in this form
      }
    }
  }
  return designs;
}

/// Uniformly sampled distinct designs (all of them when the space is smaller), plus the seeds.
std::vector<Design> candidate_pool(const MappingSpace& space, std::vector<Design> seeds, std::size_t size,
                                   std::uint64_t seed) {
  std::unordered_set<Design, DesignKeyHash> seen(seeds.begin(), seeds.end());
  std::vector<Design> pool = std::move(seeds);
  std::mt19937_64 rng(seed);
  const auto& knobs = space.space().knobs();
  const double wanted = std::min(static_cast<double>(size), space.size());
  for (std::size_t attempts = 0; static_cast<double>(pool.size()) < wanted && attempts < 20 * size; ++attempts) {
    Design design;
    for (const auto& knob : knobs)
      design.values.push_back(knob.values()[draw::index(rng, knob.size())]);
    if (seen.insert(design).second) pool.push_back(std::move(design));
  }
  std::sort(pool.begin(), pool.end(), [](const Design& a, const Design& b) { return a.values < b.values; });
  pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
  return pool;
}

/// A mapping search's evaluation: the design decoded into a mapping and estimated by the collector,
/// which keeps the front; an infeasible mapping is a failed trial with the reason.
class MappingEvaluation final : public JobEvaluator {
 public:
  MappingEvaluation(const MappingSpace& space, FrontCollector& collector)
      : space_(&space), collector_(&collector), mapping_(space.decode(space.space().decode(0))) {}
  std::vector<Trial> evaluate(const EvaluationJob& job) override {
    Trial trial;
    trial.number = job.number;
    trial.design = job.design;
    space_->decode_into(job.design, mapping_);
    trial.metrics = collector_->add(mapping_, why_not_);
    if (!why_not_.empty()) {
      trial.status = TrialStatus::failed;
      trial.error = why_not_;
    }
    return {std::move(trial)};
  }

 private:
  const MappingSpace* space_;
  FrontCollector* collector_;
  Mapping mapping_;  // reused: decoding into it allocates nothing
  std::string why_not_;
};

std::string explore(const Estimator& estimator, const MappingSpace& space, const std::vector<Objective>& objectives,
                    const MapOptions& options, FrontCollector& collector) {
  Mapping mapping = space.decode(space.space().decode(0));
  std::string why_not;
  if (space.size() <= static_cast<double>(options.exhaustive_limit)) {
    for (const auto& design : space.space().enumerate(options.exhaustive_limit)) {
      space.decode_into(design, mapping);
      collector.add(mapping, why_not);
    }
    return "exhaustive";
  }
  const CandidatePool pool(space.space(), candidate_pool(space, seed_designs(estimator, space),
                                                        options.pool_size, options.seed));
  auto explorer = make_explorer(options.explorer, {&pool, objectives, options.seed});
  MappingEvaluation evaluation(space, collector);
  InlineExecutor executor(evaluation);
  MemoryJournal journal;  // a mapping search is not resumed: it is cheap and deterministic
  if (options.budget > 0) {
    Study study(*explorer, executor, journal, {options.budget, 16});
    study.run();
    if (study.interrupted_by()) throw Interrupted(study.interrupted_by());  // never a partial front
  }
  return "explorer:" + options.explorer;
}

/// The front in the order of one objective (minimised form), ties in their order: each point's
/// key is computed once.
std::vector<FrontPoint> sorted_by(std::vector<FrontPoint> front, const Objective& objective) {
  std::vector<std::pair<double, std::size_t>> keys;
  for (std::size_t i = 0; i < front.size(); ++i)
    keys.emplace_back(objective.minimised(front[i].estimate.to_metrics().values.at(objective.metric)), i);
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<FrontPoint> sorted;
  sorted.reserve(front.size());
  for (const auto& key : keys) sorted.push_back(std::move(front[key.second]));
  return sorted;
}

}  // namespace

std::vector<MetricBound> fit_bounds(const Device& device) {
  std::vector<MetricBound> bounds;
  for (const auto& kind : resource_kinds())
    bounds.push_back(MetricBound{kind.name, static_cast<double>(kind.available(device)), true});
  return bounds;
}

MapResult map_network(const Estimator& estimator, const std::vector<Objective>& objectives,
                      const std::vector<MetricBound>& constraints) {
  const MapOptions defaults;
  return map_network(estimator, objectives, constraints, defaults);
}

MapResult map_network(const Estimator& estimator, const std::vector<Objective>& objectives,
                      const std::vector<MetricBound>& constraints, const MapOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (objectives.empty()) throw InputError("mapping a network needs at least one objective");
  const Device& device = estimator.device();
  for (const auto& objective : objectives) check_metric(objective.metric, "objective");
  for (const auto& constraint : constraints) check_metric(constraint.metric, "constraint");
  std::vector<MetricBound> all_constraints = constraints;
  if (options.must_fit)
    for (const auto& bound : fit_bounds(device)) all_constraints.push_back(bound);

  FrontCollector collector(estimator, objectives, all_constraints);
  MapResult result;
  std::string why_not;
  for (const auto& space_options : options.spaces) {
    const MappingSpace space(estimator.workload(), device, space_options);
    result.space_size += space.size();
    std::optional<std::vector<Mapping>> exact;
    if (options.allow_layerwise)
      exact = layerwise_front(estimator, space, objectives, all_constraints, &result.layerwise, options.layerwise);
    std::string method;
    // FINN's foldings are candidates too: the front then dominates or equals the heuristic at
    // every target even when the layerwise search is approximate or an explorer ran.
    Mapping seed = space.decode(space.space().decode(0));
    if (options.finn_seeds)
      for (const auto& design : seed_designs(estimator, space)) {
        space.decode_into(design, seed);
        collector.add(seed, why_not);
      }
    if (exact) {
      for (const auto& mapping : *exact) collector.add(mapping, why_not);
      method = result.layerwise.epsilon > 0.0 ? fmt::format("layerwise-eps={}", result.layerwise.epsilon) : "layerwise";
    } else {
      method = explore(estimator, space, objectives, options, collector);
    }
    if (result.method.find(method) == std::string::npos)
      result.method += (result.method.empty() ? "" : "+") + method;
  }
  result.front = sorted_by(collector.front(), objectives.front());
  result.estimated = collector.estimated();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace codse::hw
