#include "hw/model/workload.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::hw {
namespace {

using nn::LayerKind;

/// Bits and signedness of a value flowing between units.
struct ValueType {
  int bits = float_hardware_bits;
  bool is_signed = true;
};

bool is_activation(LayerKind kind) {
  return kind == LayerKind::batchnorm || kind == LayerKind::relu || kind == LayerKind::quant ||
         kind == LayerKind::dropout || kind == LayerKind::flatten;
}

int hardware_bits(const nn::QuantSpec& quant) { return quant.is_float() ? float_hardware_bits : quant.bits; }

/// Thresholds needed to produce a B-bit output: 2^B - 1 steps, one for the sign of a bipolar value.
int threshold_count(const ValueType& out) {
  if (out.bits == 1) return 1;
  return (1 << std::min(out.bits, 16)) - 1;
}

class WorkloadBuilder {
 public:
  WorkloadBuilder(const nn::Network& network, const BuiltWidths& built)
      : network_(network),
        built_(built),
        layers_(network.layers()),
        consumers_(layers_.size()),
        producer_(layers_.size(), network_input),
        value_(layers_.size()),
        absorbed_(layers_.size(), false) {
    for (std::size_t i = 0; i < layers_.size(); ++i)
      for (const auto input : network.input_indices(i)) consumers_[input].push_back(i);
  }

  std::vector<Unit> build() {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      if (absorbed_[i]) continue;
      const auto& layer = layers_[i];
      switch (layer.kind) {
        case LayerKind::input: {
          const auto quant = network_.output_quant(i);
          value_[i] = {hardware_bits(quant), quant.is_float() ? true : quant.is_signed};
          break;
        }
        case LayerKind::flatten:
        case LayerKind::dropout:
          pass_through(i);
          break;
        case LayerKind::dense:
        case LayerKind::conv2d:
          add_matrix_vector(i);
          break;
        case LayerKind::maxpool2d:
          add_pool(i);
          break;
        case LayerKind::add:
          add_residual(i);
          break;
        case LayerKind::batchnorm:
        case LayerKind::relu:
        case LayerKind::quant:
          add_requant(i);
          break;
      }
    }
    return std::move(units_);
  }

 private:
  std::size_t input_of(std::size_t i, std::size_t k = 0) const { return network_.input_indices(i).at(k); }

  void pass_through(std::size_t i) {
    const auto from = input_of(i);
    producer_[i] = producer_[from];
    value_[i] = value_[from];
  }

  Unit start_unit(UnitKind kind, std::size_t i) {
    Unit unit;
    unit.kind = kind;
    unit.name = layers_[i].name;
    unit.layer = i;
    for (const auto input : network_.input_indices(i)) unit.inputs.push_back(producer_[input]);
    const auto& in = network_.shapes().at(input_of(i));
    const auto& out = network_.shapes().at(i);
    unit.in_channels = in.channels;
    unit.in_height = in.height;
    unit.in_width = in.width;
    unit.out_channels = out.channels;
    unit.out_height = out.height;
    unit.out_width = out.width;
    const auto& input_value = value_[input_of(i)];
    unit.input_bits = input_value.bits;
    unit.input_signed = input_value.is_signed;
    return unit;
  }

  /// Follows the single-consumer chain of batchnorm / relu / quant / dropout / flatten layers
  /// after layer i and absorbs it into the unit; stops after a quant (the unit's output
  /// activation) or at a fork. Returns the last absorbed layer (i when none).
  std::size_t absorb_chain(std::size_t i, Unit& unit, bool& has_batchnorm, bool& has_quant) {
    std::size_t tail = i;
    has_batchnorm = has_quant = false;
    while (consumers_[tail].size() == 1) {
      const auto next = consumers_[tail][0];
      if (!is_activation(layers_[next].kind) || network_.input_indices(next).size() != 1) break;
      absorbed_[next] = true;
      unit.absorbs.push_back(layers_[next].name);
      has_batchnorm = has_batchnorm || layers_[next].kind == LayerKind::batchnorm;
      tail = next;
      if (layers_[next].kind == LayerKind::quant) {
        has_quant = true;
        break;
      }
    }
    return tail;
  }

  /// Sets the output type and requantization of a unit whose chain ends at tail, and records
  /// the unit as the producer of every layer from i to tail.
  void finish_unit(Unit unit, std::size_t i, std::size_t tail, bool has_batchnorm, bool has_quant,
                   const ValueType& unquantized_output) {
    ValueType out = unquantized_output;
    if (has_quant) {
      const auto quant = network_.output_quant(tail);
      out = {hardware_bits(quant), quant.is_float() ? true : quant.is_signed};
      unit.requant = quant.is_float() ? Requant::shift : has_batchnorm ? Requant::thresholds : Requant::shift;
    }
    unit.output_bits = out.bits;
    if (unit.requant == Requant::thresholds) unit.thresholds = threshold_count(out);
    const auto index = units_.size();
    units_.push_back(std::move(unit));
    producer_[i] = index;
    value_[i] = out;
    for (const auto& name : units_.back().absorbs) {
      const auto j = network_.index_of(name);
      producer_[j] = index;
      value_[j] = out;
    }
  }

  void add_matrix_vector(std::size_t i) {
    const auto& layer = layers_[i];
    Unit unit = start_unit(UnitKind::matrix_vector, i);
    unit.is_conv = layer.kind == LayerKind::conv2d;
    unit.mh = layer.units;
    if (unit.is_conv) {
      unit.kernel = layer.kernel;
      unit.stride = layer.stride;
      unit.padding = layer.padding;
      unit.mw = std::int64_t{unit.in_channels} * layer.kernel * layer.kernel;
      unit.pixels = std::int64_t{unit.out_height} * unit.out_width;
    } else {
      unit.mw = network_.shapes().at(input_of(i)).size();
      unit.pixels = 1;
    }
    if (unit.mh < 1 || unit.mw < 1)
      throw InputError(fmt::format("layer {}: {} outputs and {} inputs per output; both must be positive",
                                   layer.name, unit.mh, unit.mw));
    unit.weight_bits = hardware_bits(layer.weight_quant);
    unit.weight_signed = layer.weight_quant.is_float() || layer.weight_quant.is_signed;
    unit.nonzero_fraction = std::clamp(1.0 - layer.sparsity.target, 0.0, 1.0);
    // As the RTL decides (rtl_generator): pruned binary weights are ternary and take 2 bits, and
    // zero padding is not a bipolar input.
    unit.bipolar_weights = unit.weight_bits == 1 && unit.weight_signed && unit.nonzero_fraction >= 1.0;
    unit.bipolar_inputs = unit.input_bits == 1 && unit.input_signed && unit.padding == 0;
    unit.xnor = unit.bipolar_weights && unit.bipolar_inputs;
    unit.acc_bits = accumulator_bits(unit.weight_bits, unit.input_bits, unit.mw, unit.xnor);
    if (const auto it = built_.find(layer.name); it != built_.end()) take_built_widths(it->second, unit);
    unit.shift_weight_fraction = shift_level_fraction(layer.weight_quant);

    bool has_batchnorm = false, has_quant = false;
    const auto tail = absorb_chain(i, unit, has_batchnorm, has_quant);
    // Without a quant the accumulator leaves the unit as it is (FINN's noActivation), except in
    // float networks, which hardware runs in 16-bit fixed point and rescales by a shift.
    const bool float_layer = layer.weight_quant.is_float() || unit.input_bits == float_hardware_bits;
    ValueType out{unit.acc_bits, true};
    if (!has_quant && float_layer) {
      unit.requant = Requant::shift;
      out = {float_hardware_bits, true};
    }
    // As the integer export decides: the logits of a layer with a bias or batchnorm are rescaled
    // per channel; a plain scale leaves the accumulator as it is.
    unit.output_affine = !has_quant && !float_layer && tail + 1 == layers_.size() && (layer.bias || has_batchnorm);
    finish_unit(std::move(unit), i, tail, has_batchnorm, has_quant, out);
  }

  /// Widths known to be those the unit is built with (a trained model's: hw/rtl/trained_widths).
  static void take_built_widths(const UnitWidths& widths, Unit& unit) {
    unit.bipolar_weights = widths.bipolar_weights;
    unit.weight_bits = widths.weight_bits;
    unit.xnor = unit.bipolar_weights && unit.bipolar_inputs;
    unit.acc_bits = widths.acc_bits;
  }

  void add_pool(std::size_t i) {
    const auto& layer = layers_[i];
    Unit unit = start_unit(UnitKind::pool, i);
    unit.kernel = layer.kernel;
    unit.stride = layer.stride;
    const ValueType out{unit.input_bits, unit.input_signed};
    unit.output_bits = out.bits;
    units_.push_back(std::move(unit));
    producer_[i] = units_.size() - 1;
    value_[i] = out;
  }

  void add_residual(std::size_t i) {
    Unit unit = start_unit(UnitKind::add, i);
    const auto& other = value_[input_of(i, 1)];
    unit.input_bits = std::max(unit.input_bits, other.bits);
    bool has_batchnorm = false, has_quant = false;
    const auto tail = absorb_chain(i, unit, has_batchnorm, has_quant);
    const ValueType sum{unit.input_bits + 1, true};  // read before unit is moved
    finish_unit(std::move(unit), i, tail, has_batchnorm, has_quant, sum);
  }

  void add_requant(std::size_t i) {
    Unit unit = start_unit(UnitKind::requant, i);
    // The chain starts at layer i itself: absorb it first, then what follows.
    bool has_batchnorm = layers_[i].kind == LayerKind::batchnorm;
    bool has_quant = layers_[i].kind == LayerKind::quant;
    std::size_t tail = i;
    if (!has_quant) {
      bool more_batchnorm = false;
      tail = absorb_chain(i, unit, more_batchnorm, has_quant);
      has_batchnorm = has_batchnorm || more_batchnorm;
    }
    unit.requant = Requant::shift;
    const ValueType same{unit.input_bits, unit.input_signed};
    finish_unit(std::move(unit), i, tail, has_batchnorm, has_quant, same);
  }

  const nn::Network& network_;
  const BuiltWidths& built_;  // per layer; the declared widths where a layer has none
  const std::vector<nn::Layer>& layers_;
  std::vector<std::vector<std::size_t>> consumers_;
  std::vector<std::size_t> producer_;
  std::vector<ValueType> value_;
  std::vector<bool> absorbed_;
  std::vector<Unit> units_;
};

}  // namespace

const char* to_string(UnitKind kind) {
  switch (kind) {
    case UnitKind::matrix_vector: return "matrix_vector";
    case UnitKind::pool: return "pool";
    case UnitKind::add: return "add";
    case UnitKind::requant: return "requant";
  }
  return "?";
}

int accumulator_bits(int weight_bits, int input_bits, std::int64_t n, bool xnor) {
  const int log_n = static_cast<int>(std::ceil(std::log2(static_cast<double>(std::max<std::int64_t>(n, 1)))));
  if (xnor) return static_cast<int>(std::ceil(std::log2(static_cast<double>(n) + 1.0)));
  return weight_bits + input_bits + log_n;
}

double shift_level_fraction(const nn::QuantSpec& quant) {
  if (quant.ternary || quant.bits == 1) return 1.0;  // +-1 (and 0): every non-zero level is a shift
  const int bits = hardware_bits(quant);
  const double nonzero_levels = std::ldexp(1.0, bits) - 1.0;
  // Signed two's complement: +1 .. +2^(b-2) and -1 .. -2^(b-1); unsigned: 1 .. 2^(b-1).
  const double shift_levels = (quant.is_float() || quant.is_signed) ? 2.0 * bits - 1.0 : bits;
  return shift_levels / nonzero_levels;
}

Workload::Workload(const nn::Network& network) : Workload(network, BuiltWidths{}) {}

Workload::Workload(const nn::Network& network, const BuiltWidths& built) : network_name_(network.name()) {
  units_ = WorkloadBuilder(network, built).build();
  for (std::size_t u = 0; u < units_.size(); ++u)
    if (units_[u].kind == UnitKind::matrix_vector) weight_units_.push_back(u);
}

bool Workload::has_skip_connections() const {
  for (const auto& unit : units_)
    if (unit.kind == UnitKind::add) return true;
  return false;
}

}  // namespace codse::hw
