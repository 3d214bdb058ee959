#pragma once
// A network through the hardware tools: its RTL (write_rtl), every layer module synthesized
// separately with Yosys (cached, in parallel), and on iCE40 the whole top level placed and routed
// with nextpnr-ice40 and packed into a bitstream. The result is an Estimate of fidelity
// synthesis (resources: the sum of the layer modules) or place_and_route (resources of the placed
// design, clock = the achieved fmax). Cycles, latency and off-chip traffic are the analytic
// estimator's: synthesis measures area and timing, not cycles (the Verilator run measures those).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "hw/model/calibration.hpp"
#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/model/mapping.hpp"
#include "hw/rtl/rtl_design.hpp"
#include "hw/synth/synth_place_route.hpp"
#include "hw/synth/synth_runner.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"

namespace codse::hw {

struct NetworkSynthOptions {
  SynthOptions synth;
  std::filesystem::path out_dir;  // the RTL goes in out_dir/rtl, the bitstream to out_dir
  bool place_and_route = true;    // on iCE40 devices (the only ones with open place and route)
  PlaceRouteOptions place_route;
  Calibration calibration;        // the device's, for the analytic estimate synthesis starts from
};

struct NetworkSynthesis {
  Estimate estimate;
  RtlDesign rtl;
  std::vector<SynthResult> layers;          // one per RtlDesign layer module
  std::optional<SynthResult> top;           // the whole design in its IO wrapper (place and route)
  std::optional<PlaceRouteResult> placed;
  std::filesystem::path bitstream;          // out_dir/<network>.bin when placed
  std::int64_t wrapper_ffs = 0;             // registers the IO wrapper adds (counted in placed)
  std::int64_t tool_runs = 0;               // processes started (0 when everything was cached)
  double tool_seconds = 0.0;                // wall time of the runs that did run
};

/// The synthesis job of one RTL layer module: its .v files plus every file in the RTL directory
/// its Verilog names in a string literal (the $readmemh memory files), so the content hash covers
/// its weights.
SynthJob layer_synth_job(const RtlDesign& rtl, const RtlDesign::LayerModule& layer);

/// Writes the IO wrapper module `codse_pnr_top` around the top level into rtl.dir: the input word
/// fills a shift register from one pin (which also feeds the weight-load ports of rtl.loads,
/// under one more valid pin), the output word is XOR-reduced into one registered pin,
/// so the design fits the package's IOs (39 on the UP5K sg48) and no output bit is optimised away.
/// Returns the file name and sets the number of registers it adds.
std::string write_io_wrapper(const RtlDesign& rtl, int input_width, int output_width, std::int64_t& wrapper_ffs);

/// The whole flow. InputError for a network / model / mapping the templates cannot build;
/// runtime_error naming the log when a tool fails; an Estimate with fits = false when the
/// synthesized design exceeds the device (then no place and route).
NetworkSynthesis synthesize_network(const nn::Network& network, const nn::IntegerModel& model, const Mapping& mapping,
                                    const Device& device, const NetworkSynthOptions& options, ToolRunner& runner);

/// Fills an estimate's utilisation, fits and overflow from its total and the device, and its
/// power, fps, latency and energy from its clock (used after resources or clock were replaced).
void refresh_estimate(Estimate& estimate, const Device& device, double toggle_rate);

}  // namespace codse::hw
