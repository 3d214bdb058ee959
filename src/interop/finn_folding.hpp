#pragma once
// FINN's folding configuration of a folded mapping (docs/FORMATS.md, "FINN folding config").
//
// FINN (v0.9) reads a JSON object keyed by node name, {"Defaults": {}, "MatrixVectorActivation_0":
// {"PE": 16, "SIMD": 49, ...}, ...}, and sets those attributes on the nodes of its dataflow
// partition (step_apply_folding_config: GiveUniqueNodeNames, then ApplyConfig). The names are
// the ones GiveUniqueNodeNames gives: OpType_k, where k counts the nodes of that op type in graph
// order from 0. So codse predicts, from the network, which FINN nodes its streamlined and
// converted graph holds and in which order, and names them the same way.
//
// A quantized network input becomes a Thresholding_Batch (FINN converts the input quantizer into
// one), then each codse hardware unit (hw::Workload) becomes, in network order:
//   dense           MatrixVectorActivation (thresholds absorbed; noActivation for the logits)
//   conv2d          [FMPadding_Batch when padded], ConvolutionInputGenerator, MatrixVectorActivation
//   maxpool2d       StreamingMaxPool_Batch
//   add             AddStreams_Batch [, Thresholding_Batch when a quant layer follows it]
//   lone requant    Thresholding_Batch
// and a tensor read by two or more units gets a DuplicateStreams_Batch right after its producer.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/model/mapping.hpp"
#include "nn/ir/network.hpp"

namespace codse::interop {

/// One node of FINN's dataflow partition, as codse predicts it.
struct FinnNode {
  std::string name;     ///< OpType_k, as GiveUniqueNodeNames names it
  std::string op_type;  ///< FINN v0.9's custom op
  std::string layer;    ///< the codse layer that starts the hardware unit it belongs to
  nlohmann::ordered_json attributes = nlohmann::ordered_json::object();  ///< what the config sets
};

/// The FINN release whose op types and attributes the config follows.
inline constexpr const char* finn_version = "v0.9";

/// The nodes of FINN's dataflow partition for network under a folded mapping, in graph order.
/// Throws InputError when the mapping is not folded or misses a layer with weights.
std::vector<FinnNode> finn_dataflow_nodes(const nn::Network& network, const hw::Mapping& mapping);

/// The folding config file's object: "Defaults" (empty) then one entry per node, in graph order.
nlohmann::ordered_json finn_folding_config(const std::vector<FinnNode>& nodes);

/// FINN's ram_style and mem_mode for a weight storage (bram: block/decoupled, uram: ultra/decoupled,
/// lutram: distributed/decoupled, logic: distributed/const, offchip: auto/external).
struct FinnWeightMemory {
  std::string ram_style;
  std::string mem_mode;
};
FinnWeightMemory finn_weight_memory(hw::WeightStorage storage);
/// FINN's resType for a multiplier style: lut, dsp or auto.
std::string finn_res_type(hw::MultiplierStyle style);

}  // namespace codse::interop
