#include "interop/hls4ml_config.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"

namespace codse::interop {
namespace {

/// hls4ml's default precision (config_from_*_model's default_precision) for what codse leaves float.
constexpr const char* default_precision = "ap_fixed<16,6>";

/// The precision of one quantized tensor: 1-bit signed is binary {-1, +1}, which needs two bits of
/// two's complement in hls4ml's types.
std::string levels_precision(const nn::QuantSpec& quant, int scale_log2) {
  const int bits = quant.is_signed && quant.bits == 1 ? 2 : quant.bits;
  return hls_precision(bits, quant.is_signed, scale_log2);
}

void emit_precision(YAML::Emitter& out, const std::vector<std::pair<std::string, std::string>>& entries) {
  if (entries.empty()) return;
  out << YAML::Key << "Precision" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : entries) out << YAML::Key << key << YAML::Value << value;
  out << YAML::EndMap;
}

/// The precisions of one layer from the integer model's last op of that name (its output) and,
/// for dense / conv2d, the weights and the accumulator.
std::vector<std::pair<std::string, std::string>> layer_precision(const nn::IntegerModel* model, const std::string& layer) {
  std::vector<std::pair<std::string, std::string>> entries;
  if (!model) return entries;
  const nn::IntegerOp* last = nullptr;
  for (const auto& op : model->ops())
    if (op.name == layer) last = &op;
  if (!last) return entries;
  for (const auto& op : model->ops()) {
    if (op.name != layer) continue;
    if (op.kind == nn::IntegerOpKind::dense || op.kind == nn::IntegerOpKind::conv2d) {
      entries.emplace_back("weight", levels_precision(op.weight_quant, op.weight_scale_log2));
      entries.emplace_back("accum", hls_precision(op.bits, true, op.scale_log2));
    }
  }
  const bool levels = last->kind == nn::IntegerOpKind::input || last->kind == nn::IntegerOpKind::requantize;
  entries.emplace_back("result", levels ? levels_precision(last->quant, last->scale_log2)
                                        : hls_precision(last->bits, true, last->scale_log2));
  return entries;
}

/// hls4ml names the top-level HLS function after the project: a C identifier.
std::string project_name(const std::string& network) {
  std::string name;
  for (const char c : network) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) name.insert(0, "net_");
  return name;
}

bool has_weights(const nn::Layer& layer) {
  return layer.kind == nn::LayerKind::dense || layer.kind == nn::LayerKind::conv2d;
}

void emit_layers(YAML::Emitter& out, const Hls4mlInputs& in) {
  out << YAML::Key << "LayerName" << YAML::Value << YAML::BeginMap;
  for (const auto& layer : in.network->layers()) {
    const auto precision = layer_precision(in.integer_model, layer.name);
    if (!has_weights(layer) && precision.empty()) continue;
    out << YAML::Key << layer.name << YAML::Value << YAML::BeginMap;
    emit_precision(out, precision);
    if (has_weights(layer)) {
      const auto& mapped = in.mapping->layer(layer.name);
      out << YAML::Key << "ReuseFactor" << YAML::Value << mapped.reuse;
      out << YAML::Key << "Strategy" << YAML::Value << hls4ml_strategy(mapped.storage);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string hls_precision(int bits, bool is_signed, int scale_log2) {
  const char* u = is_signed ? "" : "u";
  if (scale_log2 == 0) return fmt::format("ap_{}int<{}>", u, bits);
  return fmt::format("ap_{}fixed<{},{}>", u, bits, bits + scale_log2);
}

std::string hls4ml_strategy(hw::WeightStorage storage) {
  return storage == hw::WeightStorage::logic ? "Latency" : "Resource";
}

std::string hls4ml_config_yaml(const Hls4mlInputs& in) {
  if (in.mapping->accelerator != "unrolled")
    throw InputError(fmt::format("hls4ml config: the mapping's template is '{}'; hls4ml builds the unrolled "
                                 "template (reuse factors) only",
                                 in.mapping->accelerator));
  int max_reuse = 1;
  for (const auto& layer : in.mapping->layers) max_reuse = std::max(max_reuse, layer.reuse);
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "Backend" << YAML::Value << "Vivado";
  out << YAML::Key << "ProjectName" << YAML::Value << project_name(in.network->name());
  out << YAML::Key << "OutputDir" << YAML::Value << "hls4ml_prj";
  if (!in.model_file.empty()) out << YAML::Key << "OnnxModel" << YAML::Value << in.model_file;
  if (in.device && !in.device->part.empty()) out << YAML::Key << "Part" << YAML::Value << in.device->part;
  out << YAML::Key << "ClockPeriod" << YAML::Value << 1000.0 / in.mapping->clock_mhz;
  out << YAML::Key << "IOType" << YAML::Value << "io_parallel";
  out << YAML::Key << "HLSConfig" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "Model" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "Precision" << YAML::Value << default_precision;
  // hls4ml's top-level initiation interval follows the largest reuse factor.
  out << YAML::Key << "ReuseFactor" << YAML::Value << max_reuse;
  out << YAML::Key << "Strategy" << YAML::Value << "Latency";
  out << YAML::EndMap;
  emit_layers(out, in);
  out << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace codse::interop
