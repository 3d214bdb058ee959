#include "explore/co_exploration.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/model/estimate_json.hpp"
#include "explore/lemonade_explorer.hpp"
#include "explore/random_mappings.hpp"
#include "explore/random_network_explorer.hpp"
#include "explore/trial_seed.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/map/finn_folding.hpp"
#include "hw/map/hal.hpp"
#include "hw/model/workload.hpp"
#include "nn/integer/integer_export.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/train/trainer.hpp"

namespace codse::explore {
namespace {

bool is_network_metric(const std::string& metric) {
  return metric == "error" || metric == "accuracy" || metric == "params" || metric == "macs";
}

nn::LabeledSamples samples(const nn::Dataset& data) { return {data.features(), data.labels()}; }

/// Up to k indices spread evenly over 0..n-1 (both ends included).
std::vector<std::size_t> spread(std::size_t n, std::size_t k) {
  if (n <= k) {
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    return all;
  }
  std::vector<std::size_t> picks;
  for (std::size_t j = 0; j < k; ++j) {
    const auto i = k == 1 ? 0 : (j * (n - 1) + (k - 1) / 2) / (k - 1);
    if (picks.empty() || picks.back() != i) picks.push_back(i);
  }
  return picks;
}

std::size_t network_id(const Trial& trial) { return static_cast<std::size_t>(trial.design.values.at(0)); }

/// A trial of the sequential strategy's mapping phase (its design's device index is not -1).
bool is_mapping_phase(const Trial& trial) { return trial.design.values.at(1) >= 0.0; }

/// Writes weights through a temporary file renamed into place: a killed run never leaves half a file.
void save_atomically(const nn::Weights& weights, const std::filesystem::path& path) {
  const auto temporary = path.string() + ".tmp";
  weights.save(temporary);
  std::filesystem::rename(temporary, path);
}

}  // namespace

CoExploration::CoExploration(ExploreConfig config, const nn::DatasetSplits& data, std::filesystem::path artifacts_dir)
    : config_(std::move(config)), data_(&data), artifacts_dir_(std::move(artifacts_dir)), space_(config_.objectives) {
  const auto catalog = config_.hardware.device_catalog();  // built-in + hardware.catalog
  for (const auto& name : config_.hardware.devices) devices_.push_back(catalog.find(name));
  for (const auto& o : config_.objectives)
    if (!is_network_metric(o.metric)) hw_objectives_.push_back(o);
  if (hw_objectives_.empty()) hw_objectives_.push_back(Objective::parse("lut:min"));
  for (const auto& b : config_.constraints)
    if (!is_network_metric(b.metric)) hw_constraints_.push_back(b);
  network_objectives_ = config_.objectives;
  if (config_.strategy == ExploreStrategy::sequential) network_objectives_ = {config_.objectives.front()};
  std::filesystem::create_directories(artifacts_dir_ / "weights");
}

std::filesystem::path CoExploration::weights_path(std::size_t id) const {
  return artifacts_dir_ / "weights" / fmt::format("network-{:05}.bin", id);
}

double CoExploration::hardware_cost(const nn::Network& network) const {
  // LUTs of FINN's folding heuristic at a fixed cycle target on the first device: one estimate,
  // no search, and it grows with width, depth and bits as the HAL's fronts do.
  const hw::Workload workload(network);
  hw::FoldingOptions folding;
  folding.target_cycles = 4096;
  const auto mapping = hw::finn_folding(workload, devices_.front(), folding);
  return hw::Estimator(workload, devices_.front()).estimate(mapping).total.lut;
}

std::unique_ptr<NetworkExplorer> CoExploration::make_explorer() const {
  std::vector<nn::Network> starts;
  for (const auto& path : config_.networks) starts.push_back(nn::load_network(path));
  const TrainingHyper hyper{config_.training.learning_rate, config_.training.epochs, config_.training.batch_size};
  if (config_.strategy == ExploreStrategy::random) {
    // As far from the start as LEMONADE's last generation can get within the network budget.
    const std::size_t generations =
        config_.budget_networks ? (config_.budget_networks + config_.lemonade.accepted - 1) / config_.lemonade.accepted : 8;
    return std::make_unique<RandomNetworkExplorer>(std::move(starts), hyper, config_.ml, generations, config_.seed);
  }
  LemonadeOptions lemonade{config_.lemonade.generated, config_.lemonade.accepted, config_.lemonade.hyper_mutation,
                           config_.ml, network_objectives_, config_.seed};
  return std::make_unique<LemonadeExplorer>(std::move(starts), hyper, lemonade,
                                            [this](const nn::Network& n) { return hardware_cost(n); });
}

CoExploration::Trained CoExploration::train(const NetworkCandidate& candidate, const NetworkExplorer& explorer) const {
  nn::WeightedNetwork start{candidate.network, {}};
  bool warm = false;
  if (candidate.parent) {
    const auto& parent = explorer.candidate(*candidate.parent);
    const nn::WeightedNetwork inherited{parent.network, nn::Weights::load(weights_path(parent.id).string())};
    if (candidate.morphism) {
      std::mt19937_64 rng(candidate.morphism_seed);
      start = nn::apply_morphism(inherited, *candidate.morphism, rng);
    } else {
      start = inherited;
    }
    warm = true;
  }
  nn::TrainOptions options = config_.training;
  options.learning_rate = candidate.hyper.learning_rate;
  options.epochs = candidate.hyper.epochs;
  options.batch_size = candidate.hyper.batch_size;
  options.seed = trial_seed(config_.seed, candidate.id);
  const auto result = nn::train(start.network, samples(data_->train), samples(data_->validation), options,
                                warm ? &start.weights : nullptr);
  Trained trained{start.network, result.weights, 0.0, result.validation_accuracy, result.seconds,
                  static_cast<int>(result.history.size())};
  trained.test_accuracy = nn::evaluate_accuracy(trained.network, trained.weights, samples(data_->test), options.threads);
  return trained;
}

CoExploration::NetworkRecord CoExploration::record(const NetworkCandidate& candidate, const Trained& trained) const {
  const auto stats = trained.network.stats();
  NetworkRecord r;
  r.id = candidate.id;
  r.artifacts = {{"network", nn::network_to_json(trained.network)},
                 {"network_id", candidate.id},
                 {"morphism", candidate.change},
                 {"change_kind", candidate.change_kind},
                 {"training",
                  {{"epochs", trained.epochs},
                   {"seconds", trained.seconds},
                   {"test_accuracy", trained.test_accuracy},
                   {"validation_accuracy", trained.validation_accuracy},
                   {"learning_rate", candidate.hyper.learning_rate},
                   {"batch_size", candidate.hyper.batch_size},
                   {"warm_start", candidate.parent.has_value()}}},
                 {"weights", std::filesystem::relative(weights_path(candidate.id), artifacts_dir_.parent_path()).string()}};
  if (candidate.parent) r.artifacts["parent"] = first_trial_.at(*candidate.parent);
  if (candidate.parent) r.artifacts["parent_network_id"] = *candidate.parent;
  r.metrics = {{"error", 1.0 - trained.test_accuracy},
               {"accuracy", trained.test_accuracy},
               {"params", static_cast<double>(stats.params)},
               {"macs", static_cast<double>(stats.macs)}};
  return r;
}

std::vector<hw::SpaceOptions> CoExploration::space_options(const hw::Device& device) const {
  std::vector<hw::SpaceOptions> spaces;
  for (auto kind : config_.hardware.templates) {
    hw::SpaceOptions space;
    if (config_.fidelity == ExploreFidelity::synthesis) space = hw::rtl_buildable_space(kind, device);
    space.kind = kind;
    space.clocks_mhz = config_.hardware.clocks_mhz;
    spaces.push_back(space);
  }
  return spaces;
}

CoExploration::DeviceMappings CoExploration::hal_mappings(const nn::Network& network, std::size_t device,
                                                          std::size_t count, const SynthesisJob* synthesis) const {
  const auto start = std::chrono::steady_clock::now();
  hw::MapOptions options;
  options.must_fit = config_.must_fit;
  options.seed = config_.seed;
  options.spaces = space_options(devices_[device]);
  const auto result = hw::Hal::map(network, devices_[device], hw_objectives_, hw_constraints_, options);
  DeviceMappings mappings;
  mappings.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  mappings.how = {{"method", result.method}, {"front_size", result.front.size()}, {"seconds", mappings.seconds}};
  std::map<std::size_t, std::optional<SynthesizedMapping>> chosen;  // front index -> flow result
  for (auto pick : spread(result.front.size(), count)) chosen[pick];
  if (synthesis) {
    auto job = *synthesis;
    job.device = &devices_[device];
    job.out_dir = synthesis->out_dir / fmt::format("d{}", device);
    const auto flow_start = std::chrono::steady_clock::now();
    for (auto& done : synthesize_promising(result.front, hw_objectives_, config_.synthesis, job))
      chosen[done.front_index] = std::move(done);
    mappings.how["synthesis"] = {{"learner", config_.synthesis.learner},
                                 {"synthesized", std::count_if(chosen.begin(), chosen.end(),
                                                               [](const auto& c) { return c.second.has_value(); })},
                                 {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - flow_start).count()}};
  }
  for (auto& [index, flow] : chosen) {
    mappings.points.push_back(result.front[index]);
    mappings.synthesized.push_back(std::move(flow));
  }
  return mappings;
}

CoExploration::DeviceMappings CoExploration::random_device_mappings(const nn::Network& network, std::size_t id,
                                                                    std::size_t device) const {
  const auto start = std::chrono::steady_clock::now();
  DeviceMappings mappings;
  const std::uint64_t seed = trial_seed(config_.seed, id, device);
  mappings.points = random_mappings(network, devices_[device], space_options(devices_[device]), hw_constraints_, config_.must_fit,
                                    config_.hardware.mappings_per_network, seed);
  mappings.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  mappings.how = {{"method", "random"}, {"seconds", mappings.seconds}};
  return mappings;
}

std::vector<Trial> CoExploration::joint_trials(const NetworkRecord& record, const std::vector<DeviceMappings>& devices,
                                               std::size_t first_number, double train_seconds) const {
  std::vector<Trial> trials;
  for (std::size_t d = 0; d < devices.size(); ++d) {
    const auto& chosen = devices[d];
    for (std::size_t k = 0; k < chosen.points.size(); ++k) {
      const auto& point = chosen.points[k];
      Trial trial;
      trial.number = first_number + trials.size();
      trial.design.values = {static_cast<double>(record.id), static_cast<double>(d), static_cast<double>(k)};
      trial.metrics.fidelity = Fidelity::analytic;
      trial.metrics.seconds = (trials.empty() ? train_seconds : 0.0) + chosen.seconds / static_cast<double>(chosen.points.size());
      const auto* flow = k < chosen.synthesized.size() && chosen.synthesized[k] ? &*chosen.synthesized[k] : nullptr;
      const auto& measured = flow && flow->estimate ? *flow->estimate : point.estimate;
      const auto hw_metrics = measured.to_metrics().values;
      for (const auto* name : {"lut", "ff", "dsp", "bram18", "latency_us", "fps", "power_w", "energy_uj", "fits"})
        trial.metrics.values[name] = hw_metrics.at(name);
      for (const auto& [name, value] : record.metrics) trial.metrics.values[name] = value;
      auto artifacts = record.artifacts;
      artifacts["device"] = devices_[d].name;
      artifacts["mapping"] = nlohmann::json::parse(point.mapping.to_json_text());
      artifacts["estimate"] = hw::estimate_to_json(point.estimate);
      artifacts["hal"] = chosen.how;
      if (flow) {
        trial.metrics.fidelity = Fidelity::synthesis;
        trial.metrics.seconds += flow->flow.value("seconds", 0.0);
        artifacts["synthesis_flow"] = flow->flow;
        artifacts["synthesis_flow"]["learner_step"] = flow->step;
        if (flow->estimate) artifacts["synthesis"] = hw::estimate_to_json(*flow->estimate);
        if (!flow->error.empty()) {
          trial.status = TrialStatus::failed;
          trial.error = flow->error;
        } else if (config_.must_fit && !measured.fits) {
          trial.status = TrialStatus::failed;
          trial.error = "the synthesized design does not fit: " + measured.overflow;
        }
      }
      trial.artifacts_json = artifacts.dump();
      trials.push_back(std::move(trial));
    }
  }
  return trials;
}

Trial CoExploration::failed_trial(const NetworkRecord& record, std::size_t first_number, double seconds,
                                  std::string error) const {
  Trial failed;
  failed.number = first_number;
  const double slot = config_.strategy == ExploreStrategy::sequential ? -1.0 : 0.0;
  failed.design.values = {static_cast<double>(record.id), slot, slot};
  failed.status = TrialStatus::failed;
  failed.metrics.values = record.metrics;
  failed.metrics.seconds = seconds;
  failed.error = std::move(error);
  failed.artifacts_json = record.artifacts.is_null() ? "" : record.artifacts.dump();
  return failed;
}

std::vector<Trial> CoExploration::evaluate(const NetworkCandidate& candidate, const NetworkExplorer& explorer,
                                           std::size_t first_number) {
  const auto start = std::chrono::steady_clock::now();
  Trained trained;
  try {
    trained = train(candidate, explorer);
  } catch (const std::exception& error) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {failed_trial(NetworkRecord{candidate.id, nullptr, {}}, first_number, seconds,
                         fmt::format("training failed: {}", error.what()))};
  }
  save_atomically(trained.weights, weights_path(candidate.id));
  auto r = record(candidate, trained);

  if (config_.strategy == ExploreStrategy::sequential) {
    // Accuracy first: no hardware yet. The trial carries the network metrics only.
    Trial trial;
    trial.number = first_number;
    trial.design.values = {static_cast<double>(candidate.id), -1.0, -1.0};
    trial.metrics.fidelity = Fidelity::training;
    trial.metrics.seconds = trained.seconds;
    trial.metrics.values = r.metrics;
    trial.metrics.values["validation_accuracy"] = trained.validation_accuracy;
    trial.artifacts_json = r.artifacts.dump();
    return {trial};
  }

  // Network-level constraints (error, params...) decide feasibility before any mapping.
  for (const auto& b : config_.constraints)
    if (is_network_metric(b.metric) && !b.holds(r.metrics.at(b.metric)))
      return {failed_trial(r, first_number, trained.seconds, "violates the constraint " + b.to_string())};
  std::optional<nn::IntegerModel> model;
  SynthesisJob synthesis;
  if (config_.fidelity == ExploreFidelity::synthesis) {
    model = nn::export_integer_model(trained.network, trained.weights);
    synthesis.network = &trained.network;
    synthesis.model = &*model;
    synthesis.seed = trial_seed(config_.seed, candidate.id);
    // Absolute: hw::synthesize_network resolves the RTL's file names against a relative out_dir twice.
    synthesis.out_dir = std::filesystem::absolute(artifacts_dir_ / "rtl" / fmt::format("network-{:05}", candidate.id));
    for (std::size_t i = 0; i < config_.synthesis.verify_inputs && i < data_->test.size(); ++i)
      synthesis.verify_inputs.push_back(model->quantize_input(data_->test.sample(i)));
  }
  std::vector<DeviceMappings> devices;
  for (std::size_t d = 0; d < devices_.size(); ++d)
    devices.push_back(config_.strategy == ExploreStrategy::random
                          ? random_device_mappings(trained.network, candidate.id, d)
                          : hal_mappings(trained.network, d, config_.hardware.mappings_per_network,
                                         model ? &synthesis : nullptr));
  auto trials = joint_trials(r, devices, first_number, trained.seconds);
  if (trials.empty())
    return {failed_trial(r, first_number, trained.seconds, "no mapping satisfies the constraints on any device")};
  return trials;
}

std::vector<Trial> CoExploration::map_most_accurate(const std::vector<Trial>& trials, const NetworkExplorer& explorer,
                                                    std::size_t networks) const {
  // The most accurate network by validation accuracy (what a user can see before the test set),
  // the first one on ties; only it is mapped, with the joint-trial budget of every network.
  const Trial* best = nullptr;
  for (const auto& trial : trials) {
    if (trial.status != TrialStatus::complete) continue;
    if (!best || trial.metrics.at("validation_accuracy") > best->metrics.at("validation_accuracy")) best = &trial;
  }
  if (!best) return {};
  NetworkRecord r;
  r.id = network_id(*best);
  r.artifacts = nlohmann::json::parse(best->artifacts_json);
  r.artifacts["selected_by"] = "validation accuracy (sequential flow)";
  for (const auto& [name, value] : best->metrics.values)
    if (is_network_metric(name)) r.metrics[name] = value;
  const auto& network = explorer.candidate(r.id).network;
  std::vector<DeviceMappings> devices;
  for (std::size_t d = 0; d < devices_.size(); ++d)
    devices.push_back(hal_mappings(network, d, networks * config_.hardware.mappings_per_network));
  return joint_trials(r, devices, trials.size(), 0.0);
}

Trial CoExploration::network_summary(std::size_t id, const std::vector<Trial>& joint) const {
  // What the network explorer is told: the network's error and, per hardware objective, the best
  // value any of its joint designs reaches (its front in the joint space is what makes it a good
  // parent). The sequential strategy's explorer is told the error alone.
  Trial summary;
  summary.design.values = {candidate_design_value(id)};
  summary.status = TrialStatus::failed;
  for (const auto& trial : joint) {
    if (trial.status != TrialStatus::complete) continue;
    summary.status = TrialStatus::complete;
    for (const auto& o : network_objectives_) {
      const double v = trial.metrics.at(o.metric);
      auto it = summary.metrics.values.find(o.metric);
      if (it == summary.metrics.values.end() || o.minimised(v) < o.minimised(it->second))
        summary.metrics.values[o.metric] = v;
    }
  }
  return summary;
}

ExploreResult CoExploration::run(StudyJournal& journal) {
  const auto clock_start = std::chrono::steady_clock::now();
  const double budget_seconds = config_.budget_minutes * 60.0;
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count(); };
  const bool sequential = config_.strategy == ExploreStrategy::sequential;

  nlohmann::json objectives = nlohmann::json::array();
  for (const auto& o : config_.objectives)
    objectives.push_back({{"name", o.metric}, {"sense", o.sense == Sense::minimize ? "minimize" : "maximize"}});
  journal.put_document("objectives", objectives);

  std::map<std::size_t, std::vector<Trial>> stored;
  std::vector<Trial> stored_mapping_phase;
  for (auto& trial : journal.trials()) {
    if (sequential && is_mapping_phase(trial)) stored_mapping_phase.push_back(std::move(trial));
    else stored[network_id(trial)].push_back(std::move(trial));
  }

  const auto explorer = make_explorer();
  ExploreResult result;
  nlohmann::json hypervolume_history = nlohmann::json::array();
  std::vector<double> reference;
  std::size_t networks = 0;
  const auto add = [&](const std::vector<Trial>& joint, bool replayed) {
    result.trials.insert(result.trials.end(), joint.begin(), joint.end());
    if (reference.empty() && !space_.front(joint).empty()) {
      reference = space_.reference(joint);
      journal.put_document("hypervolume_reference", reference);
    }
    result.hypervolume = reference.empty() ? 0.0 : space_.hypervolume(result.trials, reference);
    hypervolume_history.push_back({{"trial", result.trials.back().number}, {"value", result.hypervolume}});
    journal.put_document("hypervolume", hypervolume_history);
    if (callback_)
      callback_({networks, config_.budget_networks, result.trials.size(), space_.front(result.trials).size(),
                 result.hypervolume, replayed, elapsed(), budget_seconds});
  };
  bool stop = false;
  while (!stop) {
    const auto designs = explorer->ask(config_.lemonade.accepted);
    if (designs.empty()) break;
    for (const auto& design : designs) {
      if (config_.budget_networks && networks >= config_.budget_networks) {
        stop = true;
        break;
      }
      const auto& candidate = explorer->candidate(design);
      const bool replayed = stored.contains(candidate.id);
      if (!replayed && budget_seconds > 0 && elapsed() >= budget_seconds) {
        stop = true;
        break;
      }
      std::vector<Trial> joint;
      if (replayed) {
        joint = stored.at(candidate.id);
        ++result.replayed_networks;
      } else {
        joint = evaluate(candidate, *explorer, result.trials.size());
        journal.record_all(joint);
        ++result.trained_networks;
      }
      if (joint.front().number != result.trials.size())
        throw InputError(fmt::format("{}: study '{}' holds network {} at trial {} where this run has trial {}; it "
                                     "was written with other settings",
                                     journal.path().string(), journal.name(), candidate.id, joint.front().number,
                                     result.trials.size()));
      first_trial_[candidate.id] = joint.front().number;
      explorer->tell(network_summary(candidate.id, joint));
      ++networks;
      add(joint, replayed);
    }
  }
  if (sequential) {
    const bool replayed = !stored_mapping_phase.empty();
    auto joint = replayed ? stored_mapping_phase : map_most_accurate(result.trials, *explorer, networks);
    if (!replayed) journal.record_all(joint);
    if (!joint.empty()) {
      if (joint.front().number != result.trials.size())
        throw InputError(fmt::format("{}: study '{}' holds its mapping phase at trial {} where this run has trial {}; "
                                     "it was written with other settings",
                                     journal.path().string(), journal.name(), joint.front().number,
                                     result.trials.size()));
      add(joint, replayed);
    }
  }
  result.front = space_.front(result.trials);
  result.hints = derive_hints(result.trials, space_);
  journal.put_document("hints", hints_to_json(result.hints));
  return result;
}

}  // namespace codse::explore
