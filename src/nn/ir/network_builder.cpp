#include "nn/ir/network_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/error.hpp"

namespace codse::nn {
namespace {

/// The prefix of a kind's default layer names.
const char* name_prefix(LayerKind kind) {
  switch (kind) {
    case LayerKind::input:
      return "in";
    case LayerKind::dense:
      return "fc";
    case LayerKind::conv2d:
      return "conv";
    case LayerKind::maxpool2d:
      return "pool";
    case LayerKind::batchnorm:
      return "bn";
    case LayerKind::relu:
      return "relu";
    case LayerKind::quant:
      return "act";
    case LayerKind::add:
      return "add";
    case LayerKind::flatten:
      return "flatten";
    case LayerKind::dropout:
      return "dropout";
  }
  return "layer";
}

std::string kind_names(std::initializer_list<LayerKind> kinds) {
  std::string text;
  for (auto kind : kinds) text += (text.empty() ? "" : " or ") + std::string(to_string(kind));
  return text;
}

}  // namespace

QuantSpec signed_bits(int bits) { return QuantSpec{bits, true, false, std::nullopt}; }
QuantSpec unsigned_bits(int bits) { return QuantSpec{bits, false, false, std::nullopt}; }

NetworkBuilder::NetworkBuilder(std::string name) : name_(std::move(name)) {
  if (name_.empty()) throw InputError("NetworkBuilder: the network's name is empty");
}

void NetworkBuilder::fail(const std::string& message) const {
  throw InputError(fmt::format("network {}: {}", name_, message));
}

std::string NetworkBuilder::default_name(LayerKind kind) const {
  auto taken = [&](const std::string& name) {
    return std::any_of(layers_.begin(), layers_.end(), [&](const Layer& l) { return l.name == name; });
  };
  if (kind == LayerKind::input) return name_prefix(kind);
  const auto count = std::count_if(layers_.begin(), layers_.end(), [&](const Layer& l) { return l.kind == kind; });
  for (auto n = count + 1;; ++n) {
    auto name = fmt::format("{}{}", name_prefix(kind), n);
    if (!taken(name)) return name;
  }
}

NetworkBuilder& NetworkBuilder::append(LayerKind kind, Layer layer) {
  if (kind == LayerKind::input) {
    if (!layers_.empty())
      fail(fmt::format("input() must come first, once (the network already has layer {})", layers_.front().name));
  } else if (layers_.empty()) {
    fail(fmt::format("{}() before input(): a network starts with its input", to_string(kind)));
  }
  layer.kind = kind;
  layer.name = default_name(kind);
  if (next_input_ && kind != LayerKind::add) layer.inputs = {*next_input_};
  next_input_.reset();
  layers_.push_back(std::move(layer));
  return *this;
}

Layer& NetworkBuilder::last_layer(const char* call, std::initializer_list<LayerKind> kinds) {
  if (layers_.empty()) fail(fmt::format("{}() before any layer", call));
  auto& layer = layers_.back();
  if (kinds.size() > 0 && std::find(kinds.begin(), kinds.end(), layer.kind) == kinds.end())
    fail(fmt::format("{}() applies to a {} layer, not to layer {} ({})", call, kind_names(kinds), layer.name,
                     to_string(layer.kind)));
  return layer;
}

NetworkBuilder& NetworkBuilder::input(Shape shape, QuantSpec quant) {
  Layer layer;
  layer.input_shape = shape;
  layer.activation_quant = quant;
  return append(LayerKind::input, std::move(layer));
}

NetworkBuilder& NetworkBuilder::dense(int units, QuantSpec weight_quant) {
  Layer layer;
  layer.units = units;
  layer.weight_quant = weight_quant;
  return append(LayerKind::dense, std::move(layer));
}

NetworkBuilder& NetworkBuilder::conv2d(int filters, int kernel, QuantSpec weight_quant) {
  Layer layer;
  layer.units = filters;
  layer.kernel = kernel;
  layer.weight_quant = weight_quant;
  return append(LayerKind::conv2d, std::move(layer));
}

NetworkBuilder& NetworkBuilder::maxpool2d(int kernel) {
  Layer layer;
  layer.kernel = kernel;
  layer.stride = kernel;
  return append(LayerKind::maxpool2d, std::move(layer));
}

NetworkBuilder& NetworkBuilder::batchnorm() { return append(LayerKind::batchnorm, Layer{}); }
NetworkBuilder& NetworkBuilder::relu() { return append(LayerKind::relu, Layer{}); }
NetworkBuilder& NetworkBuilder::flatten() { return append(LayerKind::flatten, Layer{}); }

NetworkBuilder& NetworkBuilder::quant(QuantSpec activation_quant) {
  Layer layer;
  layer.activation_quant = activation_quant;
  return append(LayerKind::quant, std::move(layer));
}

NetworkBuilder& NetworkBuilder::dropout(double rate) {
  Layer layer;
  layer.rate = rate;
  return append(LayerKind::dropout, std::move(layer));
}

NetworkBuilder& NetworkBuilder::add(const std::string& skip) {
  if (layers_.empty()) fail("add() before input(): a network starts with its input");
  return add(next_input_.value_or(layers_.back().name), skip);
}

NetworkBuilder& NetworkBuilder::add(const std::string& main, const std::string& skip) {
  Layer layer;
  layer.inputs = {main, skip};
  return append(LayerKind::add, std::move(layer));
}

NetworkBuilder& NetworkBuilder::from(const std::string& layer) {
  if (std::none_of(layers_.begin(), layers_.end(), [&](const Layer& l) { return l.name == layer; }))
    fail(fmt::format("from(\"{}\"): no layer of that name so far", layer));
  next_input_ = layer;
  return *this;
}

NetworkBuilder& NetworkBuilder::named(std::string name) {
  auto& layer = last_layer("named", {});
  for (std::size_t i = 0; i + 1 < layers_.size(); ++i)
    if (layers_[i].name == name) fail(fmt::format("named(\"{}\"): layer {} already has that name", name, name));
  layer.name = std::move(name);
  return *this;
}

NetworkBuilder& NetworkBuilder::no_bias() {
  last_layer("no_bias", {LayerKind::dense, LayerKind::conv2d}).bias = false;
  return *this;
}

NetworkBuilder& NetworkBuilder::sparsity(double target, SparsityKind kind) {
  last_layer("sparsity", {LayerKind::dense, LayerKind::conv2d}).sparsity = Sparsity{target, kind};
  return *this;
}

NetworkBuilder& NetworkBuilder::stride(int stride) {
  last_layer("stride", {LayerKind::conv2d, LayerKind::maxpool2d}).stride = stride;
  return *this;
}

NetworkBuilder& NetworkBuilder::padding(int padding) {
  last_layer("padding", {LayerKind::conv2d}).padding = padding;
  return *this;
}

const std::string& NetworkBuilder::last() const {
  if (layers_.empty()) fail("last() before any layer");
  return layers_.back().name;
}

Network NetworkBuilder::build() const {
  if (layers_.empty()) fail("build() of a network without layers (start with input())");
  if (next_input_) fail(fmt::format("from(\"{}\") is not followed by a layer", *next_input_));
  try {
    return Network(name_, layers_);
  } catch (const InputError& error) {
    fail(error.what());
  }
}

}  // namespace codse::nn
