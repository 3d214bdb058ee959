#include "hw/synth/synth_place_route.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/content_hash.hpp"

namespace codse::hw {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read the file", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::vector<std::string> nextpnr_args(const Device& device, const PlaceRouteOptions& options, const fs::path& out,
                                      const fs::path& netlist) {
  const auto [part, package] = nextpnr_ice40_part(device);
  return {part, "--package", package, "--json", netlist.string(), "--asc", (out / "design.asc").string(),
          "--freq", fmt::format("{}", options.target_mhz), "--report", (out / "report.json").string(),
          "--timing-allow-fail", "--seed", std::to_string(options.seed), "-q"};
}

}  // namespace

std::pair<std::string, std::string> nextpnr_ice40_part(const Device& device) {
  const auto part = lower(device.part);
  const auto dash = part.find('-');
  if (part.rfind("ice40", 0) != 0 || dash == std::string::npos || dash <= 5 || dash + 1 >= part.size())
    throw InputError(fmt::format("device {}: part '{}' is not an iCE40 part with a package (e.g. iCE40UP5K-SG48)",
                                 device.name, device.part));
  return {"--" + part.substr(5, dash - 5), part.substr(dash + 1)};
}

void read_nextpnr_report(const std::string& json_text, const std::string& source, PlaceRouteResult& result) {
  nlohmann::json report;
  try {
    report = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: nextpnr report is not valid JSON: {}", source, e.what()));
  }
  result.fmax_mhz = std::numeric_limits<double>::infinity();
  // Named copies: items() of a temporary would dangle.
  const nlohmann::json fmax = report.value("fmax", nlohmann::json::object());
  const nlohmann::json utilisation = report.value("utilization", nlohmann::json::object());
  for (const auto& [clock, timing] : fmax.items()) {
    if (clock.find("$PACKER_GND_NET") != std::string::npos || !timing.contains("achieved")) continue;
    const double achieved = timing["achieved"].get<double>();
    if (achieved < result.fmax_mhz) {
      result.fmax_mhz = achieved;
      result.clock = clock;
    }
  }
  if (result.clock.empty()) throw std::runtime_error(fmt::format("{}: nextpnr reported no clock", source));
  for (const auto& [bel, use] : utilisation.items())
    result.utilisation[bel] = {use.value("used", std::int64_t{0}), use.value("available", std::int64_t{0})};
}

PlaceRouteResult place_and_route_ice40(const SynthResult& synthesized, const Device& device,
                                       const PlaceRouteOptions& options, SynthesisCache& cache, ToolRunner& runner) {
  const auto netlist = synthesized.entry / "netlist.json";
  if (!fs::exists(netlist))
    throw std::logic_error(fmt::format("synthesis of {} wrote no netlist (SynthJob::write_netlist)", synthesized.name));
  ContentHash hash;
  hash.add_field("codse place and route v1");
  hash.add_field(cached_tool_version(runner, cache, "nextpnr-ice40", "--version"));
  for (const auto& arg : nextpnr_args(device, options, "@OUT@", "@NETLIST@")) hash.add_field(arg);
  hash.add_field(read_text(netlist));
  const auto key = hash.hex();

  PlaceRouteResult result;
  result.key = key;
  if (auto entry = cache.find(key)) {
    result.entry = *entry;
    result.from_cache = true;
  } else {
    const auto log = cache.run_log("nextpnr", key);
    const std::uint64_t memory = options.memory_limit > 0 ? options.memory_limit : default_tool_memory_limit(1);
    result.entry = cache.produce(key, [&](const fs::path& out) {
      const auto placed =
          runner.run({"nextpnr-ice40", nextpnr_args(device, options, out, netlist), out, log, options.timeout, memory});
      const auto packed = runner.run({"icepack", {(out / "design.asc").string(), (out / "design.bin").string()}, out,
                                      out / "icepack.log", options.timeout, memory});
      read_nextpnr_report(read_text(out / "report.json"), log.string(), result);
      std::ofstream(out / "run.json") << nlohmann::json{{"seconds", placed.seconds + packed.seconds}}.dump() << "\n";
      fs::rename(log, out / "nextpnr.log");
    });
  }
  read_nextpnr_report(read_text(result.entry / "report.json"), (result.entry / "report.json").string(), result);
  result.seconds = nlohmann::json::parse(read_text(result.entry / "run.json")).value("seconds", 0.0);
  return result;
}

}  // namespace codse::hw
