#pragma once
// The files a co-exploration writes beside its study: each trained network's weights
// (weights/network-NNNNN.bin, read back when a child inherits them or a resumed run needs them)
// and, at fidelity synthesis, each network's RTL (rtl/network-NNNNN/).

#include <cstddef>
#include <filesystem>

#include "nn/ir/weights.hpp"

namespace codse::explore {

class ArtifactFiles {
 public:
  /// Creates dir/weights if missing.
  explicit ArtifactFiles(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path weights_path(std::size_t network_id) const;
  /// weights_path, relative to the study's directory (the parent of dir), as the trials record it.
  std::filesystem::path weights_entry(std::size_t network_id) const;
  /// Writes through a temporary file renamed into place: a killed run never leaves half a file.
  void save_weights(std::size_t network_id, const nn::Weights& weights) const;
  nn::Weights load_weights(std::size_t network_id) const;
  /// Absolute: hw::synthesize_network resolves the RTL's file names against a relative out_dir twice.
  std::filesystem::path rtl_dir(std::size_t network_id) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace codse::explore
