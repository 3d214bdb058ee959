#pragma once
// Short builders of Layers for the network, network file and morphism tests.

#include <string>
#include <vector>

#include "nn/ir/network.hpp"

namespace codse::nn::testing {

inline Layer make_layer(std::string name, LayerKind kind) {
  Layer layer;
  layer.name = std::move(name);
  layer.kind = kind;
  return layer;
}

inline Layer input(Shape shape, QuantSpec quant = {}) {
  Layer layer = make_layer("in", LayerKind::input);
  layer.input_shape = shape;
  layer.activation_quant = quant;
  return layer;
}

inline Layer dense(std::string name, int units, QuantSpec weight_quant = {}) {
  Layer layer = make_layer(std::move(name), LayerKind::dense);
  layer.units = units;
  layer.weight_quant = weight_quant;
  return layer;
}

inline Layer conv(std::string name, int filters, int kernel, int stride = 1, int padding = 0) {
  Layer layer = make_layer(std::move(name), LayerKind::conv2d);
  layer.units = filters;
  layer.kernel = kernel;
  layer.stride = stride;
  layer.padding = padding;
  return layer;
}

inline Layer maxpool(std::string name, int kernel) {
  Layer layer = make_layer(std::move(name), LayerKind::maxpool2d);
  layer.kernel = kernel;
  layer.stride = kernel;
  return layer;
}

inline Layer quant(std::string name, int bits, bool is_signed) {
  Layer layer = make_layer(std::move(name), LayerKind::quant);
  layer.activation_quant = QuantSpec{bits, is_signed, false, std::nullopt};
  return layer;
}

inline Layer add(std::string name, std::string main, std::string skip) {
  Layer layer = make_layer(std::move(name), LayerKind::add);
  layer.inputs = {std::move(main), std::move(skip)};
  return layer;
}

inline QuantSpec bits(int count, bool is_signed = true) {
  return QuantSpec{count, is_signed, false, std::nullopt};
}

}  // namespace codse::nn::testing
