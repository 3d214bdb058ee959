#pragma once
// The calibration corpus's Yosys runs as an executor's jobs, so `mpirun -n K codse hw calibrate`
// synthesizes the corpus on ranks 1..K-1: rank 0 writes every layer's RTL to the work directory
// (which every rank reaches), each job names one Yosys run (a SynthJob as JSON), and a rank
// answers with the resources Yosys counted. The synthesis cache stays the single source of truth:
// a run already in it costs nothing on any rank.

#include <vector>

#include <nlohmann/json.hpp>

#include "hw/model/estimate.hpp"
#include "hw/synth/synth_runner.hpp"
#include "search/executor.hpp"
#include "search/job_evaluator.hpp"

namespace codse::hw {

nlohmann::json synth_job_to_json(const SynthJob& job);
/// Throws InputError naming the field when json is not what synth_job_to_json writes.
SynthJob synth_job_from_json(const nlohmann::json& json);

/// Synthesizes the SynthJob in each job's input; the trial's metrics are the resources
/// (lut, ff, dsp, bram18, uram, lutram). A failed run is a failed trial with Yosys's message.
class CorpusSynthesis final : public JobEvaluator {
 public:
  /// synth must outlive this.
  explicit CorpusSynthesis(Synthesizer& synth) : synth_(&synth) {}
  std::vector<Trial> evaluate(const EvaluationJob& job) override;

 private:
  Synthesizer* synth_;
};

/// The resources of each job, in order, synthesized through executor. Throws std::runtime_error
/// naming the first run that failed; Interrupted after SIGINT/SIGTERM.
std::vector<Resources> synthesize_through(Executor& executor, const std::vector<SynthJob>& jobs);

}  // namespace codse::hw
