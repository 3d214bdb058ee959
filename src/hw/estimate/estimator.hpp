#pragma once
// The analytic Estimator: the cost of a mapping of one network on one device, in microseconds.
// Everything that depends only on the network and the device (the workload, the units without
// knobs) is computed once in the constructor; estimate_into() then only runs the per-layer
// formulas of the mapping's template (hw/templates) and sums, without allocating once its output
// has been filled for this network. The calibration is the device's (DeviceCatalog::calibration);
// the default is the identity, the templates' published formulas.

#include <cstddef>
#include <vector>

#include "hw/cost/accelerator_template.hpp"
#include "hw/cost/unit_cost.hpp"
#include "hw/model/calibration.hpp"
#include "hw/model/device.hpp"
#include "hw/model/estimate.hpp"
#include "hw/model/mapping.hpp"
#include "hw/model/workload.hpp"
#include "nn/ir/network.hpp"

namespace codse::hw {

class Estimator {
 public:
  Estimator(const nn::Network& network, Device device, Calibration calibration = {});
  Estimator(Workload workload, Device device, Calibration calibration = {});

  const Workload& workload() const { return workload_; }
  const Device& device() const { return device_; }
  const Calibration& calibration() const { return calibration_; }

  /// Validates the mapping (InputError with the reason) and estimates it.
  Estimate estimate(const Mapping& mapping) const;
  /// Estimates into out, reusing its storage. The mapping must be valid (validate()): this is
  /// the hot path and checks nothing.
  void estimate_into(const Mapping& mapping, Estimate& out) const;

  /// The cost of the i-th layer with weights (workload().weight_unit(i)) under one layer mapping,
  /// with the pools and adds it feeds on a calibrated device (codse's RTL: their words have as
  /// many lanes as this layer's PE, so their cost moves with this layer's mapping; estimate()
  /// reports them under the pools and adds).
  UnitCost layer_cost(std::size_t weight_layer, const LayerMapping& mapping, const AcceleratorTemplate& accelerator) const;
  /// The cost of a unit without knobs (pool, add without its skip FIFO, requant); zero for
  /// matrix_vector units.
  const UnitCost& fixed_cost(std::size_t unit, const AcceleratorTemplate& accelerator) const;

 private:
  void precompute();
  UnitCost own_layer_cost(std::size_t weight_layer, const LayerMapping& mapping,
                          const AcceleratorTemplate& accelerator) const;
  /// A pool in codse's RTL whose stream has `lanes` elements per word: its codse_swu (frame banks
  /// and logic) and codse_maxpool, all of which scale with the lanes.
  Resources rtl_pool(const Unit& pool, std::int64_t lanes) const;
  /// rtl_pool, or for an add rtl_add_cost.
  Resources rtl_lanes_cost(const Unit& unit, std::int64_t lanes) const;
  /// rtl_lanes_cost of a pool or add unit for calibrated devices and streaming templates (codse's
  /// RTL); zero otherwise (the unit's fixed cost is all of it).
  Resources streamed_lanes_cost(std::size_t unit, std::int64_t lanes, const AcceleratorTemplate& accelerator) const;

  Workload workload_;
  Device device_;
  Calibration calibration_;
  std::vector<UnitCost> fixed_streamed_;  // units talking through FIFOs
  std::vector<UnitCost> fixed_wired_;
  std::vector<std::size_t> mapping_index_;  // unit -> index into Mapping::layers, or npos
  // Pools (and, in codse's RTL, adds) whose stream's lanes the nearest weight layer upstream sets:
  std::vector<std::size_t> lane_producer_;  // unit -> that weight layer, or npos
  std::vector<std::vector<std::size_t>> lanes_fed_;  // weight layer -> the units it sets lanes of
};

/// Validates and estimates in one call (builds an Estimator; for many estimates keep one).
Estimate estimate(const nn::Network& network, const Mapping& mapping, const Device& device,
                  const Calibration& calibration = {});

}  // namespace codse::hw
