#pragma once
// iCE40 place and route with nextpnr-ice40 and the bitstream with icepack (fpga-icestorm), on a
// netlist the Synthesizer wrote (SynthJob::write_netlist). Cached like synthesis, by the netlist's
// hash, the nextpnr version and the command line. Only iCE40 has open place and route among the
// Debian packages (TOOLCHAIN.md section 3).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "hw/model/device.hpp"
#include "hw/synth/synth_runner.hpp"

namespace codse::hw {

struct BelUse {
  std::int64_t used = 0;
  std::int64_t available = 0;
};

struct PlaceRouteResult {
  std::string key;
  std::filesystem::path entry;      // report.json, design.asc, design.bin, nextpnr.log
  double fmax_mhz = 0.0;            // achieved, of the design clock (nextpnr's timing analysis)
  std::string clock;                // which clock net that was
  std::map<std::string, BelUse> utilisation;  // nextpnr's bels: ICESTORM_LC, ICESTORM_RAM, ...
  double seconds = 0.0;             // nextpnr + icepack wall time of the run
  bool from_cache = false;
  std::filesystem::path bitstream() const { return entry / "design.bin"; }
};

struct PlaceRouteOptions {
  double target_mhz = 12.0;  // --freq; the run does not fail below it (--timing-allow-fail)
  int seed = 1;
  std::chrono::milliseconds timeout{std::chrono::minutes(20)};
  std::uint64_t memory_limit = 0;  // bytes of address space nextpnr may map; 0: default_tool_memory_limit(1)
};

/// nextpnr-ice40's device option and package from the catalog's part ("iCE40UP5K-SG48" ->
/// "--up5k", "sg48"); InputError naming the device for a part it cannot read.
std::pair<std::string, std::string> nextpnr_ice40_part(const Device& device);

/// Places and routes the netlist of `synthesized` on the device and packs the bitstream.
/// runtime_error naming the log when nextpnr fails (e.g. the design does not fit).
PlaceRouteResult place_and_route_ice40(const SynthResult& synthesized, const Device& device,
                                       const PlaceRouteOptions& options, SynthesisCache& cache, ToolRunner& runner);

/// Reads nextpnr's --report JSON: the achieved fmax of the design clock (the `$PACKER_GND_NET`
/// pseudo clock of SB_MAC16 designs is ignored; with several clocks, the slowest) and the bels.
void read_nextpnr_report(const std::string& json_text, const std::string& source, PlaceRouteResult& result);

}  // namespace codse::hw
