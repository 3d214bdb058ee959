#pragma once
// The on-disk cache of synthesis and place-and-route runs. An entry is a directory named by the
// content hash of everything the run read (RTL and memory files, tool version, script), holding
// what the run wrote (statistics JSON, netlist, log). Entries are written atomically: a run fills
// a temporary directory that is renamed into place only when it succeeded, so a run that failed
// or was killed never leaves a half-written entry. Logs of failed runs are kept apart, in
// failed/, where the error message points.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace codse::hw {

class SynthesisCache {
 public:
  /// Creates the directory when absent; throws runtime_error when it cannot.
  explicit SynthesisCache(std::filesystem::path dir);

  /// $XDG_CACHE_HOME/codse/synth, else ~/.cache/codse/synth, else a directory under /tmp.
  static std::filesystem::path default_dir();

  const std::filesystem::path& dir() const { return dir_; }

  /// The complete entry for key, or nothing.
  std::optional<std::filesystem::path> find(const std::string& key) const;

  /// Runs fill on a fresh temporary directory and renames it into the entry for key. If fill
  /// throws, the temporary directory is removed and the exception propagates. When another
  /// process committed the same key meanwhile, its entry is kept (both hold the same result).
  std::filesystem::path produce(const std::string& key,
                                const std::function<void(const std::filesystem::path&)>& fill);

  /// Where the log of a run of `what` for key goes while it runs and stays when it fails.
  std::filesystem::path run_log(const std::string& what, const std::string& key) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace codse::hw
