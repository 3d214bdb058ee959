#include "hw/map/mapping_space.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/templates/template_registry.hpp"

namespace codse::hw {
namespace {

std::vector<std::string> storage_labels(const std::vector<WeightStorage>& storages) {
  std::vector<std::string> labels;
  for (const auto storage : storages) labels.emplace_back(to_string(storage));
  return labels;
}

std::vector<std::string> multiplier_labels(const std::vector<MultiplierStyle>& styles) {
  std::vector<std::string> labels;
  for (const auto style : styles) labels.emplace_back(to_string(style));
  return labels;
}

std::vector<double> as_doubles(const std::vector<int>& values) { return {values.begin(), values.end()}; }

void check_options(const SpaceOptions& options, const AcceleratorTemplate& accelerator, const Device& device) {
  for (const double clock : options.clocks_mhz)
    if (!(clock > 0.0) || clock > device.max_clock_mhz)
      throw InputError(fmt::format("clock {} MHz is outside (0, {}], the clock range of device {}", clock,
                                   device.max_clock_mhz, device.name));
  for (const double gbps : options.offchip_gbps)
    if (gbps < 0.0 || gbps > device.offchip_gbps)
      throw InputError(fmt::format("off-chip bandwidth {} GB/s is outside [0, {}] of device {}", gbps,
                                   device.offchip_gbps, device.name));
  for (const auto storage : options.storages) {
    const bool available = storage == WeightStorage::bram     ? device.bram.present()
                           : storage == WeightStorage::uram   ? device.uram.present()
                           : storage == WeightStorage::lutram ? device.lutram_depth > 0
                           : storage == WeightStorage::offchip ? device.has_offchip_memory()
                                                               : true;
    if (!available || !accelerator.why_unsupported(storage).empty())
      throw InputError(fmt::format("storage {} is not available on device {} with template {}", to_string(storage),
                                   device.name, accelerator.name()));
    if (storage == WeightStorage::offchip)
      for (const double gbps : options.offchip_gbps)
        if (!(gbps > 0.0)) throw InputError("storage offchip needs every off-chip bandwidth to be above 0");
  }
  for (const auto style : options.multipliers)
    if (style == MultiplierStyle::dsp && device.dsp.count <= 0)
      throw InputError(fmt::format("multipliers dsp: device {} has no DSP blocks", device.name));
}

LayerChoices layer_choices(const Unit& unit, const AcceleratorTemplate& accelerator, const Device& device,
                           const SpaceOptions& options) {
  LayerChoices choices;
  choices.fields = accelerator.parallelism_fields();
  choices.parallelism = accelerator.parallelism_values(unit);
  choices.storages = options.storages.empty() ? accelerator.default_storages(device) : options.storages;
  if (!options.multipliers.empty())
    choices.multipliers = options.multipliers;
  else if (device.dsp.count > 0 && !unit.bipolar_weights)  // bipolar weights add or subtract
    choices.multipliers = {MultiplierStyle::lut, MultiplierStyle::dsp};
  else
    choices.multipliers = {MultiplierStyle::lut};
  return choices;
}

}  // namespace

SpaceOptions rtl_buildable_space(std::string_view accelerator, const Device& device) {
  SpaceOptions options;
  const AcceleratorTemplate& plugin = accelerator_template(accelerator);
  options.accelerator = plugin.name();
  for (const auto storage : plugin.default_storages(device))
    if (storage != WeightStorage::offchip) options.storages.push_back(storage);
  options.multipliers = {MultiplierStyle::lut};
  if (device.dsp.count > 0) options.multipliers.push_back(MultiplierStyle::automatic);
  return options;
}

const std::vector<int>& LayerChoices::values(std::string_view name) const {
  static const std::vector<int> none;
  for (std::size_t k = 0; k < fields.size(); ++k)
    if (fields[k].name == name) return parallelism[k];
  return none;
}

std::size_t LayerChoices::size() const {
  std::size_t count = storages.size() * multipliers.size();
  for (const auto& values : parallelism) count *= values.size();
  return count;
}

void LayerChoices::write(std::size_t index, LayerMapping& layer) const {
  layer.multipliers = multipliers[index % multipliers.size()];
  index /= multipliers.size();
  layer.storage = storages[index % storages.size()];
  index /= storages.size();
  layer.pe = layer.simd = layer.reuse = 1;
  for (std::size_t k = fields.size(); k-- > 0;) {
    layer.*fields[k].field = parallelism[k][index % parallelism[k].size()];
    index /= parallelism[k].size();
  }
}

MappingSpace::MappingSpace(const Workload& workload, const Device& device, SpaceOptions options)
    : options_(std::move(options)), accelerator_(&accelerator_template(options_.accelerator)) {
  options_.accelerator = accelerator_->name();
  if (options_.clocks_mhz.empty()) options_.clocks_mhz = {device.default_clock_mhz};
  if (options_.offchip_gbps.empty()) options_.offchip_gbps = {device.offchip_gbps};
  check_options(options_, *accelerator_, device);
  std::vector<Knob> knobs;
  for (std::size_t i = 0; i < workload.weight_units().size(); ++i) {
    const auto& unit = workload.weight_unit(i);
    auto choices = layer_choices(unit, *accelerator_, device, options_);
    // Off-chip weights need bandwidth: without any, the storage is not offered.
    const bool no_bandwidth = std::none_of(options_.offchip_gbps.begin(), options_.offchip_gbps.end(),
                                           [](double gbps) { return gbps > 0.0; });
    if (no_bandwidth) std::erase(choices.storages, WeightStorage::offchip);
    for (std::size_t k = 0; k < choices.fields.size(); ++k)
      knobs.push_back(Knob::choice(fmt::format("{}.{}", unit.name, choices.fields[k].name), as_doubles(choices.parallelism[k])));
    knobs.push_back(Knob::labels(unit.name + ".storage", storage_labels(choices.storages)));
    knobs.push_back(Knob::labels(unit.name + ".multipliers", multiplier_labels(choices.multipliers)));
    layers_.push_back(std::move(choices));
    names_.push_back(unit.name);
  }
  knobs.push_back(Knob::choice("clock_mhz", options_.clocks_mhz));
  knobs.push_back(Knob::choice("offchip_gbps", options_.offchip_gbps));
  space_ = Space(std::move(knobs));
}

Mapping MappingSpace::decode(const Design& design) const {
  Mapping mapping;
  mapping.layers.resize(layers_.size());
  for (std::size_t i = 0; i < layers_.size(); ++i) mapping.layers[i].layer = names_[i];
  decode_into(design, mapping);
  return mapping;
}

void MappingSpace::decode_into(const Design& design, Mapping& mapping) const {
  const auto& v = design.values;
  std::size_t k = 0;
  if (mapping.accelerator != options_.accelerator) mapping.accelerator = options_.accelerator;
  mapping.toggle_rate = options_.toggle_rate;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    auto& layer = mapping.layers[i];
    layer.pe = layer.simd = layer.reuse = 1;
    for (const auto& field : layers_[i].fields) layer.*field.field = static_cast<int>(v[k++]);
    layer.storage = layers_[i].storages[static_cast<std::size_t>(v[k++])];
    layer.multipliers = layers_[i].multipliers[static_cast<std::size_t>(v[k++])];
  }
  mapping.clock_mhz = v[k++];
  mapping.offchip_gbps = v[k++];
}

Design MappingSpace::encode(const Mapping& mapping) const {
  if (find_accelerator_template(mapping.accelerator) != accelerator_)
    throw InputError(fmt::format("mapping template {} is not the space's {}", mapping.accelerator, options_.accelerator));
  if (mapping.layers.size() != layers_.size())
    throw InputError(fmt::format("mapping has {} layers, the space {}", mapping.layers.size(), layers_.size()));
  const auto& knobs = space_.knobs();
  Design design;
  const auto put = [&](double value) {
    const auto& knob = knobs[design.values.size()];
    knob.index_of(value);  // throws InputError naming the knob
    design.values.push_back(value);
  };
  const auto position = [](const auto& list, auto value, const Knob& knob) {
    const auto it = std::find(list.begin(), list.end(), value);
    if (it == list.end())
      throw InputError(fmt::format("knob {}: {} is not in its domain", knob.name(), to_string(value)));
    return static_cast<double>(it - list.begin());
  };
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const auto& layer = mapping.layers[i];
    for (const auto& field : layers_[i].fields) put(layer.*field.field);
    put(position(layers_[i].storages, layer.storage, knobs[design.values.size()]));
    put(position(layers_[i].multipliers, layer.multipliers, knobs[design.values.size()]));
  }
  put(mapping.clock_mhz);
  put(mapping.offchip_gbps);
  return design;
}

}  // namespace codse::hw
