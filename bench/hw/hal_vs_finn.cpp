// The HAL's Pareto front against FINN's folding heuristic, and how long the HAL takes.
//
// For each network and device: map_network (the HAL) over the default folded mapping space (objectives
// lut, bram18, dsp minimised and fps maximised, must fit), timed, once as is and once without
// FINN's foldings among its candidates (MapOptions::finn_seeds); then FINN's SetFolding at cycle
// targets 2^k (weights in BRAM, multipliers auto, the device's default clock). For every target
// whose folding fits, the table gives the heuristic's cost and the cheapest front mapping that is
// at least as fast and uses no more BRAM and DSP, and says whether a front mapping dominates or
// equals the heuristic's: "dominated" when a front mapping is strictly better somewhere, "equal"
// when the best is the heuristic's own cost vector (the exact front contains it when nothing beats
// it; an approximate front contains it because the HAL adds FINN's foldings to its candidates).
//
//   bench_hw_hal_vs_finn [NETWORK:DEVICE ...]   (default: the FINN MLPs and the MNIST MLP)
// Prints Markdown (bench/hw/run.sh writes it to bench/hw/RESULTS.md).

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hw/model/device_catalog.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/templates/folded/finn_folding.hpp"
#include "hw/map/hal.hpp"
#include "nn/ir/network_io.hpp"

namespace {

using namespace codse;
using namespace codse::hw;

struct Case {
  std::string network;
  std::string device;
};

bool no_worse(const Estimate& a, const Estimate& b) {
  return a.total.lut <= b.total.lut && a.total.bram18 <= b.total.bram18 && a.total.dsp <= b.total.dsp && a.fps >= b.fps;
}

void compare(const Case& c) {
  const auto network = nn::load_network(std::string(CODSE_SOURCE_DIR) + "/examples/networks/" + c.network + ".json");
  const auto catalog = DeviceCatalog::builtin();
  const auto& device = catalog.find(c.device);
  const std::vector<Objective> objectives{Objective::parse("lut:min"), Objective::parse("bram18:min"),
                                          Objective::parse("dsp:min"), Objective::parse("fps:max")};
  const Estimator estimator(network, device, catalog.calibration(c.device));
  const auto result = map_network(estimator, objectives, {});
  MapOptions alone;
  alone.finn_seeds = false;
  const auto unseeded = map_network(estimator, objectives, {}, alone);
  fmt::print("## {} on {}\n\n", c.network, c.device);
  fmt::print("HAL: {} over {:.3g} mappings in {:.2f} s: {} mappings on the front ({} layer mappings costed, "
             "{} partial states, largest intermediate front {}, dominance on {} quantities).\n\n",
             result.method, result.space_size, result.seconds, result.front.size(), result.layerwise.layer_options,
             result.layerwise.partial_states, result.layerwise.largest_front, result.layerwise.dominance_dims);
  fmt::print("| target cycles | FINN: PE,SIMD per layer | FINN lut / bram18 / dsp / fps | HAL cheapest at least as fast, "
             "no more BRAM/DSP: lut / bram18 / dsp / fps | LUT saved | heuristic is |\n");
  fmt::print("|---|---|---|---|---|---|\n");
  std::int64_t slowest = 1;
  for (std::size_t i = 0; i < estimator.workload().weight_units().size(); ++i) {
    const auto& unit = estimator.workload().weight_unit(i);
    slowest = std::max(slowest, unit.mw * unit.mh * unit.pixels);
  }
  std::int64_t previous_ii = -1;
  std::size_t targets = 0, covered_alone = 0;
  for (std::int64_t target = 1; target <= slowest * 2; target *= 2) {
    FoldingOptions folding;
    folding.target_cycles = target;
    const auto mapping = finn_folding(estimator.workload(), device, folding);
    const auto heuristic = estimator.estimate(mapping);
    if (!heuristic.fits || heuristic.ii_cycles == previous_ii) continue;
    previous_ii = heuristic.ii_cycles;
    std::string folds;
    for (const auto& layer : mapping.layers) folds += fmt::format("{}{},{}", folds.empty() ? "" : " ", layer.pe, layer.simd);
    ++targets;
    if (std::any_of(unseeded.front.begin(), unseeded.front.end(),
                    [&](const FrontPoint& p) { return no_worse(p.estimate, heuristic); }))
      ++covered_alone;
    const FrontPoint* best = nullptr;
    for (const auto& point : result.front)
      if (no_worse(point.estimate, heuristic) && (!best || point.estimate.total.lut < best->estimate.total.lut))
        best = &point;
    const auto cost = [](const Estimate& e) {
      return fmt::format("{:.0f} / {:.0f} / {:.0f} / {:.0f}", e.total.lut, e.total.bram18, e.total.dsp, e.fps);
    };
    const bool equal = best && best->estimate.total.lut == heuristic.total.lut &&
                       best->estimate.total.bram18 == heuristic.total.bram18 &&
                       best->estimate.total.dsp == heuristic.total.dsp && best->estimate.fps == heuristic.fps;
    fmt::print("| {} | {} | {} | {} | {} | {} |\n", target, folds, cost(heuristic), best ? cost(best->estimate) : "none",
               best ? fmt::format("{:.1f} %", 100.0 * (1.0 - best->estimate.total.lut / heuristic.total.lut)) : "-",
               !best ? "NO" : equal ? "equal" : "dominated");
  }
  fmt::print("\nWithout FINN's foldings among the candidates ({}, {} mappings on the front) the front covers the "
             "heuristic at {} of these {} targets.\n\n",
             unseeded.method, unseeded.front.size(), covered_alone, targets);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Case> cases;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto colon = arg.find(':');
    cases.push_back({arg.substr(0, colon), arg.substr(colon + 1)});
  }
  if (cases.empty())
    cases = {{"mnist_mlp_w4a4", "XC7Z020"}, {"sfc_w1a1", "XC7Z020"}, {"lfc_w1a1", "XC7Z045"}, {"digits_mlp_w2a2", "iCE40UP5K"}};
  for (const auto& c : cases) compare(c);
  return 0;
}
