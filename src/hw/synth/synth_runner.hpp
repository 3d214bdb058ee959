#pragma once
// The Synthesizer runs Yosys on RTL modules for one device family, each run cached on disk
// (synthesis_cache.hpp) by a content hash of the RTL and memory files it reads, the Yosys version
// and the script. synthesize_all runs a batch on a small pool of threads and runs every distinct
// key once: a layer repeated in a network, or shared by several networks, is synthesized once.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "hw/model/device.hpp"
#include "hw/synth/synth_stats.hpp"
#include "hw/synth/synth_target.hpp"
#include "hw/synth/synthesis_cache.hpp"
#include "hw/synth/tool_run.hpp"

namespace codse::hw {

/// One module to synthesize.
struct SynthJob {
  std::string name;                 // what reports call it (the layer)
  std::string top;                  // the module
  std::filesystem::path rtl_dir;    // Yosys runs here, so $readmemh finds relative memory files
  std::vector<std::string> files;   // relative to rtl_dir: .v/.sv are read, the rest (memory
                                    // initialisation, includes) only enter the content hash
  std::vector<std::pair<std::string, std::string>> parameters;  // chparam on top
  bool write_netlist = false;       // also write netlist.json (nextpnr's input)
};

struct SynthResult {
  std::string name;
  std::string key;               // the content hash: the cache entry's name
  std::filesystem::path entry;   // stat.json, synth.ys, yosys.log, netlist.json
  SynthStats stats;
  double seconds = 0.0;          // Yosys wall time when it ran, else the cached run's time
  bool from_cache = false;
};

struct SynthOptions {
  std::filesystem::path cache_dir = SynthesisCache::default_dir();
  int jobs = 2;
  std::chrono::milliseconds timeout{std::chrono::minutes(20)};  // per Yosys run
  std::uint64_t memory_limit = 0;  // bytes of address space per Yosys run; 0: default_tool_memory_limit(jobs)
};

class Synthesizer {
 public:
  Synthesizer(SynthFamily family, bool use_dsp, SynthOptions options, ToolRunner& runner);
  /// The family of the device (InputError when codse has no flow for it); DSPs when it has some.
  Synthesizer(const Device& device, SynthOptions options, ToolRunner& runner);

  SynthFamily family() const { return family_; }
  SynthesisCache& cache() { return cache_; }

  /// Yosys's version line, remembered in the cache per binary (path, size, time) so a fully
  /// cached run starts no process at all.
  const std::string& yosys_version();

  /// The content hash of a job. Throws InputError naming a file that cannot be read.
  std::string key(const SynthJob& job);

  /// Synthesizes one job, or reads it from the cache.
  SynthResult synthesize(const SynthJob& job);

  /// Synthesizes a batch on options.jobs threads, every distinct key once; results in job order.
  /// When runs fail, the others still finish (and are cached) and the first error is rethrown.
  std::vector<SynthResult> synthesize_all(const std::vector<SynthJob>& jobs);

 private:
  SynthScriptSpec script_spec(const SynthJob& job, const std::string& out_dir) const;
  SynthResult read_entry(const SynthJob& job, const std::string& key, const std::filesystem::path& entry) const;

  SynthFamily family_;
  bool use_dsp_;
  SynthOptions options_;
  ToolRunner& runner_;
  SynthesisCache cache_;
  std::string yosys_version_;
};

/// The version line of a tool, remembered under cache.dir()/tools by the binary's path, size
/// and modification time; runs `program version_flag` only the first time.
std::string cached_tool_version(ToolRunner& runner, SynthesisCache& cache, const std::string& program,
                                const std::string& version_flag);

/// Runs fn(i) for i in [0, count) on up to `threads` threads; every call runs even when some
/// throw, then the first exception (lowest i) is rethrown.
void run_parallel(std::size_t count, int threads, const std::function<void(std::size_t)>& fn);

}  // namespace codse::hw
