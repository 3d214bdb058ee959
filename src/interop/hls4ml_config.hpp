#pragma once
// hls4ml's configuration of an unrolled mapping (docs/FORMATS.md, "hls4ml config"): the YAML file
// `hls4ml convert -c config.yml` reads, with the structure hls4ml's config_from_*_model(...,
// granularity='name') produce under HLSConfig: a Model section (defaults) and a LayerName section
// with, per layer, Precision (ap_fixed<W,I> / ap_int<W> from the integer model's exact formats),
// ReuseFactor (the mapping's reuse factor) and Strategy (Latency when the weights are logic
// constants, Resource when they sit in memories).

#include <string>

#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"

namespace codse::interop {

/// hls4ml's precision of integers of `bits` bits (two's complement when is_signed) standing for
/// integer * 2^scale_log2: ap_int<W> / ap_uint<W> when scale_log2 is 0, else ap_fixed<W,W+e> /
/// ap_ufixed<W,W+e> (I, the integer bits, may be negative or exceed W: the binary point lies
/// outside the word).
std::string hls_precision(int bits, bool is_signed, int scale_log2);

/// hls4ml's Strategy for a layer's weight storage: Latency for logic (constants in the datapath),
/// Resource otherwise (weights in arrays HLS maps to memories).
std::string hls4ml_strategy(hw::WeightStorage storage);

struct Hls4mlInputs {
  const nn::Network* network = nullptr;
  const hw::Mapping* mapping = nullptr;             ///< unrolled
  const nn::IntegerModel* integer_model = nullptr;  ///< optional: without it no Precision is written
  const hw::Device* device = nullptr;               ///< optional: its part
  std::string model_file;                           ///< written as OnnxModel when not empty
};

/// The config.yml text. Throws InputError when the mapping is not unrolled.
std::string hls4ml_config_yaml(const Hls4mlInputs& inputs);

}  // namespace codse::interop
