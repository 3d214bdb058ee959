#pragma once
// A small ONNX graph built in C++ with the protobuf classes, for tests of single ops and
// quantizers: input x [1, 4], output y [1, 2], opset 13 and the QONNX domain.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/error.hpp"
#include "nn/onnx/onnx_import.hpp"

namespace codse::testing {

constexpr const char* kQonnx = "qonnx.custom_op.general";

/// x [1, 4] -> Gemm with a [2, 4] weight behind a quantizer -> y [1, 2]; optionally a quantizer on x.
class TinyGraph {
 public:
  explicit TinyGraph(std::vector<std::int64_t> output_dims = {1, 2}) {
    model_.set_ir_version(8);
    auto* opset = model_.add_opset_import();
    opset->set_version(13);
    auto* qonnx = model_.add_opset_import();
    qonnx->set_domain(kQonnx);
    qonnx->set_version(1);
    value_info(model_.mutable_graph()->add_input(), "x", {1, 4});
    value_info(model_.mutable_graph()->add_output(), "y", output_dims);
  }

  void scalar(const std::string& name, float value) { tensor(name, {}, {value}); }
  void tensor(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (const auto d : dims) t->add_dims(d);
    for (const float v : values) t->add_float_data(v);
  }
  onnx::NodeProto& node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                        const std::string& output, const std::string& domain = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    n->set_domain(domain);
    for (const auto& i : inputs) n->add_input(i);
    n->add_output(output);
    return *n;
  }
  /// A QONNX Quant of `input` at scale 2^e.
  onnx::NodeProto& quant(const std::string& name, const std::string& input, const std::string& output, float scale,
                         int bits, bool is_signed, bool narrow, const std::string& rounding = "ROUND") {
    scalar(name + ".scale", scale);
    scalar(name + ".zero_point", 0.0F);
    scalar(name + ".bits", static_cast<float>(bits));
    auto& n = node("Quant", name, {input, name + ".scale", name + ".zero_point", name + ".bits"}, output, kQonnx);
    attribute(n, "signed", is_signed ? 1 : 0);
    attribute(n, "narrow", narrow ? 1 : 0);
    auto* a = n.add_attribute();
    a->set_name("rounding_mode");
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(rounding);
    return n;
  }
  void gemm(const std::string& x, const std::string& weight) {
    attribute(node("Gemm", "fc", {x, weight}, "y"), "transB", 1);
  }

  void save(const std::filesystem::path& path) const {
    std::ofstream(path, std::ios::binary) << model_.SerializeAsString();
  }
  nn::ImportedNetwork import() const {
    const auto path = std::filesystem::temp_directory_path() / "codse_onnx_tiny_graph_test.onnx";
    save(path);
    return nn::import_onnx(path.string());
  }
  std::string error() const {
    try {
      import();
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }

 private:
  static void attribute(onnx::NodeProto& n, const std::string& name, std::int64_t value) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void value_info(onnx::ValueInfoProto* info, const std::string& name, const std::vector<std::int64_t>& dims) {
    info->set_name(name);
    auto* t = info->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (const auto d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::ModelProto model_;
};

}  // namespace codse::testing
