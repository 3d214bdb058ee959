#include "hw/model/mapping.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace codse::hw {
namespace {

using nlohmann::json;

constexpr std::string_view template_names[] = {"dataflow_folded", "dataflow_unrolled"};
constexpr std::string_view storage_names[] = {"bram", "uram", "lutram", "logic", "offchip"};
constexpr std::string_view multiplier_names[] = {"lut", "dsp", "auto"};

template <typename Enum, std::size_t N>
std::optional<Enum> from_names(std::string_view text, const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

template <std::size_t N>
std::string name_list(const std::string_view (&names)[N]) {
  std::string list;
  for (const auto name : names) list += fmt::format("{}{}", list.empty() ? "" : ", ", name);
  return list;
}

/// Field readers that name the source file and the field path in every error.
struct MappingReader {
  std::string source;

  InputError error(const std::string& path, const std::string& what) const {
    return InputError(fmt::format("{}: field '{}': {}", source, path, what));
  }
  double number(const json& parent, const std::string& path, const char* name, double min) const {
    if (!parent.contains(name)) throw InputError(fmt::format("{}: missing field '{}{}'", source, path, name));
    const auto& value = parent.at(name);
    if (!value.is_number()) throw error(path + name, "expected a number");
    const double x = value.get<double>();
    if (!(x >= min)) throw error(path + name, fmt::format("{} is below {}", x, min));
    return x;
  }
  int whole(const json& parent, const std::string& path, const char* name) const {
    const auto& value = parent.at(name);
    if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > (1 << 30))
      throw error(path + name, "expected a positive whole number");
    return static_cast<int>(value.get<long long>());
  }
  template <typename Enum, std::size_t N>
  Enum choice(const json& parent, const std::string& path, const char* name,
              const std::string_view (&names)[N]) const {
    const auto& value = parent.at(name);
    if (!value.is_string()) throw error(path + name, fmt::format("expected one of {}", name_list(names)));
    const auto parsed = from_names<Enum>(value.get<std::string>(), names);
    if (!parsed)
      throw error(path + name, fmt::format("'{}' is not one of {}", value.get<std::string>(), name_list(names)));
    return *parsed;
  }
};

LayerMapping read_layer(const json& object, const MappingReader& r, std::size_t index) {
  const std::string path = fmt::format("layers[{}].", index);
  if (!object.is_object()) throw r.error(fmt::format("layers[{}]", index), "expected an object");
  if (!object.contains("layer") || !object.at("layer").is_string())
    throw InputError(fmt::format("{}: missing field '{}layer' (the network layer's name)", r.source, path));
  LayerMapping layer;
  layer.layer = object.at("layer").get<std::string>();
  const std::string named = fmt::format("layers[{}] ({}).", index, layer.layer);
  if (object.contains("pe")) layer.pe = r.whole(object, named, "pe");
  if (object.contains("simd")) layer.simd = r.whole(object, named, "simd");
  if (object.contains("reuse")) layer.reuse = r.whole(object, named, "reuse");
  if (object.contains("storage"))
    layer.storage = r.choice<WeightStorage>(object, named, "storage", storage_names);
  if (object.contains("multipliers"))
    layer.multipliers = r.choice<MultiplierStyle>(object, named, "multipliers", multiplier_names);
  for (const auto& [key, value] : object.items())
    if (key != "layer" && key != "pe" && key != "simd" && key != "reuse" && key != "storage" &&
        key != "multipliers")
      throw r.error(named + key, "unknown field (known: layer, pe, simd, reuse, storage, multipliers)");
  return layer;
}

}  // namespace

std::string_view to_string(Template value) { return template_names[static_cast<int>(value)]; }
std::string_view to_string(WeightStorage value) { return storage_names[static_cast<int>(value)]; }
std::string_view to_string(MultiplierStyle value) { return multiplier_names[static_cast<int>(value)]; }
std::optional<Template> template_from_string(std::string_view text) {
  return from_names<Template>(text, template_names);
}
std::optional<WeightStorage> weight_storage_from_string(std::string_view text) {
  return from_names<WeightStorage>(text, storage_names);
}
std::optional<MultiplierStyle> multiplier_style_from_string(std::string_view text) {
  return from_names<MultiplierStyle>(text, multiplier_names);
}

const LayerMapping& Mapping::layer(std::string_view name) const {
  for (const auto& entry : layers)
    if (entry.layer == name) return entry;
  throw InputError(fmt::format("mapping: no entry for layer {}", name));
}

Mapping Mapping::parse(std::string_view text, const std::string& source) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  const MappingReader r{source};
  if (!document.is_object()) throw InputError(fmt::format("{}: expected a JSON object", source));
  Mapping mapping;
  if (!document.contains("template"))
    throw InputError(fmt::format("{}: missing field 'template' (dataflow_folded or dataflow_unrolled)", source));
  mapping.kind = r.choice<Template>(document, "", "template", template_names);
  mapping.clock_mhz = r.number(document, "", "clock_mhz", 1e-3);
  if (document.contains("offchip_gbps")) mapping.offchip_gbps = r.number(document, "", "offchip_gbps", 0.0);
  if (document.contains("toggle_rate")) mapping.toggle_rate = r.number(document, "", "toggle_rate", 1e-6);
  if (!document.contains("layers") || !document.at("layers").is_array())
    throw InputError(fmt::format("{}: missing field 'layers' (a list with one entry per layer with weights)", source));
  const auto& list = document.at("layers");
  for (std::size_t i = 0; i < list.size(); ++i) mapping.layers.push_back(read_layer(list[i], r, i));
  for (const auto& [key, value] : document.items())
    if (key != "template" && key != "clock_mhz" && key != "offchip_gbps" && key != "toggle_rate" &&
        key != "layers" && key != "network" && key != "device" && key != "comment")
      throw r.error(key, "unknown field (known: template, clock_mhz, offchip_gbps, toggle_rate, layers, "
                         "network, device, comment)");
  return mapping;
}

Mapping Mapping::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot read the mapping file", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

std::string Mapping::to_json_text() const {
  nlohmann::ordered_json layer_list = nlohmann::ordered_json::array();
  for (const auto& entry : layers) {
    nlohmann::ordered_json object{{"layer", entry.layer}};
    if (kind == Template::dataflow_folded) {
      object["pe"] = entry.pe;
      object["simd"] = entry.simd;
    } else {
      object["reuse"] = entry.reuse;
    }
    object["storage"] = std::string(to_string(entry.storage));
    object["multipliers"] = std::string(to_string(entry.multipliers));
    layer_list.push_back(std::move(object));
  }
  nlohmann::ordered_json document;
  document["template"] = std::string(to_string(kind));
  document["clock_mhz"] = clock_mhz;
  document["offchip_gbps"] = offchip_gbps;
  document["toggle_rate"] = toggle_rate;
  document["layers"] = std::move(layer_list);
  // One layer per line: readable and diffable.
  std::string text = "{\n";
  std::size_t i = 0;
  for (const auto& [key, value] : document.items()) {
    text += "  \"" + key + "\": ";
    if (key == "layers") {
      text += "[\n";
      for (std::size_t k = 0; k < value.size(); ++k)
        text += "    " + value[k].dump() + (k + 1 < value.size() ? ",\n" : "\n");
      text += "  ]";
    } else {
      text += value.dump();
    }
    text += ++i < document.size() ? ",\n" : "\n";
  }
  return text + "}\n";
}

void Mapping::save(const std::string& path) const {
  std::ofstream out(path);
  if (!out) throw InputError(fmt::format("{}: cannot write the mapping file", path));
  out << to_json_text();
  if (!out) throw std::runtime_error(fmt::format("{}: write failed", path));
}

}  // namespace codse::hw
