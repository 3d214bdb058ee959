#include "hw/templates/mapping_file.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "hw/templates/template_registry.hpp"
#include "nn/ir/json_input.hpp"

namespace codse::hw {
namespace {

using nlohmann::json;

/// The parallelism fields of every template, each name once (a file may carry another
/// template's knobs; they are read and left unused, as before templates were plugins).
std::vector<ParallelismField> all_parallelism_fields() {
  std::vector<ParallelismField> fields;
  for (const auto* known : accelerator_templates())
    for (const auto& field : known->parallelism_fields())
      if (std::none_of(fields.begin(), fields.end(), [&](const auto& f) { return f.name == field.name; }))
        fields.push_back(field);
  return fields;
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
    // json_integer_in, not get<long long>: get wraps 2^64 - 1 to -1.
    const auto x = nn::json_integer_in(value, 1, 1 << 30);
    if (!x) throw error(path + name, fmt::format("expected a positive whole number (at most 2^30), got {}", value.dump()));
    return static_cast<int>(*x);
  }
  template <typename Parse>
  auto choice(const json& parent, const std::string& path, const char* name, Parse parse,
              const std::string& names) const {
    const auto& value = parent.at(name);
    if (!value.is_string()) throw error(path + name, fmt::format("expected one of {}", names));
    const auto parsed = parse(value.get<std::string>());
    if (!parsed) throw error(path + name, fmt::format("'{}' is not one of {}", value.get<std::string>(), names));
    return *parsed;
  }
};

LayerMapping read_layer(const json& object, const MappingReader& r, std::size_t index,
                        const AcceleratorTemplate& accelerator) {
  const std::string path = fmt::format("layers[{}].", index);
  if (!object.is_object()) throw r.error(fmt::format("layers[{}]", index), "expected an object");
  if (!object.contains("layer") || !object.at("layer").is_string())
    throw InputError(fmt::format("{}: missing field '{}layer' (the network layer's name)", r.source, path));
  LayerMapping layer;
  layer.layer = object.at("layer").get<std::string>();
  const std::string named = fmt::format("layers[{}] ({}).", index, layer.layer);
  const auto fields = all_parallelism_fields();
  std::string known = "layer";
  const auto own = accelerator.parallelism_fields();
  std::string own_names;
  for (const auto& field : own) own_names += fmt::format("{}{}", own_names.empty() ? "" : ", ", field.name);
  for (const auto& field : fields) {
    known += fmt::format(", {}", field.name);
    const std::string key(field.name);
    if (!object.contains(key)) continue;
    // A knob of another template would be ignored by this one: refuse it rather than drop it.
    if (std::none_of(own.begin(), own.end(), [&](const auto& f) { return f.name == field.name; }))
      throw r.error(named + key, fmt::format("the {} template has no knob {} (its knobs: {})", accelerator.name(),
                                             key, own_names));
    layer.*field.field = r.whole(object, named, key.c_str());
  }
  known += ", storage, multipliers";
  if (object.contains("storage"))
    layer.storage = r.choice(object, named, "storage", weight_storage_from_string, weight_storage_list());
  if (object.contains("multipliers"))
    layer.multipliers = r.choice(object, named, "multipliers", multiplier_style_from_string, multiplier_style_list());
  for (const auto& [key, value] : object.items()) {
    const bool parallelism = std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.name == key; });
    if (key != "layer" && !parallelism && key != "storage" && key != "multipliers")
      throw r.error(named + key, fmt::format("unknown field (known: {})", known));
  }
  return layer;
}

}  // namespace

Mapping parse_mapping(std::string_view text, const std::string& source) {
  json document;
  try {
    document = nn::parse_json_unique_keys<json>(text, source);
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  const MappingReader r{source};
  if (!document.is_object()) throw InputError(fmt::format("{}: expected a JSON object", source));
  Mapping mapping;
  if (!document.contains("template"))
    throw InputError(fmt::format("{}: missing field 'template' ({})", source, accelerator_template_names()));
  mapping.accelerator = std::string(
      r.choice(document, "", "template",
               [](const std::string& name) {
                 const auto* found = find_accelerator_template(name);
                 return found ? std::optional<std::string_view>(found->name()) : std::nullopt;
               },
               accelerator_template_names()));
  mapping.clock_mhz = r.number(document, "", "clock_mhz", 1e-3);
  if (document.contains("offchip_gbps")) mapping.offchip_gbps = r.number(document, "", "offchip_gbps", 0.0);
  if (document.contains("toggle_rate")) mapping.toggle_rate = r.number(document, "", "toggle_rate", 1e-6);
  if (!document.contains("layers") || !document.at("layers").is_array())
    throw InputError(fmt::format("{}: missing field 'layers' (a list with one entry per layer with weights)", source));
  const auto& list = document.at("layers");
  for (std::size_t i = 0; i < list.size(); ++i) mapping.layers.push_back(read_layer(list[i], r, i, accelerator_template(mapping.accelerator)));
  for (const auto& [key, value] : document.items())
    if (key != "template" && key != "clock_mhz" && key != "offchip_gbps" && key != "toggle_rate" &&
        key != "layers" && key != "network" && key != "device" && key != "comment")
      throw r.error(key, "unknown field (known: template, clock_mhz, offchip_gbps, toggle_rate, layers, "
                         "network, device, comment)");
  return mapping;
}

Mapping load_mapping(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot read the mapping file", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse_mapping(text.str(), path);
}

std::string mapping_json_text(const Mapping& mapping) {
  const auto& accelerator = accelerator_template(mapping.accelerator);
  nlohmann::ordered_json layer_list = nlohmann::ordered_json::array();
  for (const auto& entry : mapping.layers) {
    nlohmann::ordered_json object{{"layer", entry.layer}};
    for (const auto& field : accelerator.parallelism_fields()) object[std::string(field.name)] = entry.*field.field;
    object["storage"] = std::string(to_string(entry.storage));
    object["multipliers"] = std::string(to_string(entry.multipliers));
    layer_list.push_back(std::move(object));
  }
  nlohmann::ordered_json document;
  document["template"] = std::string(accelerator.name());
  document["clock_mhz"] = mapping.clock_mhz;
  document["offchip_gbps"] = mapping.offchip_gbps;
  document["toggle_rate"] = mapping.toggle_rate;
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

void save_mapping(const Mapping& mapping, const std::string& path) { write_file_atomically(path, mapping_json_text(mapping)); }

std::string mapping_file_network(const std::string& path) {
  std::ifstream in(path);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (!document.is_object()) return "";
  const auto network = document.find("network");
  return network != document.end() && network->is_string() ? network->get<std::string>() : "";
}

}  // namespace codse::hw
