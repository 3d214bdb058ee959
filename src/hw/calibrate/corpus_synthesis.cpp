#include "hw/calibrate/corpus_synthesis.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"

namespace codse::hw {
namespace {

const char* const resource_names[] = {"lut", "ff", "dsp", "bram18", "uram", "lutram"};

double* resource(Resources& r, std::size_t i) {
  double* fields[] = {&r.lut, &r.ff, &r.dsp, &r.bram18, &r.uram, &r.lutram};
  return fields[i];
}

}  // namespace

nlohmann::json synth_job_to_json(const SynthJob& job) {
  auto parameters = nlohmann::json::array();
  for (const auto& [name, value] : job.parameters) parameters.push_back({name, value});
  return {{"name", job.name},   {"top", job.top},           {"rtl_dir", job.rtl_dir.string()},
          {"files", job.files}, {"parameters", parameters}, {"write_netlist", job.write_netlist}};
}

SynthJob synth_job_from_json(const nlohmann::json& json) {
  try {
    SynthJob job;
    job.name = json.at("name").get<std::string>();
    job.top = json.at("top").get<std::string>();
    job.rtl_dir = json.at("rtl_dir").get<std::string>();
    job.files = json.at("files").get<std::vector<std::string>>();
    for (const auto& pair : json.at("parameters"))
      job.parameters.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
    job.write_netlist = json.at("write_netlist").get<bool>();
    return job;
  } catch (const nlohmann::json::exception& error) {
    throw InputError(fmt::format("a synthesis job is not what codse sends: {}", error.what()));
  }
}

std::vector<Trial> CorpusSynthesis::evaluate(const EvaluationJob& job) {
  Trial trial;
  trial.number = job.number;
  trial.design = job.design;
  trial.metrics.fidelity = Fidelity::synthesis;
  try {
    auto result = synth_->synthesize(synth_job_from_json(job.input));
    for (std::size_t i = 0; i < std::size(resource_names); ++i)
      trial.metrics.values[resource_names[i]] = *resource(result.stats.resources, i);
    trial.metrics.seconds = result.seconds;
  } catch (const std::exception& error) {
    trial.status = TrialStatus::failed;
    trial.error = error.what();
  }
  return {trial};
}

std::vector<Resources> synthesize_through(Executor& executor, const std::vector<SynthJob>& jobs) {
  std::vector<EvaluationJob> batch;
  for (std::size_t i = 0; i < jobs.size(); ++i)
    batch.push_back({i, {{static_cast<double>(i)}}, synth_job_to_json(jobs[i]), 0.0});
  const auto outcomes = executor.run(batch, [](std::size_t, const std::vector<Trial>&) {});
  std::vector<Resources> resources(jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (!outcomes[i]) throw Interrupted(interrupt_signal());
    const auto& trial = outcomes[i]->front();
    if (trial.status != TrialStatus::complete)
      throw std::runtime_error(fmt::format("synthesis of {} failed: {}", jobs[i].name, trial.error));
    for (std::size_t r = 0; r < std::size(resource_names); ++r)
      *resource(resources[i], r) = trial.metrics.values.at(resource_names[r]);
  }
  return resources;
}

}  // namespace codse::hw
