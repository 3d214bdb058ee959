#include "search/command_evaluator.hpp"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "search/shell_command.hpp"

namespace codse {
namespace {

namespace fs = std::filesystem;

constexpr const char* cache_file = "metrics.json";
constexpr const char* log_file = "run.log";

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The numbers of a JSON object (other values are ignored: a run may also print names or flags).
std::map<std::string, double> numbers_of(const nlohmann::json& object) {
  std::map<std::string, double> values;
  for (const auto& [name, value] : object.items())
    if (value.is_number() && std::isfinite(value.get<double>())) values[name] = value.get<double>();
  return values;
}

}  // namespace

CommandEvaluator::CommandEvaluator(const Space& space, const std::string& command, CommandEvaluatorOptions options)
    : space_(&space), command_(command, space), options_(std::move(options)) {
  if (!options_.metrics_file.empty()) {
    const fs::path file(options_.metrics_file);
    const auto normal = file.lexically_normal();
    if (file.is_absolute() || normal.empty() || *normal.begin() == "..")
      throw InputError(fmt::format("--metrics-file {}: must be a path relative to the design's directory",
                                   options_.metrics_file));
    if (normal == fs::path(cache_file) || normal == fs::path(log_file))
      throw InputError(fmt::format("--metrics-file {}: that name is codse's own ({} and {} are reserved)",
                                   options_.metrics_file, cache_file, log_file));
  }
  if (options_.timeout.count() < 0) throw InputError("--timeout: must not be negative");
}

fs::path CommandEvaluator::directory(const Design& design) const {
  return options_.workdir / design_key_hex(design);
}

std::optional<Metrics> CommandEvaluator::cached(const fs::path& directory, const std::string& line) const {
  const auto text = read_text(directory / cache_file);
  if (!text) return std::nullopt;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object() || json.value("command", std::string()) != line || !json.contains("metrics") ||
      !json["metrics"].is_object())
    return std::nullopt;  // another command ran here (or an unreadable file): run again
  Metrics metrics;
  metrics.values = numbers_of(json["metrics"]);
  metrics.fidelity = options_.fidelity;
  metrics.seconds = json.value("seconds", 0.0);
  for (const auto& name : options_.required_metrics)
    if (!metrics.values.count(name)) return std::nullopt;
  return metrics;
}

Metrics CommandEvaluator::read_metrics(const fs::path& directory, const std::string& last_line,
                                       const fs::path& log) const {
  std::string text = last_line;
  std::string source = "the last line of stdout";
  if (!options_.metrics_file.empty()) {
    source = (directory / options_.metrics_file).string();
    const auto file = read_text(directory / options_.metrics_file);
    if (!file) throw std::runtime_error(fmt::format("no metrics: {} was not written (log: {})", source, log.string()));
    text = *file;
  }
  if (text.empty()) throw std::runtime_error(fmt::format("no metrics: {} is empty (log: {})", source, log.string()));
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object())
    throw std::runtime_error(fmt::format("no metrics: {} is not a JSON object: {} (log: {})", source,
                                         text.substr(0, 120), log.string()));
  Metrics metrics;
  metrics.values = numbers_of(json);
  metrics.fidelity = options_.fidelity;
  for (const auto& name : options_.required_metrics)
    if (!metrics.values.count(name))
      throw std::runtime_error(fmt::format("missing metric {}: {} has no finite number of that name (log: {})", name,
                                           source, log.string()));
  return metrics;
}

Metrics CommandEvaluator::evaluate(const Design& design) {
  const auto dir = fs::absolute(directory(design));
  const auto line = command_.render(design, dir);
  if (auto metrics = cached(dir, line)) {
    ++cache_hits_;
    return *metrics;
  }
  fs::create_directories(dir);
  fs::remove(dir / cache_file);
  if (!options_.metrics_file.empty()) fs::remove(dir / options_.metrics_file);  // not a former run's
  const ShellCommand command{line, dir, dir / log_file, options_.timeout};
  ++runs_;
  const auto outcome = run_shell_command(command);
  if (!outcome.succeeded())
    throw std::runtime_error(
        fmt::format("the command {} (log: {})", outcome.describe(command), command.log.string()));
  auto metrics = read_metrics(dir, outcome.last_stdout_line, command.log);
  metrics.seconds = outcome.seconds;
  nlohmann::json entry{{"command", line}, {"metrics", metrics.values}, {"seconds", outcome.seconds}};
  write_file_atomically(dir / cache_file, entry.dump(2) + "\n");
  return metrics;
}

}  // namespace codse
