#include "interop/finn_folding.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/model/workload.hpp"

namespace codse::interop {
namespace {

/// Numbers nodes per op type in the order they are added, as GiveUniqueNodeNames does.
class FinnGraph {
 public:
  FinnNode& add(const std::string& op_type, const std::string& layer) {
    const int index = count_[op_type]++;
    nodes_.push_back({fmt::format("{}_{}", op_type, index), op_type, layer});
    return nodes_.back();
  }
  std::vector<FinnNode> take() { return std::move(nodes_); }

 private:
  std::map<std::string, int> count_;
  std::vector<FinnNode> nodes_;
};

/// How many units read each unit's output (the last entry: the network input).
std::vector<int> consumer_counts(const hw::Workload& workload) {
  const auto& units = workload.units();
  std::vector<int> counts(units.size() + 1, 0);
  for (const auto& unit : units)
    for (const auto input : unit.inputs) ++counts[input == hw::network_input ? units.size() : input];
  return counts;
}

void add_fork(FinnGraph& graph, const std::string& layer, int consumers, int channels) {
  if (consumers < 2) return;
  // One pixel of all channels per cycle, as codse's cost model assumes for units without knobs.
  graph.add("DuplicateStreams_Batch", layer).attributes = {{"PE", channels}};
}

void add_matrix_vector(FinnGraph& graph, const hw::Unit& unit, const hw::LayerMapping& layer) {
  if (unit.is_conv) {
    // The sliding window feeds the MVAU SIMD input channels per cycle; equal widths mean FINN
    // inserts no width converter between them.
    if (unit.padding > 0) graph.add("FMPadding_Batch", unit.name).attributes = {{"SIMD", layer.simd}};
    graph.add("ConvolutionInputGenerator", unit.name).attributes = {{"SIMD", layer.simd}};
  }
  const auto memory = finn_weight_memory(layer.storage);
  auto& mvau = graph.add("MatrixVectorActivation", unit.name);
  mvau.attributes = {{"PE", layer.pe},
                     {"SIMD", layer.simd},
                     {"ram_style", memory.ram_style},
                     {"resType", finn_res_type(layer.multipliers)},
                     {"mem_mode", memory.mem_mode}};
  // FINN keeps URAM weights only when they can be written at run time.
  if (layer.storage == hw::WeightStorage::uram) mvau.attributes["runtime_writeable_weights"] = 1;
}

/// A quantized network input is a quantizer on the float input in a QONNX model, which FINN's
/// convert step turns into a stand-alone Thresholding node ("input quantization (if any) as
/// standalone threshold"). It feeds the first unit as many channels per cycle as that unit reads
/// (the MVAU's SIMD), so FINN needs no width converter and it is never the slowest node.
void add_input_quantizer(FinnGraph& graph, const nn::Network& network, const hw::Workload& workload,
                         const hw::Mapping& mapping) {
  const auto& input = network.layers().front();
  if (input.activation_quant.is_float()) return;
  int pe = network.input_shape().channels;
  for (const auto& unit : workload.units()) {
    const bool reads_input = std::find(unit.inputs.begin(), unit.inputs.end(), hw::network_input) != unit.inputs.end();
    if (reads_input && unit.kind == hw::UnitKind::matrix_vector) pe = mapping.layer(unit.name).simd;
    if (reads_input) break;
  }
  graph.add("Thresholding_Batch", input.name).attributes = {{"PE", pe}};
}

void add_unit(FinnGraph& graph, const hw::Unit& unit, const hw::Mapping& mapping) {
  switch (unit.kind) {
    case hw::UnitKind::matrix_vector: add_matrix_vector(graph, unit, mapping.layer(unit.name)); return;
    case hw::UnitKind::pool: graph.add("StreamingMaxPool_Batch", unit.name); return;  // no folding in 2-D
    case hw::UnitKind::add:
      graph.add("AddStreams_Batch", unit.name).attributes = {{"PE", unit.in_channels}};
      if (unit.requant != hw::Requant::none)
        graph.add("Thresholding_Batch", unit.name).attributes = {{"PE", unit.out_channels}};
      return;
    case hw::UnitKind::requant:
      graph.add("Thresholding_Batch", unit.name).attributes = {{"PE", unit.out_channels}};
      return;
  }
}

}  // namespace

FinnWeightMemory finn_weight_memory(hw::WeightStorage storage) {
  switch (storage) {
    case hw::WeightStorage::bram: return {"block", "decoupled"};
    case hw::WeightStorage::uram: return {"ultra", "decoupled"};
    case hw::WeightStorage::lutram: return {"distributed", "decoupled"};
    case hw::WeightStorage::logic: return {"distributed", "const"};
    case hw::WeightStorage::offchip: return {"auto", "external"};
  }
  return {"auto", "const"};
}

std::string finn_res_type(hw::MultiplierStyle style) {
  switch (style) {
    case hw::MultiplierStyle::lut: return "lut";
    case hw::MultiplierStyle::dsp: return "dsp";
    case hw::MultiplierStyle::automatic: return "auto";
  }
  return "auto";
}

std::vector<FinnNode> finn_dataflow_nodes(const nn::Network& network, const hw::Mapping& mapping) {
  if (mapping.accelerator != "folded")
    throw InputError(fmt::format("FINN folding config: the mapping's template is '{}'; FINN builds the folded "
                                 "template (PE/SIMD) only",
                                 mapping.accelerator));
  const hw::Workload workload(network);
  const auto consumers = consumer_counts(workload);
  const auto& units = workload.units();
  FinnGraph graph;
  add_input_quantizer(graph, network, workload, mapping);
  add_fork(graph, network.layers().front().name, consumers.back(), network.input_shape().channels);
  for (std::size_t u = 0; u < units.size(); ++u) {
    add_unit(graph, units[u], mapping);
    add_fork(graph, units[u].name, consumers[u], units[u].out_channels);
  }
  return graph.take();
}

nlohmann::ordered_json finn_folding_config(const std::vector<FinnNode>& nodes) {
  nlohmann::ordered_json config = {{"Defaults", nlohmann::ordered_json::object()}};
  for (const auto& node : nodes) config[node.name] = node.attributes;
  return config;
}

}  // namespace codse::interop
