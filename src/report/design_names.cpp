#include "report/design_names.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace codse::report {
namespace {

const nlohmann::json& layers_of(const nlohmann::json& network) {
  static const nlohmann::json none = nlohmann::json::array();
  if (!network.is_object() || !network.contains("layers") || !network.at("layers").is_array()) return none;
  return network.at("layers");
}

long long integer_field(const nlohmann::json& layer, const char* key) {
  if (!layer.contains(key) || !layer.at(key).is_number()) return 0;
  return layer.at(key).get<long long>();
}

/// "4" when every value is the same, "4.2.4" (in layer order) when they differ.
std::string bits_text(const std::vector<long long>& bits) {
  std::string text;
  if (bits.empty()) return text;
  if (std::set<long long>(bits.begin(), bits.end()).size() == 1) return std::to_string(bits.front());
  for (std::size_t i = 0; i < bits.size(); ++i) text += fmt::format("{}{}", i ? "." : "", bits[i]);
  return text;
}

/// The input as a dense layer sees it (784 for 1x28x28), or CxHxW for a convolutional network.
std::string input_width(const nlohmann::json& layer, bool flatten) {
  if (!layer.contains("shape") || !layer.at("shape").is_array()) return {};
  std::string text;
  long long size = 1;
  for (const auto& dim : layer.at("shape")) {
    if (!dim.is_number()) continue;
    size *= dim.get<long long>();
    text += fmt::format("{}{}", text.empty() ? "" : "x", dim.get<long long>());
  }
  return flatten ? std::to_string(size) : text;
}

bool has_convolution(const nlohmann::json& network) {
  for (const auto& layer : layers_of(network)) {
    const auto type = layer.is_object() ? layer.value("type", std::string()) : std::string();
    if (type == "conv2d" || type == "conv") return true;
  }
  return false;
}

struct NetworkSummary {
  std::vector<std::string> widths;
  std::vector<long long> weight_bits;
  std::vector<long long> activation_bits;  ///< quant layers and the input, in order
  std::vector<double> sparsity;            ///< targets of the pruned layers, as fractions
  bool convolutional = false;
  bool skip = false;
};

NetworkSummary summarize(const nlohmann::json& network) {
  NetworkSummary summary;
  const bool convolutional = has_convolution(network);
  for (const auto& layer : layers_of(network)) {
    if (!layer.is_object()) continue;
    const auto type = layer.value("type", std::string());
    if (type == "input") {
      summary.widths.push_back(input_width(layer, !convolutional));
    } else if (type == "dense") {
      summary.widths.push_back(std::to_string(integer_field(layer, "units")));
    } else if (type == "conv2d" || type == "conv") {
      summary.convolutional = true;
      summary.widths.push_back(
          fmt::format("c{}k{}", integer_field(layer, "filters"), integer_field(layer, "kernel")));
    } else if (type == "quant") {
      summary.activation_bits.push_back(integer_field(layer, "bits"));
    } else if (type == "add") {
      summary.skip = true;
    }
    if (const auto bits = integer_field(layer, "weight_bits"); bits > 0) summary.weight_bits.push_back(bits);
    if (layer.contains("sparsity") && layer.at("sparsity").is_object() &&
        layer.at("sparsity").value("target", 0.0) > 0.0)
      summary.sparsity.push_back(layer.at("sparsity").value("target", 0.0));
  }
  return summary;
}

double mean(const std::vector<double>& values) {
  double sum = 0.0;
  for (const double v : values) sum += v;
  return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

}  // namespace

std::string network_design_name(const nlohmann::json& network) {
  if (layers_of(network).empty()) return {};
  const auto summary = summarize(network);
  std::string name = summary.convolutional ? "cnn" : "mlp";
  for (const auto& width : summary.widths)
    if (!width.empty()) name += fmt::format("-{}", width);
  if (!summary.weight_bits.empty()) name += fmt::format("-w{}", bits_text(summary.weight_bits));
  if (!summary.activation_bits.empty())
    name += fmt::format("{}{}", summary.weight_bits.empty() ? "-a" : "a", bits_text(summary.activation_bits));
  if (!summary.sparsity.empty()) name += fmt::format("-s{}", std::lround(100.0 * mean(summary.sparsity)));
  if (summary.skip) name += "+skip";
  return name;
}

std::vector<std::pair<std::string, double>> design_knobs(const nlohmann::json& artifacts) {
  std::vector<std::pair<std::string, double>> knobs;
  if (!artifacts.is_object()) return knobs;
  if (artifacts.contains("mapping") && artifacts.at("mapping").is_object()) {
    const auto& layers = artifacts.at("mapping").value("layers", nlohmann::json::array());
    for (const auto& layer : layers) {
      if (!layer.is_object()) continue;
      const auto name = layer.value("layer", std::string("layer"));
      for (const char* knob : {"pe", "simd"})
        if (layer.contains(knob) && layer.at(knob).is_number())
          knobs.emplace_back(fmt::format("{} {}", name, knob), layer.at(knob).get<double>());
    }
  }
  if (artifacts.contains("network")) {
    const auto summary = summarize(artifacts.at("network"));
    if (!summary.weight_bits.empty())
      knobs.emplace_back("weight bits",
                         static_cast<double>(*std::max_element(summary.weight_bits.begin(), summary.weight_bits.end())));
    if (!summary.activation_bits.empty())
      knobs.emplace_back("activation bits", static_cast<double>(*std::max_element(summary.activation_bits.begin(),
                                                                                   summary.activation_bits.end())));
    knobs.emplace_back("sparsity %", 100.0 * mean(summary.sparsity));
    knobs.emplace_back("layers", static_cast<double>(summary.widths.size() > 0 ? summary.widths.size() - 1 : 0));
  }
  return knobs;
}

}  // namespace codse::report
