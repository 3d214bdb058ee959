#pragma once
// The cost of one hardware unit: resources, cycles per inference, latency and off-chip traffic.
// A unit's cost depends only on the unit, its own layer mapping, the template and the device,
// never on other units, except the skip FIFO of an add (see skip_fifo_cost). That independence
// is what lets the HAL build exact Pareto fronts layer by layer.

#include <cstdint>

#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/model/mapping.hpp"
#include "hw/model/workload.hpp"

namespace codse::hw {

struct UnitCost {
  Resources resources;
  std::int64_t cycles = 0;          // per inference: the unit's initiation interval
  std::int64_t latency_cycles = 0;  // first input to last output of one inference
  double offchip_bytes = 0.0;       // read from off-chip memory per inference
  Limiter limiter = Limiter::compute;
};

// The matrix-vector units' costs belong to their templates (hw/templates/*/..._cost.hpp).

/// A pool, add (without its skip FIFO) or requant unit; these have no knobs. `streamed` is true
/// on templates whose units talk through FIFOs (AcceleratorTemplate::streams_between_units).
/// `codse_rtl` (a calibrated device): no output FIFO (codse's units connect directly), and a
/// streamed pool or add costs nothing here: codse_swu, codse_maxpool and codse_add work in words
/// of as many lanes as the producer's PE (window_frames.hpp, window_logic.hpp, rtl_add_cost),
/// which the Estimator adds.
UnitCost fixed_unit_cost(const Unit& unit, const Device& device, bool streamed, bool codse_rtl);

/// The FIFO on the short branch of a residual add: it holds what arrives while the long branch
/// is still computing. Depth in words of one pixel (all channels): the branch latency difference
/// times the words the stream delivers per cycle in steady state (words per inference / II),
/// at least 2.
Resources skip_fifo_cost(const Unit& add, const Device& device, std::int64_t latency_difference,
                         std::int64_t ii_cycles);
/// The same for codse's RTL, whose streams carry `lanes` elements per word (the PE of the layer
/// upstream): codse_add's codse_fifo of words of lanes elements, channels / lanes words a pixel.
Resources rtl_skip_fifo_cost(const Unit& add, const Device& device, std::int64_t latency_difference,
                             std::int64_t ii_cycles, std::int64_t lanes);
/// codse_add at `lanes` elements per word, without its skip FIFO: per lane the shifted sum and
/// its requantization, and the unit's handshake.
Resources rtl_add_cost(const Unit& add, const Device& device, std::int64_t lanes);

/// Dynamic power in watts of resources clocked at clock_mhz with the given switching activity:
/// the device's per-primitive coefficients (microwatts per MHz at power.toggle_rate) scaled
/// linearly with the toggle rate, as the XPE spreadsheet scales them (P = C V^2 f alpha per net).
/// The coefficients are data/devices.json's "power" entries: order-of-magnitude values of the
/// vendors' power estimators (Xilinx XPE, Lattice Radiant's calculator) at XPE's default 12.5 %
/// activity, +-50 % (the catalog's "about" says so); they are not calibrated. The activity can be
/// measured: toggle_rate from VerifyResult::activity (codse hw verify --activity: Verilator's
/// toggle counts of the matrix-vector registers under real test inputs).
double dynamic_power_w(const Resources& resources, const Device& device, double clock_mhz,
                       double toggle_rate);

}  // namespace codse::hw
