#include "nn/ir/network_io.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/utf8.hpp"
#include "nn/ir/json_input.hpp"

namespace codse::nn {
namespace {

using Json = nlohmann::ordered_json;

std::string type_name(const Json& value) {
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  return fmt::format("a {}", value.type_name());
}

/// Reads the fields of one JSON object and refuses the ones nobody asked for, so a misspelt
/// field is an error rather than silently ignored.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string context) : object_(object), context_(std::move(context)) {
    if (!object.is_object())
      throw InputError(fmt::format("{}: expected an object, got {}", context_, type_name(object)));
  }

  bool has(const std::string& key) const { return object_.contains(key); }

  const Json* find(const std::string& key) {
    asked_.insert(key);
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  const Json& required(const std::string& key) {
    const auto* value = find(key);
    if (!value) throw InputError(fmt::format("{}: the field '{}' is missing", context_, key));
    return *value;
  }

  [[noreturn]] void fail(const std::string& key, const std::string& expected, const Json& got) const {
    throw InputError(fmt::format("{}: field '{}': expected {}, got {} ({})", context_, key, expected,
                                 got.dump(), type_name(got)));
  }

  int integer(const Json& value, const std::string& key) const {
    if (!value.is_number_integer()) fail(key, "an integer", value);
    // json_integer_in, not get<int64_t>: get wraps 2^64 - 1 to -1.
    const auto wide = json_integer_in(value, -(1LL << 30), 1LL << 30);
    if (!wide) fail(key, "an integer of reasonable size (at most 2^30)", value);
    return static_cast<int>(*wide);
  }
  int integer(const std::string& key) { return integer(required(key), key); }
  int integer(const std::string& key, int fallback) {
    const auto* value = find(key);
    return value ? integer(*value, key) : fallback;
  }
  std::optional<int> optional_integer(const std::string& key) {
    const auto* value = find(key);
    return value ? std::optional<int>(integer(*value, key)) : std::nullopt;
  }

  bool boolean(const Json& value, const std::string& key) const {
    if (!value.is_boolean()) fail(key, "true or false", value);
    return value.get<bool>();
  }
  bool boolean(const std::string& key) { return boolean(required(key), key); }
  bool boolean(const std::string& key, bool fallback) {
    const auto* value = find(key);
    return value ? boolean(*value, key) : fallback;
  }

  double number(const std::string& key) {
    const auto& value = required(key);
    if (!value.is_number()) fail(key, "a number", value);
    return value.get<double>();
  }

  std::string string(const std::string& key) {
    const auto& value = required(key);
    if (!value.is_string()) fail(key, "a string", value);
    return value.get<std::string>();
  }

  /// Call after reading: every field present must have been asked for.
  void refuse_unknown(const std::string& what) const {
    for (const auto& [key, value] : object_.items())
      if (!asked_.count(key)) {
        std::string allowed;
        for (const auto& name : asked_) allowed += (allowed.empty() ? "" : ", ") + name;
        throw InputError(
            fmt::format("{}: unknown field '{}' for {} (fields: {})", context_, key, what, allowed));
      }
  }

  const std::string& context() const { return context_; }

 private:
  const Json& object_;
  std::string context_;
  std::set<std::string> asked_;
};

/// Activation quantization: "bits", "signed", "ternary", "scale_log2". `signed` is required with
/// bits because the two readings differ so much (unsigned quant layers also apply ReLU).
QuantSpec read_activation_quant(FieldReader& fields, bool bits_required) {
  QuantSpec q;
  q.bits = bits_required ? fields.integer("bits") : fields.integer("bits", 0);
  if (q.bits > 0) {
    if (!fields.has("signed"))
      throw InputError(
          fmt::format("{}: the field 'signed' is missing (needed with 'bits': true for signed "
                      "levels, false for unsigned)",
                      fields.context()));
    q.is_signed = fields.boolean("signed");
  } else {
    q.is_signed = fields.boolean("signed", true);
  }
  q.ternary = fields.boolean("ternary", false);
  q.scale_log2 = fields.optional_integer("scale_log2");
  return q;
}

QuantSpec read_weight_quant(FieldReader& fields) {
  QuantSpec q;
  q.bits = fields.integer("weight_bits", 0);
  q.is_signed = fields.boolean("weight_signed", true);
  q.ternary = fields.boolean("weight_ternary", false);
  q.scale_log2 = fields.optional_integer("weight_scale_log2");
  return q;
}

Sparsity read_sparsity(FieldReader& layer_fields) {
  Sparsity sparsity;
  const auto* value = layer_fields.find("sparsity");
  if (!value) return sparsity;
  FieldReader fields(*value, layer_fields.context() + ": sparsity");
  sparsity.target = fields.number("target");
  if (const auto* kind = fields.find("kind")) {
    if (*kind == "structured")
      sparsity.kind = SparsityKind::structured;
    else if (*kind != "unstructured")
      fields.fail("kind", "\"unstructured\" or \"structured\"", *kind);
  }
  fields.refuse_unknown("sparsity");
  return sparsity;
}

Shape read_shape(FieldReader& fields) {
  const auto& value = fields.required("shape");
  if (!value.is_array() || (value.size() != 1 && value.size() != 3))
    fields.fail("shape", "[channels, height, width] or [features]", value);
  std::vector<int> sizes;
  for (const auto& size : value) {
    const auto checked = json_integer_in(size, 1, 1 << 24);
    if (!checked) fields.fail("shape", "positive integers (at most 2^24)", value);
    sizes.push_back(static_cast<int>(*checked));
  }
  return sizes.size() == 1 ? Shape{sizes[0], 1, 1} : Shape{sizes[0], sizes[1], sizes[2]};
}

std::vector<std::string> read_inputs(FieldReader& fields) {
  std::vector<std::string> inputs;
  const auto* value = fields.find("inputs");
  if (!value) return inputs;
  if (!value->is_array()) fields.fail("inputs", "a list of layer names", *value);
  for (const auto& input : *value) {
    if (!input.is_string()) fields.fail("inputs", "a list of layer names", *value);
    inputs.push_back(input.get<std::string>());
  }
  return inputs;
}

std::string kind_list() {
  std::string names;
  for (auto kind :
       {LayerKind::input, LayerKind::dense, LayerKind::conv2d, LayerKind::maxpool2d, LayerKind::batchnorm,
        LayerKind::relu, LayerKind::quant, LayerKind::add, LayerKind::flatten, LayerKind::dropout})
    names += (names.empty() ? "" : ", ") + std::string(to_string(kind));
  return names;
}

Layer read_layer(const Json& value, const std::string& source, std::size_t index) {
  std::string label = fmt::format("{}: layer #{}", source, index + 1);
  if (value.is_object() && value.contains("name") && value["name"].is_string())
    label = fmt::format("{}: layer {}", source, value["name"].get<std::string>());
  FieldReader fields(value, label);
  Layer layer;
  layer.name = fields.string("name");
  const auto type = fields.string("type");
  const auto kind = layer_kind_from_string(type);
  if (!kind)
    throw InputError(fmt::format("{}: unknown layer type '{}' (types: {})", label, type, kind_list()));
  layer.kind = *kind;
  layer.inputs = read_inputs(fields);
  switch (layer.kind) {
    case LayerKind::input:
      layer.input_shape = read_shape(fields);
      layer.activation_quant = read_activation_quant(fields, false);
      break;
    case LayerKind::dense:
    case LayerKind::conv2d:
      if (layer.kind == LayerKind::dense) {
        layer.units = fields.integer("units");
      } else {
        layer.units = fields.integer("filters");
        layer.kernel = fields.integer("kernel");
        layer.stride = fields.integer("stride", 1);
        layer.padding = fields.integer("padding", 0);
      }
      layer.bias = fields.boolean("bias", true);
      layer.weight_quant = read_weight_quant(fields);
      layer.sparsity = read_sparsity(fields);
      break;
    case LayerKind::maxpool2d:
      layer.kernel = fields.integer("kernel");
      layer.stride = fields.integer("stride", layer.kernel);
      break;
    case LayerKind::quant:
      layer.activation_quant = read_activation_quant(fields, true);
      break;
    case LayerKind::dropout:
      layer.rate = fields.number("rate");
      break;
    case LayerKind::batchnorm:
    case LayerKind::relu:
    case LayerKind::add:
    case LayerKind::flatten:
      break;
  }
  fields.refuse_unknown(fmt::format("a {} layer", type));
  return layer;
}

void write_activation_quant(Json& out, const QuantSpec& q) {
  if (q.is_float()) {
    if (!q.is_signed) out["signed"] = false;
    return;
  }
  out["bits"] = q.bits;
  out["signed"] = q.is_signed;
  if (q.ternary) out["ternary"] = true;
  if (q.scale_log2) out["scale_log2"] = *q.scale_log2;
}

void write_weight_fields(Json& out, const Layer& layer) {
  if (!layer.bias) out["bias"] = false;
  const auto& q = layer.weight_quant;
  if (q.bits != 0) out["weight_bits"] = q.bits;
  if (!q.is_signed) out["weight_signed"] = false;
  if (q.ternary) out["weight_ternary"] = true;
  if (q.scale_log2) out["weight_scale_log2"] = *q.scale_log2;
  if (!(layer.sparsity == Sparsity{})) {
    out["sparsity"] =
        Json{{"target", layer.sparsity.target},
             {"kind", layer.sparsity.kind == SparsityKind::structured ? "structured" : "unstructured"}};
  }
}

Json layer_to_json(const Layer& layer) {
  Json out;
  out["name"] = layer.name;
  out["type"] = to_string(layer.kind);
  if (!layer.inputs.empty()) out["inputs"] = layer.inputs;
  switch (layer.kind) {
    case LayerKind::input: {
      const auto& s = layer.input_shape;
      out["shape"] = s.height == 1 && s.width == 1 ? Json::array({s.channels})
                                                   : Json::array({s.channels, s.height, s.width});
      write_activation_quant(out, layer.activation_quant);
      break;
    }
    case LayerKind::dense:
      out["units"] = layer.units;
      write_weight_fields(out, layer);
      break;
    case LayerKind::conv2d:
      out["filters"] = layer.units;
      out["kernel"] = layer.kernel;
      if (layer.stride != 1) out["stride"] = layer.stride;
      if (layer.padding != 0) out["padding"] = layer.padding;
      write_weight_fields(out, layer);
      break;
    case LayerKind::maxpool2d:
      out["kernel"] = layer.kernel;
      if (layer.stride != layer.kernel) out["stride"] = layer.stride;
      break;
    case LayerKind::quant:
      write_activation_quant(out, layer.activation_quant);
      break;
    case LayerKind::dropout:
      out["rate"] = layer.rate;
      break;
    default:
      break;
  }
  return out;
}

/// One line of JSON with a space after ':' and ',', so a layer reads like the hand-written files.
std::string inline_json(const Json& value) {
  std::string text;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items())
      text += (text.empty() ? "" : ", ") + Json(key).dump() + ": " + inline_json(item);
    return "{" + text + "}";
  }
  if (value.is_array()) {
    for (const auto& item : value) text += (text.empty() ? "" : ", ") + inline_json(item);
    return "[" + text + "]";
  }
  return value.dump();
}

/// A YAML node as JSON. Plain scalars become null, booleans or numbers when they read as such
/// (YAML 1.2 core schema); quoted scalars stay strings.
Json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& item : node) {
        const auto key = item.first.as<std::string>();
        if (!is_valid_utf8(key)) throw YAML::Exception(item.first.Mark(), "a key is not valid UTF-8 text");
        if (object.contains(key))
          throw YAML::Exception(item.first.Mark(), "the key '" + key + "' appears twice in one mapping");
        object[key] = yaml_to_json(item.second);
      }
      return object;
    }
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) array.push_back(yaml_to_json(item));
      return array;
    }
    case YAML::NodeType::Scalar: {
      const auto& text = node.Scalar();
      if (!is_valid_utf8(text)) throw YAML::Exception(node.Mark(), "a value is not valid UTF-8 text");
      if (node.Tag() != "?") return text;  // quoted or explicitly tagged: a string
      if (text == "true" || text == "True" || text == "TRUE") return true;
      if (text == "false" || text == "False" || text == "FALSE") return false;
      if (text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
      std::int64_t integer = 0;
      const auto* end = text.data() + text.size();
      const auto* begin = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
      if (auto [ptr, ec] = std::from_chars(begin, end, integer); ec == std::errc() && ptr == end)
        return integer;
      double number = 0;
      if (auto [ptr, ec] = std::from_chars(begin, end, number); ec == std::errc() && ptr == end)
        return number;
      return text;
    }
    default:
      return nullptr;
  }
}

std::vector<double> numbers(FieldReader& fields, const std::string& key) {
  const auto& value = fields.required(key);
  if (!value.is_array() || value.empty()) fields.fail(key, "a non-empty list of numbers", value);
  std::vector<double> out;
  for (const auto& element : value) {
    if (!element.is_number()) fields.fail(key, "a non-empty list of numbers", value);
    out.push_back(element.get<double>());
  }
  return out;
}

/// The optional "preprocessing" object (input_preprocessing.hpp); every field is required, so a
/// file says exactly what the network expects.
InputPreprocessing read_preprocessing(const Json& value, const std::string& source) {
  FieldReader fields(value, source + ": preprocessing");
  InputPreprocessing preprocessing;
  preprocessing.scale = fields.number("scale");
  preprocessing.mean = numbers(fields, "mean");
  preprocessing.std = numbers(fields, "std");
  fields.refuse_unknown("preprocessing");
  return preprocessing;
}

Json preprocessing_to_json(const InputPreprocessing& preprocessing) {
  Json out;
  out["scale"] = preprocessing.scale;
  out["mean"] = preprocessing.mean;
  out["std"] = preprocessing.std;
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(
        fmt::format("{}: cannot open the network file (no such file or unreadable)", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Network network_from_json(const Json& document, const std::string& source) {
  FieldReader fields(document, source);
  const auto name = fields.string("name");
  const auto& layers_value = fields.required("layers");
  if (!layers_value.is_array() || layers_value.empty())
    fields.fail("layers", "a non-empty list of layers", layers_value);
  std::optional<InputPreprocessing> preprocessing;
  if (const auto* value = fields.find("preprocessing")) preprocessing = read_preprocessing(*value, source);
  fields.refuse_unknown("a network");
  std::vector<Layer> layers;
  for (std::size_t i = 0; i < layers_value.size(); ++i)
    layers.push_back(read_layer(layers_value[i], source, i));
  try {
    Network network(name, std::move(layers));
    network.set_preprocessing(std::move(preprocessing));
    return network;
  } catch (const InputError& error) {
    throw InputError(fmt::format("{}: {}", source, error.what()));
  }
}

Json network_to_json(const Network& network) {
  Json layers = Json::array();
  for (const auto& layer : network.layers()) layers.push_back(layer_to_json(layer));
  Json out;
  out["name"] = network.name();
  if (network.preprocessing()) out["preprocessing"] = preprocessing_to_json(*network.preprocessing());
  out["layers"] = std::move(layers);
  return out;
}

Network parse_network_json(const std::string& text, const std::string& source) {
  Json document;
  try {
    document = parse_json_unique_keys<Json>(text, source);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(fmt::format("{}: not valid JSON: {}", source, error.what()));
  }
  return network_from_json(document, source);
}

Network parse_network_yaml(const std::string& text, const std::string& source) {
  Json document;
  try {
    document = yaml_to_json(YAML::Load(text));
  } catch (const YAML::Exception& error) {
    throw InputError(fmt::format("{}:{}:{}: not valid YAML: {}", source, error.mark.line + 1,
                                 error.mark.column + 1, error.msg));
  }
  return network_from_json(document, source);
}

std::string format_network_json(const Network& network) {
  const auto document = network_to_json(network);
  std::string text = "{\n  \"name\": " + document["name"].dump() + ",\n";
  if (document.contains("preprocessing")) text += "  \"preprocessing\": " + document["preprocessing"].dump() + ",\n";
  text += "  \"layers\": [\n";
  const auto& layers = document["layers"];
  for (std::size_t i = 0; i < layers.size(); ++i)
    text += "    " + inline_json(layers[i]) + (i + 1 < layers.size() ? ",\n" : "\n");
  return text + "  ]\n}\n";
}

Network load_network(const std::filesystem::path& path) {
  const auto extension = path.extension().string();
  if (extension == ".json") return parse_network_json(read_file(path), path.string());
  if (extension == ".yaml" || extension == ".yml") return parse_network_yaml(read_file(path), path.string());
  throw InputError(fmt::format("{}: unknown network file extension '{}' (expected .json, .yaml or .yml)",
                               path.string(), extension));
}

void save_network(const Network& network, const std::filesystem::path& path) {
  // Atomically: a run stopped while writing leaves the previous file, never half of one.
  write_file_atomically(path, format_network_json(network));
}

}  // namespace codse::nn
