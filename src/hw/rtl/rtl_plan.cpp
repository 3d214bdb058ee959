// Planning the RTL units of an IntegerModel under a Mapping (rtl_plan.hpp).
#include "hw/rtl/rtl_plan.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::hw {
namespace {

using nn::IntegerOp;
using nn::IntegerOpKind;

std::string op_label(const IntegerOp& op, int index) {
  return "op " + std::to_string(index) + " (" + nn::to_string(op.kind) + " " + op.name + ")";
}

class Planner {
 public:
  Planner(const nn::IntegerModel& model, const Mapping& mapping)
      : model_(model), mapping_(mapping), ops_(model.ops()), unit_of_(ops_.size(), -1), consumers_(ops_.size()) {
    for (std::size_t i = 0; i < ops_.size(); ++i)
      for (int input : ops_[i].inputs) consumers_[static_cast<std::size_t>(input)].push_back(static_cast<int>(i));
  }

  RtlPlan run() {
    plan_.top = verilog_identifier(model_.name());
    const IntegerOp& input = ops_.front();
    plan_.input = element_format(input.min, input.max, 1);
    input_lanes_set_ = false;
    for (std::size_t i = 1; i < ops_.size(); ++i) add_op(static_cast<int>(i));
    if (plan_.units.empty()) throw InputError("integer model " + model_.name() + ": no op to build hardware for");
    if (plan_.units.back().ops.back() != static_cast<int>(ops_.size()) - 1)
      throw InputError("integer model " + model_.name() + ": the last op is not the output of a unit");
    return plan_;
  }

 private:
  StreamFormat producer_format(int op) const {
    if (op == 0) return plan_.input;
    return plan_.units[static_cast<std::size_t>(unit_of_[static_cast<std::size_t>(op)])].out;
  }

  /// The format a unit wants an input in: the producer's elements, `lanes` per word. The network
  /// input takes the lanes of its first consumer.
  StreamFormat wanted(int op, int lanes) {
    if (op == 0 && !input_lanes_set_) {
      plan_.input.lanes = lanes;
      input_lanes_set_ = true;
    }
    StreamFormat format = producer_format(op);
    format.lanes = lanes;
    return format;
  }

  int producing_unit(int op) const {
    if (op != 0 && unit_of_[static_cast<std::size_t>(op)] < 0)
      throw InputError("integer model " + model_.name() + ": " + op_label(ops_[static_cast<std::size_t>(op)], op) +
                       " is read before its unit ends");
    return op == 0 ? -1 : unit_of_[static_cast<std::size_t>(op)];
  }

  void add_op(int index) {
    const IntegerOp& op = ops_[static_cast<std::size_t>(index)];
    switch (op.kind) {
      case IntegerOpKind::input:
        throw InputError("integer model " + model_.name() + ": a second input op");
      case IntegerOpKind::dense:
      case IntegerOpKind::conv2d:
        add_matrix_vector(index);
        return;
      case IntegerOpKind::maxpool2d:
        add_pool(index);
        return;
      case IntegerOpKind::add:
        add_add(index);
        return;
      case IntegerOpKind::requantize:
      case IntegerOpKind::output_affine:
        if (!fuse(index)) add_elementwise(index);
        return;
    }
  }

  int input_lanes_of(int op) const { return op == 0 ? (input_lanes_set_ ? plan_.input.lanes : 1) : producer_format(op).lanes; }

  void add_matrix_vector(int index) {
    const IntegerOp& op = ops_[static_cast<std::size_t>(index)];
    const int source = op.inputs.at(0);
    const nn::Shape in = ops_[static_cast<std::size_t>(source)].shape;
    const bool conv = op.kind == IntegerOpKind::conv2d;
    const std::int64_t mh = op.units;
    const std::int64_t mw = conv ? std::int64_t{in.channels} * op.kernel * op.kernel : in.size();
    const std::int64_t simd_divides = conv ? in.channels : mw;
    const LayerMapping& layer = mapping_.layer(op.name);
    const MvauFolding folding = accelerator_template(mapping_.accelerator).rtl_folding(layer, mh, mw, simd_divides);
    if (folding.pe < 1 || mh % folding.pe != 0)
      throw InputError("mapping layer " + op.name + ": pe " + std::to_string(folding.pe) + " does not divide its " +
                       std::to_string(mh) + " outputs");
    if (folding.simd < 1 || simd_divides % folding.simd != 0)
      throw InputError("mapping layer " + op.name + ": simd " + std::to_string(folding.simd) + " does not divide its " +
                       std::to_string(simd_divides) + (conv ? " input channels" : " inputs"));
    RtlUnit unit;
    unit.kind = conv ? RtlUnitKind::convolution : RtlUnitKind::matrix_vector;
    unit.name = op.name;
    unit.ops = {index};
    unit.pe = folding.pe;
    unit.simd = folding.simd;
    unit.inputs = {producing_unit(source)};
    unit.in = {wanted(source, folding.simd)};
    unit.out = element_format(op.min, op.max, folding.pe);
    push(std::move(unit));
  }

  void add_pool(int index) {
    const IntegerOp& op = ops_[static_cast<std::size_t>(index)];
    const int source = op.inputs.at(0);
    const int channels = op.shape.channels;
    int lanes = input_lanes_of(source);
    if (channels % lanes != 0) lanes = 1;
    RtlUnit unit;
    unit.kind = RtlUnitKind::pool;
    unit.name = op.name;
    unit.ops = {index};
    unit.inputs = {producing_unit(source)};
    unit.in = {wanted(source, lanes)};
    unit.out = element_format(op.min, op.max, lanes);
    push(std::move(unit));
  }

  void add_add(int index) {
    const IntegerOp& op = ops_[static_cast<std::size_t>(index)];
    const int main = op.inputs.at(0), skip = op.inputs.at(1);
    const int lanes = input_lanes_of(main);
    RtlUnit unit;
    unit.kind = RtlUnitKind::add;
    unit.name = op.name;
    unit.ops = {index};
    unit.inputs = {producing_unit(main), producing_unit(skip)};
    unit.in = {wanted(main, lanes), wanted(skip, lanes)};
    unit.out = element_format(op.min, op.max, lanes);
    // The skip FIFO holds what the main path can have in flight: every unit on it double-buffers
    // at most two inferences' worth of its input, plus output registers.
    int on_main_path = 0;
    for (int u = unit.inputs[0]; u >= 0 && u != unit.inputs[1]; u = plan_.units[static_cast<std::size_t>(u)].inputs[0])
      ++on_main_path;
    const std::int64_t words = op.shape.size() / lanes + (op.shape.size() % lanes != 0 ? 1 : 0);
    unit.skip_depth = static_cast<int>(words * (2 * on_main_path + 2));
    push(std::move(unit));
  }

  /// A requantization or output affine right behind a matrix-vector unit or add (its only
  /// reader) joins that unit, as FINN's MVAU carries its activation.
  bool fuse(int index) {
    const IntegerOp& op = ops_[static_cast<std::size_t>(index)];
    const int source = op.inputs.at(0);
    if (source == 0 || consumers_[static_cast<std::size_t>(source)].size() != 1) return false;
    const int u = unit_of_[static_cast<std::size_t>(source)];
    RtlUnit& unit = plan_.units[static_cast<std::size_t>(u)];
    if (unit.ops.size() != 1 || unit.kind == RtlUnitKind::pool) return false;
    unit.ops.push_back(index);
    unit.out = element_format(op.min, op.max, unit.out.lanes);
    unit_of_[static_cast<std::size_t>(index)] = u;
    return true;
  }

  void add_elementwise(int index) {
    const IntegerOp& op = ops_[static_cast<std::size_t>(index)];
    const int source = op.inputs.at(0);
    const int lanes = input_lanes_of(source);
    RtlUnit unit;
    unit.kind = op.kind == IntegerOpKind::requantize ? RtlUnitKind::requant : RtlUnitKind::affine;
    unit.name = op.name;
    unit.ops = {index};
    unit.inputs = {producing_unit(source)};
    unit.in = {wanted(source, lanes)};
    unit.out = element_format(op.min, op.max, lanes);
    push(std::move(unit));
  }

  void push(RtlUnit unit) {
    const int u = static_cast<int>(plan_.units.size());
    unit_of_[static_cast<std::size_t>(unit.ops.back())] = u;
    plan_.units.push_back(std::move(unit));
  }

  const nn::IntegerModel& model_;
  const Mapping& mapping_;
  const std::vector<IntegerOp>& ops_;
  std::vector<int> unit_of_;  // op -> unit whose output it is (-1: none yet, or the input)
  std::vector<std::vector<int>> consumers_;
  RtlPlan plan_;
  bool input_lanes_set_ = false;
};

}  // namespace

StreamFormat element_format(std::int64_t min, std::int64_t max, int lanes) {
  StreamFormat format;
  format.lanes = lanes;
  format.is_signed = min < 0;
  if (format.is_signed) {
    format.bits = nn::signed_bits(min, max);
  } else {
    format.bits = 1;
    while (format.bits < 63 && (max >> format.bits) != 0) ++format.bits;
  }
  return format;
}

const char* to_string(RtlUnitKind kind) {
  switch (kind) {
    case RtlUnitKind::matrix_vector: return "matrix_vector";
    case RtlUnitKind::convolution: return "convolution";
    case RtlUnitKind::pool: return "pool";
    case RtlUnitKind::add: return "add";
    case RtlUnitKind::requant: return "requant";
    case RtlUnitKind::affine: return "affine";
  }
  return "?";
}

RtlPlan plan_rtl(const nn::IntegerModel& model, const Mapping& mapping) { return Planner(model, mapping).run(); }

std::int64_t chw_index(const nn::Shape& shape, std::int64_t q) {
  const std::int64_t channel = q % shape.channels;
  const std::int64_t pixel = q / shape.channels;
  return channel * shape.height * shape.width + pixel;
}

std::string verilog_identifier(const std::string& name) {
  std::string id;
  for (const char c : name) id += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id.front())) != 0) id = "n_" + id;
  return id;
}

}  // namespace codse::hw
