#include "hw/synth/synthesis_cache.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

namespace codse::hw {
namespace {

namespace fs = std::filesystem;

/// Entry names are hex digests; anything else (temporary directories, failed/) is not an entry.
bool is_key(const std::string& key) {
  if (key.size() < 16) return false;
  for (const char c : key)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  return fmt::format("{}-{}", static_cast<long>(getpid()), counter++);
}

}  // namespace

// Absolute: the tools run in their own working directories and read their scripts from here, so a
// relative --cache (e.g. `--cache cache`) would point elsewhere for them.
SynthesisCache::SynthesisCache(fs::path dir) : dir_(fs::absolute(std::move(dir))) {
  std::error_code error;
  fs::create_directories(dir_ / "failed", error);
  if (error)
    throw std::runtime_error(fmt::format("cannot create the synthesis cache {}: {}", dir_.string(), error.message()));
}

fs::path SynthesisCache::default_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
    return fs::path(xdg) / "codse" / "synth";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return fs::path(home) / ".cache" / "codse" / "synth";
  return fs::temp_directory_path() / "codse-synth-cache";
}

std::optional<fs::path> SynthesisCache::find(const std::string& key) const {
  if (!is_key(key)) throw std::invalid_argument("synthesis cache key is not a hex digest: " + key);
  const auto entry = dir_ / key;
  if (fs::is_directory(entry)) return entry;
  return std::nullopt;
}

fs::path SynthesisCache::produce(const std::string& key, const std::function<void(const fs::path&)>& fill) {
  if (auto entry = find(key)) return *entry;
  const auto temporary = dir_ / fmt::format(".tmp-{}-{}", key.substr(0, 16), unique_suffix());
  fs::create_directories(temporary);
  try {
    fill(temporary);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(temporary, ignored);
    throw;
  }
  const auto entry = dir_ / key;
  std::error_code error;
  fs::rename(temporary, entry, error);
  if (error) {
    // Another run committed the same key first (rename onto a non-empty directory fails): keep it.
    std::error_code ignored;
    fs::remove_all(temporary, ignored);
    if (!fs::is_directory(entry))
      throw std::runtime_error(fmt::format("cannot commit synthesis cache entry {}: {}", entry.string(), error.message()));
  }
  return entry;
}

fs::path SynthesisCache::run_log(const std::string& what, const std::string& key) const {
  return dir_ / "failed" / fmt::format("{}-{}.log", what, key.substr(0, 16));
}

}  // namespace codse::hw
