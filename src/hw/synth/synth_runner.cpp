#include "hw/synth/synth_runner.hpp"

#include <algorithm>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/content_hash.hpp"
#include "core/interrupt.hpp"

namespace codse::hw {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the file", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) { write_file_atomically(path, text); }

bool is_verilog(const std::string& file) {
  const auto extension = fs::path(file).extension().string();
  return extension == ".v" || extension == ".sv";
}

/// A job name as part of a file name.
std::string file_safe(const std::string& name) {
  std::string safe = name;
  for (auto& c : safe)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return safe.empty() ? std::string("module") : safe;
}

}  // namespace

void run_parallel(std::size_t count, int threads, const std::function<void(std::size_t)>& fn) {
  std::vector<std::exception_ptr> errors(count);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      if (interrupted()) return;  // after SIGINT/SIGTERM no job starts
      try {
        fn(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  const auto pool_size = std::min<std::size_t>(count, static_cast<std::size_t>(std::max(1, threads)));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < pool_size; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  throw_if_interrupted();
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
}

std::string cached_tool_version(ToolRunner& runner, SynthesisCache& cache, const std::string& program,
                                const std::string& version_flag) {
  const auto binary = runner.find(program);
  if (!binary)
    throw std::runtime_error(fmt::format("{} not found on the search path: install the Debian package {}", program,
                                         debian_package_of(program)));
  const auto resolved = fs::canonical(*binary);
  ContentHash identity;
  identity.add_field(resolved.string());
  identity.add_field(std::to_string(fs::file_size(resolved)));
  identity.add_field(std::to_string(fs::last_write_time(resolved).time_since_epoch().count()));
  const auto dir = cache.dir() / "tools";
  const auto file = dir / (identity.hex() + ".txt");
  if (fs::exists(file)) return read_text(file);
  const auto version = runner.first_output_line(program, {version_flag}, dir);
  if (version.empty()) throw std::runtime_error(fmt::format("{} {} printed nothing", program, version_flag));
  write_file_atomically(file, version);
  return version;
}

Synthesizer::Synthesizer(SynthFamily family, bool use_dsp, SynthOptions options, ToolRunner& runner)
    : family_(family), use_dsp_(use_dsp), options_(std::move(options)), runner_(runner), cache_(options_.cache_dir) {}

Synthesizer::Synthesizer(const Device& device, SynthOptions options, ToolRunner& runner)
    : Synthesizer(synth_family(device), device.dsp.count > 0, std::move(options), runner) {}

const std::string& Synthesizer::yosys_version() {
  if (yosys_version_.empty()) yosys_version_ = cached_tool_version(runner_, cache_, "yosys", "-V");
  return yosys_version_;
}

SynthScriptSpec Synthesizer::script_spec(const SynthJob& job, const std::string& out_dir) const {
  SynthScriptSpec spec;
  spec.family = family_;
  spec.use_dsp = use_dsp_;
  spec.top = job.top;
  for (const auto& file : job.files)
    if (is_verilog(file)) spec.verilog.push_back(file);
  spec.parameters = job.parameters;
  spec.stat_json = out_dir + "/stat.json";
  if (job.write_netlist) spec.netlist_json = out_dir + "/netlist.json";
  return spec;
}

std::string Synthesizer::key(const SynthJob& job) {
  if (job.top.empty()) throw InputError(fmt::format("synthesis job {}: no top module", job.name));
  if (job.files.empty()) throw InputError(fmt::format("synthesis job {}: no RTL files", job.name));
  ContentHash hash;
  hash.add_field("codse synthesis v1");
  hash.add_field(yosys_version());
  // The script with a placeholder for the output directory, which differs between runs.
  hash.add_field(yosys_script(script_spec(job, "@OUT@")));
  for (const auto& file : job.files) {
    hash.add_field(file);
    hash.add_field(read_text(job.rtl_dir / file));
  }
  return hash.hex();
}

SynthResult Synthesizer::read_entry(const SynthJob& job, const std::string& key, const fs::path& entry) const {
  SynthResult result;
  result.name = job.name;
  result.key = key;
  result.entry = entry;
  result.stats = parse_synth_stats(read_text(entry / "stat.json"), family_, (entry / "stat.json").string());
  const auto run = nlohmann::json::parse(read_text(entry / "run.json"));
  result.seconds = run.value("seconds", 0.0);
  return result;
}

SynthResult Synthesizer::synthesize(const SynthJob& job) {
  const auto digest = key(job);
  if (auto entry = cache_.find(digest)) {
    auto result = read_entry(job, digest, *entry);
    result.from_cache = true;
    return result;
  }
  const auto log = cache_.run_log(file_safe(job.name), digest);
  double seconds = 0.0;
  // An interrupted run's log is no failure's: it does not stay in failed/.
  struct RemoveLogIfInterrupted {
    const fs::path& log;
    ~RemoveLogIfInterrupted() {
      std::error_code ignored;
      if (interrupted()) fs::remove(log, ignored);
    }
  } cleanup{log};
  const auto entry = cache_.produce(digest, [&](const fs::path& out) {
    const auto script = out / "synth.ys";
    write_text(script, yosys_script(script_spec(job, out.string())));
    const std::uint64_t memory =
        options_.memory_limit > 0 ? options_.memory_limit : default_tool_memory_limit(options_.jobs);
    ToolCommand command{"yosys", {"-s", script.string()}, job.rtl_dir, log, options_.timeout, memory};
    seconds = runner_.run(command).seconds;
    // Parse before committing: statistics Yosys did not write or wrote wrongly never get cached.
    parse_synth_stats(read_text(out / "stat.json"), family_, log.string());
    nlohmann::json run = {{"name", job.name}, {"top", job.top}, {"seconds", seconds}, {"yosys", yosys_version()}};
    write_text(out / "run.json", run.dump(2) + "\n");
    fs::rename(log, out / "yosys.log");
  });
  auto result = read_entry(job, digest, entry);
  result.seconds = seconds;
  return result;
}

std::vector<SynthResult> Synthesizer::synthesize_all(const std::vector<SynthJob>& jobs) {
  yosys_version();  // once, before the threads
  std::vector<std::string> keys;
  std::map<std::string, std::size_t> first_with_key;
  std::vector<std::size_t> distinct;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    keys.push_back(key(jobs[i]));
    if (first_with_key.emplace(keys.back(), i).second) distinct.push_back(i);
  }
  std::vector<SynthResult> results(jobs.size());
  run_parallel(distinct.size(), options_.jobs,
               [&](std::size_t d) { results[distinct[d]] = synthesize(jobs[distinct[d]]); });
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto first = first_with_key.at(keys[i]);
    if (first == i) continue;
    results[i] = results[first];
    results[i].name = jobs[i].name;
    results[i].from_cache = true;  // the same run serves it
  }
  return results;
}

}  // namespace codse::hw
