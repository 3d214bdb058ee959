#pragma once
// The hardware cost of (network, mapping, device): per unit and in total. The analytic Estimator
// and the synthesis flow (a later issue) both produce this type; `fidelity` says which did.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/trial.hpp"
#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"

namespace codse::hw {

/// Primitive counts. bram18 counts the device's block RAM primitive (RAMB18 on Xilinx, EBR on
/// Lattice), uram its large RAM blocks (URAM288, SPRAM). lutram is the part of lut used as
/// distributed RAM (it also counts in lut).
struct Resources {
  double lut = 0.0;
  double ff = 0.0;
  double dsp = 0.0;
  double bram18 = 0.0;
  double uram = 0.0;
  double lutram = 0.0;

  Resources& operator+=(const Resources& other) {
    lut += other.lut;
    ff += other.ff;
    dsp += other.dsp;
    bram18 += other.bram18;
    uram += other.uram;
    lutram += other.lutram;
    return *this;
  }
};

/// What bounds a unit's cycles: its arithmetic (compute), its on-chip memory traffic (memory:
/// the sliding-window buffer of a convolution), or the off-chip bandwidth (bandwidth).
enum class Limiter { compute, memory, bandwidth };
const char* to_string(Limiter limiter);

struct LayerEstimate {
  std::string name;  // the network layer that starts the unit
  std::string unit;  // "matrix_vector", "pool", "add", "requant"
  Resources resources;
  std::int64_t cycles = 0;          // cycles to process one inference (its initiation interval)
  std::int64_t latency_cycles = 0;  // cycles from its first input to its last output
  std::int64_t finish_cycles = 0;   // when its last output leaves, from the inference's start
  double offchip_bytes = 0.0;       // bytes read from off-chip memory per inference
  double power_w = 0.0;             // dynamic
  Limiter limiter = Limiter::compute;
  bool bottleneck = false;
};

struct Utilisation {
  double lut = 0.0, ff = 0.0, dsp = 0.0, bram18 = 0.0, uram = 0.0, lutram = 0.0;
};

struct Estimate {
  Fidelity fidelity = Fidelity::analytic;
  std::string network;
  std::string device;
  std::string accelerator = "folded";  // the mapping's template
  double clock_mhz = 0.0;

  Resources total;
  std::int64_t ii_cycles = 0;       // cycles between inferences in steady state
  std::int64_t latency_cycles = 0;  // one inference, input to output
  double latency_us = 0.0;
  double fps = 0.0;                 // inferences per second: min(fps_compute, fps_bandwidth)
  double fps_compute = 0.0;         // what the slowest unit allows
  double fps_bandwidth = 0.0;       // what the off-chip bandwidth allows (infinite without)
  double offchip_bytes = 0.0;       // per inference
  double offchip_gbps = 0.0;        // needed to run at fps_compute
  double power_static_w = 0.0;
  double power_dynamic_w = 0.0;
  double power_w = 0.0;
  double energy_uj = 0.0;           // per inference: power / fps
  Utilisation utilisation;          // fraction of the device, per resource
  bool fits = false;
  std::string overflow;             // the resources that do not fit, comma separated
  std::size_t bottleneck = 0;       // index into layers
  Limiter limiter = Limiter::compute;
  std::vector<LayerEstimate> layers;

  /// The totals as metrics for a Trial: lut, ff, dsp, bram18, uram, lutram, ii_cycles,
  /// latency_cycles, latency_us, fps, offchip_gbps, power_w, energy_uj, fits (0 or 1), and the
  /// utilisation of each resource (lut_util, ...).
  Metrics to_metrics() const;
};

/// Names Estimate::to_metrics produces, in that order.
const std::vector<std::string>& estimate_metric_names();

/// One kind of resource: its name (the metric and the JSON key), its count in Resources, its
/// share in Utilisation and how many the device has.
struct ResourceKind {
  const char* name;
  double Resources::*count;
  double Utilisation::*share;
  std::int64_t (*available)(const Device&);
};

/// lut, ff, dsp, bram18, uram, lutram: the order of every table, metric list and message.
const std::array<ResourceKind, 6>& resource_kinds();

/// Sets the estimate's utilisation (a resource the device lacks is infinitely used when used at
/// all), fits and overflow ("bram18, dsp": the resources over 100 %) from its total.
void check_fit(Estimate& estimate, const Device& device);

}  // namespace codse::hw
