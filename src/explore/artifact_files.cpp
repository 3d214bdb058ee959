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
  // Absolute first: a relative directory ("s.artifacts" of --db s.sqlite) has an empty parent,
  // and a path relative to "" is empty (the report's weights field was blank).
  const auto store_dir = std::filesystem::absolute(dir_).parent_path();
  return std::filesystem::relative(std::filesystem::absolute(weights_path(network_id)), store_dir);
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
