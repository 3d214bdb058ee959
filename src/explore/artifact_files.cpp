#include "explore/artifact_files.hpp"

#include <string>

#include <fmt/format.h>

namespace codse::explore {

ArtifactFiles::ArtifactFiles(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_ / "weights");
}

std::filesystem::path ArtifactFiles::weights_path(std::size_t network_id) const {
  return dir_ / "weights" / fmt::format("network-{:05}.bin", network_id);
}

std::filesystem::path ArtifactFiles::weights_entry(std::size_t network_id) const {
  // A bare directory name ("s.artifacts", from --db s.sqlite) has an empty parent, against which
  // relative() gives an empty path; the study's directory is then the current one.
  const auto study_dir = dir_.parent_path().empty() ? std::filesystem::path(".") : dir_.parent_path();
  return std::filesystem::relative(weights_path(network_id), study_dir);
}

void ArtifactFiles::save_weights(std::size_t network_id, const nn::Weights& weights) const {
  const auto path = weights_path(network_id);
  const auto temporary = path.string() + ".tmp";
  weights.save(temporary);
  std::filesystem::rename(temporary, path);
}

nn::Weights ArtifactFiles::load_weights(std::size_t network_id) const {
  return nn::Weights::load(weights_path(network_id).string());
}

std::filesystem::path ArtifactFiles::rtl_dir(std::size_t network_id) const {
  return std::filesystem::absolute(dir_ / "rtl" / fmt::format("network-{:05}", network_id));
}

}  // namespace codse::explore
