#include "nn/onnx/onnx_graph.hpp"

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::nn::onnx_import {
namespace {

/// Little-endian raw_data of `count` elements of type T, converted to double.
template <typename T>
std::vector<double> from_raw(const std::string& raw, std::size_t count) {
  std::vector<double> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    T x;
    std::memcpy(&x, raw.data() + i * sizeof(T), sizeof(T));
    values[i] = static_cast<double>(x);
  }
  return values;
}

template <typename Repeated>
std::vector<double> from_field(const Repeated& field) {
  return std::vector<double>(field.begin(), field.end());
}

std::size_t element_size(int type) {
  switch (type) {
    case onnx::TensorProto::FLOAT: return 4;
    case onnx::TensorProto::DOUBLE: return 8;
    case onnx::TensorProto::INT8: case onnx::TensorProto::UINT8: return 1;
    case onnx::TensorProto::INT16: case onnx::TensorProto::UINT16: return 2;
    case onnx::TensorProto::INT32: case onnx::TensorProto::UINT32: return 4;
    case onnx::TensorProto::INT64: case onnx::TensorProto::UINT64: return 8;
    default: return 0;
  }
}

std::vector<double> raw_values(const onnx::TensorProto& t, std::size_t count) {
  const auto& raw = t.raw_data();
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT: return from_raw<float>(raw, count);
    case onnx::TensorProto::DOUBLE: return from_raw<double>(raw, count);
    case onnx::TensorProto::INT8: return from_raw<std::int8_t>(raw, count);
    case onnx::TensorProto::UINT8: return from_raw<std::uint8_t>(raw, count);
    case onnx::TensorProto::INT16: return from_raw<std::int16_t>(raw, count);
    case onnx::TensorProto::UINT16: return from_raw<std::uint16_t>(raw, count);
    case onnx::TensorProto::INT32: return from_raw<std::int32_t>(raw, count);
    case onnx::TensorProto::UINT32: return from_raw<std::uint32_t>(raw, count);
    case onnx::TensorProto::INT64: return from_raw<std::int64_t>(raw, count);
    default: return from_raw<std::uint64_t>(raw, count);
  }
}

/// The typed field a tensor without raw_data keeps its values in (ONNX packs int8..int32 and
/// uint8..uint16 into int32_data, uint32 and uint64 into uint64_data).
std::vector<double> field_values(const onnx::TensorProto& t) {
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT: return from_field(t.float_data());
    case onnx::TensorProto::DOUBLE: return from_field(t.double_data());
    case onnx::TensorProto::INT64: return from_field(t.int64_data());
    case onnx::TensorProto::UINT32: case onnx::TensorProto::UINT64: return from_field(t.uint64_data());
    default: return from_field(t.int32_data());
  }
}

}  // namespace

std::int64_t ConstantTensor::numel() const {
  std::int64_t n = 1;
  for (const auto d : dims) n *= d;
  return n;
}

ConstantTensor read_tensor(const onnx::TensorProto& t, const std::string& context) {
  ConstantTensor out;
  out.element_type = t.data_type();
  out.dims.assign(t.dims().begin(), t.dims().end());
  const std::size_t size = element_size(t.data_type());
  if (size == 0)
    throw InputError(fmt::format("{}: tensor '{}' has element type {}; codse reads float, double and integer tensors",
                                 context, t.name(), onnx::TensorProto::DataType_Name(t.data_type())));
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw InputError(fmt::format("{}: tensor '{}' keeps its data in an external file, which codse does not read",
                                 context, t.name()));
  for (const auto d : out.dims)
    if (d < 0 || d > (1LL << 31))
      throw InputError(fmt::format("{}: tensor '{}' has a dimension {}", context, t.name(), d));
  const auto count = static_cast<std::size_t>(out.numel());
  if (t.has_raw_data()) {
    if (t.raw_data().size() != count * size)
      throw InputError(fmt::format("{}: tensor '{}' holds {} bytes of data, its shape needs {}", context, t.name(),
                                   t.raw_data().size(), count * size));
    out.values = raw_values(t, count);
  } else {
    out.values = field_values(t);
    if (out.values.size() != count)
      throw InputError(fmt::format("{}: tensor '{}' holds {} values, its shape needs {}", context, t.name(),
                                   out.values.size(), count));
  }
  return out;
}

OnnxGraph OnnxGraph::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the ONNX file (no such file or unreadable)", path));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse(bytes.str(), path);
}

OnnxGraph OnnxGraph::parse(const std::string& bytes, const std::string& source) {
  onnx::ModelProto model;
  // ParseFromString fails on a truncated file: protobuf checks every length it reads.
  if (!model.ParseFromString(bytes) || !model.has_graph() || model.graph().node_size() == 0)
    throw InputError(fmt::format("{}: not a valid ONNX model (truncated, or not an ONNX protobuf file)", source));
  return OnnxGraph(std::move(model), source);
}

OnnxGraph::OnnxGraph(onnx::ModelProto model, std::string path) : model_(std::move(model)), path_(std::move(path)) {
  for (const auto& import : model_.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx") opset_ = static_cast<int>(import.version());
  const auto& g = model_.graph();
  for (const auto& init : g.initializer()) initializers_[init.name()] = &init;
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& n = g.node(i);
    for (const auto& output : n.output()) producers_[output] = i;
    for (const auto& input : n.input())
      if (!input.empty()) consumers_[input].push_back(i);
    if (n.op_type() == "Constant" && n.output_size() == 1)
      if (const auto* value = attribute(n, "value"); value != nullptr && value->has_t())
        initializers_[n.output(0)] = &value->t();
  }
}

std::optional<int> OnnxGraph::producer(const std::string& tensor) const {
  const auto it = producers_.find(tensor);
  if (it == producers_.end()) return std::nullopt;
  return it->second;
}

const std::vector<int>& OnnxGraph::consumers(const std::string& tensor) const {
  static const std::vector<int> none;
  const auto it = consumers_.find(tensor);
  return it == consumers_.end() ? none : it->second;
}

bool OnnxGraph::is_graph_output(const std::string& tensor) const {
  for (const auto& output : model_.graph().output())
    if (output.name() == tensor) return true;
  return false;
}

std::optional<ConstantTensor> OnnxGraph::initializer(const std::string& tensor) const {
  const auto it = initializers_.find(tensor);
  if (it != initializers_.end()) return read_tensor(*it->second, path_);
  // torch writes a quantizer's zero point as Cast(Constant) to uint8 / int8: fold it.
  const auto producer = producers_.find(tensor);
  if (producer == producers_.end()) return std::nullopt;
  const auto& n = node(producer->second);
  if ((n.op_type() != "Cast" && n.op_type() != "Identity") || n.input_size() != 1) return std::nullopt;
  auto value = initializer(n.input(0));
  if (value && n.op_type() == "Cast") {
    value->element_type = static_cast<int>(int_attribute(n, "to", value->element_type));
    if (value->element_type != onnx::TensorProto::FLOAT && value->element_type != onnx::TensorProto::DOUBLE)
      for (auto& v : value->values) v = std::trunc(v);
  }
  return value;
}

std::string OnnxGraph::describe(const onnx::NodeProto& n) const {
  const bool custom = !n.domain().empty() && n.domain() != "ai.onnx";
  return fmt::format("{}: node '{}' ({}{}, opset {})", path_, n.name(), custom ? n.domain() + "." : "", n.op_type(),
                     opset_);
}

const onnx::AttributeProto* OnnxGraph::attribute(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::int64_t OnnxGraph::int_attribute(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
  const auto* a = attribute(n, name);
  return a != nullptr ? a->i() : fallback;
}

std::vector<std::int64_t> OnnxGraph::ints_attribute(const onnx::NodeProto& n, const std::string& name) {
  const auto* a = attribute(n, name);
  if (a == nullptr) return {};
  return {a->ints().begin(), a->ints().end()};
}

std::string OnnxGraph::string_attribute(const onnx::NodeProto& n, const std::string& name,
                                        const std::string& fallback) {
  const auto* a = attribute(n, name);
  return a != nullptr ? a->s() : fallback;
}

float OnnxGraph::float_attribute(const onnx::NodeProto& n, const std::string& name, float fallback) {
  const auto* a = attribute(n, name);
  return a != nullptr ? a->f() : fallback;
}

}  // namespace codse::nn::onnx_import
