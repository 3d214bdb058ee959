#pragma once
// The Workload is what the hardware must compute for one inference of a Network, in hardware
// units (Timeloop keeps the workload apart from architecture and mapping; so does codse):
//   matrix_vector  a dense or conv2d layer with the batchnorm / relu / quant that follow it
//                  (FINN's MVAU with its thresholds; conv adds the sliding-window unit)
//   pool           a maxpool2d layer
//   add            a residual add (two inputs) with the activation that follows it
//   requant        a batchnorm / relu / quant chain no compute unit absorbed
// Flatten and dropout cost nothing. Everything here depends on the network only, so it is
// computed once per network and the estimator's hot path only reads it.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nn/ir/network.hpp"

namespace codse::hw {

enum class UnitKind { matrix_vector, pool, add, requant };
/// How a unit turns accumulators into its output activation.
///  none:       outputs the accumulator (FINN's noActivation; the network's last layer)
///  shift:      bias, power-of-two rescale and clip (no batchnorm to fold)
///  thresholds: 2^B - 1 thresholds per channel compared with the accumulator (batchnorm and the
///              activation folded into thresholds, as FINN's streamlining does)
enum class Requant { none, shift, thresholds };

const char* to_string(UnitKind kind);

/// Stands in Unit::inputs for the network's input (no unit produces it).
inline constexpr std::size_t network_input = static_cast<std::size_t>(-1);

/// Bits a float (unquantized) tensor gets in hardware: hls4ml's default ap_fixed<16,6>.
inline constexpr int float_hardware_bits = 16;

struct Unit {
  UnitKind kind = UnitKind::matrix_vector;
  std::string name;                  // the network layer that starts the unit
  std::vector<std::string> absorbs;  // following layers folded into it (batchnorm, relu, quant...)
  std::vector<std::size_t> inputs;   // producing unit per input; network_input for the input
  std::size_t layer = 0;             // index of `name` in the network

  // Tensor geometry: input channels x height x width (before padding) and output.
  int in_channels = 0, in_height = 1, in_width = 1;
  int out_channels = 0, out_height = 1, out_width = 1;
  int kernel = 0;   // conv2d and maxpool2d; 0 for dense
  int stride = 1;
  int padding = 0;

  // matrix_vector only.
  bool is_conv = false;
  std::int64_t mh = 0;       // outputs per input vector (units / filters)
  std::int64_t mw = 0;       // inputs per output (features; in_channels * kernel^2 for conv)
  std::int64_t pixels = 1;   // input vectors per inference (output pixels for conv)
  int weight_bits = 0;       // float weights count as float_hardware_bits
  bool weight_signed = true;
  bool bipolar_weights = false;  // 1-bit signed (+-1), none pruned: one bit each, added or subtracted
  bool bipolar_inputs = false;   // 1-bit signed (+-1) inputs, no zero padding (a third value)
  bool xnor = false;             // bipolar weights and inputs: XNOR-popcount
  int acc_bits = 0;
  double nonzero_fraction = 1.0;     // 1 - the layer's sparsity target
  double shift_weight_fraction = 0;  // of the non-zero weight levels, the +-2^k ones

  // Every unit.
  int input_bits = 0;  // bits of each input element (the first input for add)
  bool input_signed = true;
  int output_bits = 0;
  Requant requant = Requant::none;
  int thresholds = 0;  // per channel when requant == thresholds
  // matrix_vector: the network's output leaves this unit through a per-channel affine map (a
  // trained bias or batchnorm after the last weighted layer, no quant; codse_affine in the RTL).
  bool output_affine = false;
};

/// The widths a matrix-vector unit is built with, where they are narrower than declared: a trained
/// network's RTL stores its weights as wide as their values need and sizes its accumulators by the
/// recorded bounds (hw/rtl/trained_widths.hpp reads them from the integer model).
struct UnitWidths {
  int weight_bits = 2;           // as stored: two's complement, 1 for bipolar weights
  bool bipolar_weights = false;  // all +-1: one bit each, added or subtracted
  int acc_bits = 0;
};
/// Per unit, by the name of the layer that starts it (Unit::name).
using BuiltWidths = std::map<std::string, UnitWidths>;

class Workload {
 public:
  /// Throws InputError naming the layer for what the hardware templates do not support.
  explicit Workload(const nn::Network& network);
  /// The workload with the widths some matrix-vector units are built with instead of their
  /// declared ones (a trained network's: hw/rtl/trained_widths.hpp; units not listed keep theirs).
  Workload(const nn::Network& network, const BuiltWidths& built);

  const std::string& network_name() const { return network_name_; }
  const std::vector<Unit>& units() const { return units_; }
  /// Indices into units() of the matrix_vector units, in network order: the layers a Mapping maps.
  const std::vector<std::size_t>& weight_units() const { return weight_units_; }
  const Unit& weight_unit(std::size_t i) const { return units_[weight_units_[i]]; }
  bool has_skip_connections() const;

 private:
  std::string network_name_;
  std::vector<Unit> units_;
  std::vector<std::size_t> weight_units_;
};

/// Accumulator width of a dot product of n terms: the product of a w-bit and an a-bit integer
/// fits in w + a bits and a sum of n of them needs ceil(log2 n) more (an upper bound; the
/// integer model will give exact widths). XNOR-popcount counts to n: ceil(log2(n + 1)) bits.
int accumulator_bits(int weight_bits, int input_bits, std::int64_t n, bool xnor);

/// Of the non-zero levels a weight of this quantization can take, the fraction that are +-2^k
/// (multiplying by them is a shift). Levels are assumed equally likely (no weights are known).
double shift_level_fraction(const nn::QuantSpec& quant);

}  // namespace codse::hw
