#include "explore/start_calibration.hpp"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "core/trial.hpp"
#include "explore/network_candidate.hpp"
#include "explore/network_evaluation.hpp"
#include "explore/network_job.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::explore {
namespace {

/// A fresh directory under the system's temporary directory, removed with everything in it when
/// the object goes (also when an exception or Interrupted unwinds).
class ScratchDirectory {
 public:
  ScratchDirectory() {
    auto pattern = (std::filesystem::temp_directory_path() / "codse-dry-run-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      throw std::system_error(errno, std::generic_category(), fmt::format("cannot create {}", pattern));
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;  // a directory that cannot be removed must not hide the real error
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

StartCalibration calibrate_start_network(const ExploreConfig& config, const nn::DatasetSplits& data) {
  const ScratchDirectory scratch;
  NetworkEvaluation evaluation(config, data, scratch.path() / "artifacts");
  const TrainingHyper hyper{config.training.learning_rate, config.training.epochs, config.training.batch_size};
  const auto candidate = start_candidate(0, nn::load_network(config.networks.front()), hyper);
  const auto job = network_job(0, candidate, nullptr, std::nullopt);
  const auto start = std::chrono::steady_clock::now();
  const auto trials = evaluation.evaluate(job);
  StartCalibration calibration;
  calibration.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  calibration.trials = trials.size();
  if (trials.size() == 1 && trials.front().status != TrialStatus::complete) calibration.error = trials.front().error;
  return calibration;
}

}  // namespace codse::explore
