#include "nn/onnx/graph_writer.hpp"

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::nn::onnx_export {
namespace {

void add_value_info(onnx::ValueInfoProto& info, const std::string& name, const std::vector<std::int64_t>& dims) {
  info.set_name(name);
  auto* tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(onnx::TensorProto::FLOAT);
  for (const auto d : dims) tensor->mutable_shape()->add_dim()->set_dim_value(d);
}

std::vector<std::int64_t> dims_of(const Shape& s, int rank) {
  if (rank == 2) return {1, s.size()};
  return {1, s.channels, s.height, s.width};
}

}  // namespace

void set_attribute(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& values) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (const auto v : values) a->add_ints(v);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, float value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(value);
}

GraphWriter::GraphWriter(const Network& network, const Weights& weights) : network_(network), weights_(weights) {
  model_.set_ir_version(8);
  model_.set_producer_name("codse");
  auto* opset = model_.add_opset_import();
  opset->set_domain("");
  opset->set_version(13);
  model_.mutable_graph()->set_name(network.name());
}

std::string GraphWriter::add_initializer(const std::string& name, const std::vector<std::int64_t>& dims,
                                         const std::vector<float>& values) {
  auto* t = model_.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (const auto d : dims) t->add_dims(d);
  for (const float v : values) t->add_float_data(v);
  return name;
}

onnx::NodeProto& GraphWriter::add_node(const std::string& op, const std::string& name,
                                       const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                                       const std::string& domain) {
  auto* node = model_.mutable_graph()->add_node();
  node->set_op_type(op);
  node->set_name(name);
  if (!domain.empty()) node->set_domain(domain);
  for (const auto& i : inputs) node->add_input(i);
  for (const auto& o : outputs) node->add_output(o);
  return *node;
}

void GraphWriter::use_domain(const std::string& domain) {
  for (const auto& import : model_.opset_import())
    if (import.domain() == domain) return;
  auto* opset = model_.add_opset_import();
  opset->set_domain(domain);
  opset->set_version(1);
}

/// The tensor a dense layer reads, flattened to [1, F] (Gemm needs a matrix).
std::string GraphWriter::flat_input(std::size_t index) {
  const auto input = network_.input_indices(index).front();
  const auto name = tensors_[input];
  if (ranks_[input] == 2) return name;
  auto& node = add_node("Flatten", network_.layers()[index].name + ".flatten", {name}, {name + ".flat"});
  set_attribute(node, "axis", std::int64_t{1});
  return name + ".flat";
}

void GraphWriter::write_layer(const QuantizerStyle& style, std::size_t index) {
  const auto& layer = network_.layers()[index];
  const auto& name = layer.name;
  const auto inputs = network_.input_indices(index);
  const std::string in = inputs.empty() ? std::string() : tensors_[inputs.front()];
  tensors_.push_back(name);
  ranks_.push_back(inputs.empty() ? (layer.input_shape.height == 1 && layer.input_shape.width == 1 ? 2 : 4)
                                  : ranks_[inputs.front()]);
  const auto weighted = [&](const char* op, const std::string& x) -> onnx::NodeProto& {
    const auto& w = weights_.at(name);
    const auto stored = add_initializer(name + ".weight", w.weight.shape, style.weight_values(layer, w));
    std::vector<std::string> operands{x, style.weight(*this, layer, stored)};
    if (layer.bias) operands.push_back(add_initializer(name + ".bias", w.bias.shape, w.bias.data));
    return add_node(op, name, operands, {name});
  };
  switch (layer.kind) {
    case LayerKind::input: {
      add_value_info(*model_.mutable_graph()->add_input(), name, dims_of(layer.input_shape, ranks_.back()));
      if (!layer.activation_quant.is_float()) {
        // Readers of the input layer read its quantized values.
        tensors_.back() = name + ".quant";
        style.activation(*this, layer, name, tensors_.back());
      }
      return;
    }
    case LayerKind::dense: {
      auto& node = weighted("Gemm", flat_input(index));
      set_attribute(node, "transB", std::int64_t{1});
      ranks_.back() = 2;
      return;
    }
    case LayerKind::conv2d: {
      auto& node = weighted("Conv", in);
      set_attribute(node, "kernel_shape", std::vector<std::int64_t>{layer.kernel, layer.kernel});
      set_attribute(node, "strides", std::vector<std::int64_t>{layer.stride, layer.stride});
      set_attribute(node, "pads", std::vector<std::int64_t>(4, layer.padding));
      return;
    }
    case LayerKind::maxpool2d: {
      auto& node = add_node("MaxPool", name, {in}, {name});
      set_attribute(node, "kernel_shape", std::vector<std::int64_t>{layer.kernel, layer.kernel});
      set_attribute(node, "strides", std::vector<std::int64_t>{layer.stride, layer.stride});
      return;
    }
    case LayerKind::batchnorm: {
      const auto& w = weights_.at(name);
      auto& node = add_node("BatchNormalization", name,
                            {in, add_initializer(name + ".weight", w.gamma.shape, w.gamma.data),
                             add_initializer(name + ".bias", w.beta.shape, w.beta.data),
                             add_initializer(name + ".running_mean", w.running_mean.shape, w.running_mean.data),
                             add_initializer(name + ".running_var", w.running_var.shape, w.running_var.data)},
                            {name});
      set_attribute(node, "epsilon", w.eps);
      return;
    }
    case LayerKind::relu: add_node("Relu", name, {in}, {name}); return;
    case LayerKind::quant: style.activation(*this, layer, in, name); return;
    case LayerKind::add:
      add_node("Add", name, {in, tensors_[inputs[1]]}, {name});
      return;
    case LayerKind::flatten: {
      auto& node = add_node("Flatten", name, {in}, {name});
      set_attribute(node, "axis", std::int64_t{1});
      ranks_.back() = 2;
      return;
    }
    case LayerKind::dropout: {
      // A double ratio: the rate comes back exactly (0.1 as float would not).
      auto* ratio = model_.mutable_graph()->add_initializer();
      ratio->set_name(name + ".ratio");
      ratio->set_data_type(onnx::TensorProto::DOUBLE);
      ratio->add_double_data(layer.rate);
      add_node("Dropout", name, {in, ratio->name()}, {name});
      return;
    }
  }
}

void GraphWriter::write(const QuantizerStyle& style, const std::string& path) {
  for (std::size_t i = 0; i < network_.layers().size(); ++i) write_layer(style, i);
  add_value_info(*model_.mutable_graph()->add_output(), tensors_.back(),
                 dims_of(network_.output_shape(), ranks_.back()));
  std::string bytes;
  if (!model_.SerializeToString(&bytes)) throw InputError(fmt::format("{}: the ONNX model could not be serialised", path));
  write_file_atomically(path, bytes);
}

}  // namespace codse::nn::onnx_export
