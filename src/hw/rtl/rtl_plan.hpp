#pragma once
// The plan of the generated RTL: which hardware units compute which IntegerModel ops, and the
// format of every stream between them. The generator writes Verilog from it; the Verilator harness
// reads the port widths and probe points from it.
//
// Streams carry tensors in HWC order (pixel by pixel, all channels of a pixel together), `lanes`
// elements per word, each element `bits` wide: two's complement when signed, else unsigned. The
// IntegerModel keeps CHW order, so dense layers behind a convolution get their weight columns
// permuted and the harness permutes inputs and outputs.

#include <cstdint>
#include <string>
#include <vector>

#include "hw/model/mapping.hpp"
#include "nn/integer/integer_model.hpp"

namespace codse::hw {

struct StreamFormat {
  int lanes = 1;
  int bits = 1;
  bool is_signed = false;
  int width() const { return lanes * bits; }
};

/// The narrowest encoding of integers in [min, max]: unsigned when min >= 0.
StreamFormat element_format(std::int64_t min, std::int64_t max, int lanes);

enum class RtlUnitKind { matrix_vector, convolution, pool, add, requant, affine };
const char* to_string(RtlUnitKind kind);

struct RtlUnit {
  RtlUnitKind kind = RtlUnitKind::matrix_vector;
  std::string name;          // the network layer of its first op (the Mapping's name for weights)
  std::vector<int> ops;      // IntegerModel ops it computes, in order; the last is its output
  std::vector<int> inputs;   // producing unit per input (-1: the network input)
  std::vector<StreamFormat> in;  // format each input must arrive in
  StreamFormat out;
  int pe = 1, simd = 1;      // matrix_vector, convolution: the folding (unrolled: from the reuse)
  int skip_depth = 0;        // add: words of its skip FIFO
};

struct RtlPlan {
  std::string top;           // module name of the top level
  StreamFormat input;        // the top level's input stream
  std::vector<RtlUnit> units;  // in topological order; the last one drives the output
  const RtlUnit& output_unit() const { return units.back(); }
};

/// Throws InputError naming the op or layer when the model or mapping does not fit the templates
/// (e.g. PE not dividing the outputs).
RtlPlan plan_rtl(const nn::IntegerModel& model, const Mapping& mapping);

/// Position in the CHW tensor of the q-th element of its HWC stream.
std::int64_t chw_index(const nn::Shape& shape, std::int64_t q);

/// A Verilog identifier from any name (letters, digits, underscores; no leading digit).
std::string verilog_identifier(const std::string& name);

}  // namespace codse::hw
