#include "explore/mapping_synthesis.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "search/study.hpp"
#include "explore/config_fields.hpp"
#include "search/candidate_pool.hpp"
#include "search/explorer_registry.hpp"
#include "hw/synth/synth_network.hpp"
#include "hw/verify/verilator_harness.hpp"

namespace codse::explore {
namespace {

/// The front as a candidate pool: one knob per objective metric, valued by the analytic estimate.
/// Points with equal values in every knob are kept once (the first).
struct FrontPool {
  std::unique_ptr<CandidatePool> pool;
  std::vector<std::size_t> front_index;  // pool row -> front index
};

FrontPool front_pool(const std::vector<hw::FrontPoint>& front, const std::vector<Objective>& objectives) {
  std::vector<std::vector<double>> rows;
  FrontPool out;
  for (std::size_t i = 0; i < front.size(); ++i) {
    const auto metrics = front[i].estimate.to_metrics().values;
    std::vector<double> row;
    for (const auto& o : objectives) row.push_back(metrics.at(o.metric));
    if (std::find(rows.begin(), rows.end(), row) != rows.end()) continue;
    rows.push_back(std::move(row));
    out.front_index.push_back(i);
  }
  std::vector<Knob> knobs;
  for (std::size_t c = 0; c < objectives.size(); ++c) {
    std::vector<double> values;
    for (const auto& row : rows) values.push_back(row[c]);
    knobs.push_back(Knob::choice("analytic_" + objectives[c].metric, values));
  }
  std::vector<Design> designs;
  for (auto& row : rows) designs.push_back(Design{std::move(row)});
  out.pool = std::make_unique<CandidatePool>(Space(std::move(knobs)), std::move(designs));
  return out;
}

/// synthesis.explorer (formerly learner): the explorer of module search that chooses the
/// mappings, a registered name (the one place it is checked).
std::string read_explorer(const ConfigReader& r, const YAML::Node& node, const std::string& key) {
  auto name = r.text(node, key);
  if (!find_explorer(name))
    r.fail(node, key, fmt::format("unknown explorer '{}' (known: {})", name, explorer_name_list()));
  return name;
}

/// The configured explorer (synthesis.explorer) over the front pool. An explorer with an initial
/// sample (epsilon-PAL: maximin, ATNE: TED) starts from max(2, per_network / 2) designs, at most
/// the pool; the others take their defaults.
std::unique_ptr<Explorer> synthesis_explorer(const SynthesisConfig& config, const ExplorerSetup& setup) {
  const auto& entry = explorer_entry(config.explorer);
  ExplorerOptions options;
  if (entry.option("initial_samples"))
    options.set("initial_samples", std::min(setup.pool->size(), std::max<std::size_t>(2, config.per_network / 2)));
  return make_explorer(entry.name, setup, options);
}

SynthesizedMapping synthesize(const hw::FrontPoint& point, std::size_t index, const SynthesisConfig& config,
                              const SynthesisJob& job) {
  SynthesizedMapping out;
  out.front_index = index;
  const auto start = std::chrono::steady_clock::now();
  const auto dir = job.out_dir / fmt::format("mapping-{:03}", index);
  try {
    hw::NetworkSynthOptions options;
    if (job.calibration) options.calibration = *job.calibration;
    if (!config.cache_dir.empty()) options.synth.cache_dir = config.cache_dir;
    options.synth.jobs = config.jobs;
    options.synth.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(config.timeout_minutes * 60'000));
    options.place_and_route = false;
    options.out_dir = dir;
    hw::ToolRunner runner;
    auto synthesis = hw::synthesize_network(*job.network, *job.model, point.mapping, *job.device, options, runner);
    out.flow = {{"rtl_dir", synthesis.rtl.dir.string()},
                {"tool_runs", synthesis.tool_runs},
                {"tool_seconds", synthesis.tool_seconds}};
    if (!job.verify_inputs.empty()) {
      hw::VerifyOptions verify;
      verify.timeout_seconds = static_cast<int>(config.timeout_minutes * 60);
      const auto checked = hw::verify_rtl(synthesis.rtl, *job.model, job.verify_inputs, verify);
      out.flow["verification"] = {{"inferences", checked.inferences},
                                  {"values_compared", checked.values_compared},
                                  {"mismatches", checked.mismatches},
                                  {"latency_cycles", checked.latency_cycles},
                                  {"ii_cycles", checked.ii_cycles},
                                  {"seconds", checked.build_seconds + checked.run_seconds}};
      if (!checked.bit_exact())
        out.error = fmt::format("the RTL is not bit exact: {} of {} values differ", checked.mismatches,
                                checked.values_compared);
    }
    if (out.error.empty()) out.estimate = synthesis.estimate;
  } catch (const std::exception& error) {
    out.error = fmt::format("hardware flow failed: {}", error.what());
  }
  out.flow["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!out.error.empty()) out.flow["error"] = out.error;
  return out;
}

}  // namespace

/// synthesis: the hardware flow of fidelity synthesis. Part of the study's identity (with that
/// fidelity) are what changes the trials: how many mappings, which explorer, how many inputs are
/// verified; the cache, the parallel jobs and the tool timeout are not.
ConfigSection synthesis_section() {
  using C = ExploreConfig;
  using S = SynthesisConfig;
  ConfigSection s{"synthesis",
                  {field("synthesis.per_network", at(&C::synthesis, &S::per_network), integer<std::size_t>(1, 1000),
                         InIdentity::with_synthesis),
                   field("synthesis.explorer", at(&C::synthesis, &S::explorer), read_explorer, InIdentity::with_synthesis)
                       .formerly("learner"),
                   field("synthesis.verify_inputs", at(&C::synthesis, &S::verify_inputs),
                         integer<std::size_t>(0, 100000), InIdentity::with_synthesis),
                   field("synthesis.cache_dir", at(&C::synthesis, &S::cache_dir), path(), InIdentity::no),
                   field("synthesis.jobs", at(&C::synthesis, &S::jobs), integer<int>(1, 64), InIdentity::no),
                   field("synthesis.timeout_minutes", at(&C::synthesis, &S::timeout_minutes), number(0.1, 1e4),
                         InIdentity::no)}};
  s.before = [](const ConfigReader& r, const YAML::Node& node, const ExploreConfig& c) {
    if (c.fidelity != ExploreFidelity::synthesis) r.fail(node, "synthesis", "only with fidelity: synthesis");
  };
  return s;
}

namespace {

/// One asked mapping of the front built, verified and synthesized; the explorer is told the
/// synthesized estimate, or a failed trial with the flow's error. Keeps every flow's result.
class SynthesisEvaluation final : public JobEvaluator {
 public:
  SynthesisEvaluation(const std::vector<hw::FrontPoint>& front, const FrontPool& pool, const SynthesisConfig& config,
                      const SynthesisJob& job)
      : front_(&front), pool_(&pool), config_(&config), job_(&job) {}

  std::vector<Trial> evaluate(const EvaluationJob& asked) override {
    const auto row = pool_->pool->index_of(asked.design);
    if (!row) throw std::logic_error("the explorer asked a design outside its pool");
    const auto index = pool_->front_index[*row];
    auto result = synthesize((*front_)[index], index, *config_, *job_);
    result.step = done_.size();
    Trial told;
    told.number = asked.number;
    told.design = asked.design;
    if (result.estimate) {
      told.metrics = result.estimate->to_metrics();
    } else {
      told.status = TrialStatus::failed;
      told.error = result.error;
    }
    done_.push_back(std::move(result));
    return {std::move(told)};
  }
  std::vector<SynthesizedMapping> take_done() { return std::move(done_); }

 private:
  const std::vector<hw::FrontPoint>* front_;
  const FrontPool* pool_;
  const SynthesisConfig* config_;
  const SynthesisJob* job_;
  std::vector<SynthesizedMapping> done_;
};

}  // namespace

std::vector<SynthesizedMapping> synthesize_promising(const std::vector<hw::FrontPoint>& front,
                                                     const std::vector<Objective>& objectives,
                                                     const SynthesisConfig& config, const SynthesisJob& job) {
  if (front.empty()) return {};
  const auto pool = front_pool(front, objectives);
  const auto explorer = synthesis_explorer(config, ExplorerSetup{pool.pool.get(), objectives, job.seed});
  SynthesisEvaluation evaluation(front, pool, config, job);
  InlineExecutor executor(evaluation);
  MemoryJournal journal;  // the network's trials record the flows; a resumed run replays those
  Study study(*explorer, executor, journal, {config.per_network, 1});
  study.run();
  if (study.interrupted_by()) throw Interrupted(study.interrupted_by());  // never a partial network
  return evaluation.take_done();
}

}  // namespace codse::explore
