#include "hw/map/mapping_space.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"

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

void check_options(const SpaceOptions& options, const Device& device) {
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
                           : storage == WeightStorage::offchip
                               ? device.has_offchip_memory() && options.kind == Template::dataflow_folded
                               : true;
    if (!available)
      throw InputError(fmt::format("storage {} is not available on device {} with template {}", to_string(storage),
                                   device.name, to_string(options.kind)));
    if (storage == WeightStorage::offchip)
      for (const double gbps : options.offchip_gbps)
        if (!(gbps > 0.0)) throw InputError("storage offchip needs every off-chip bandwidth to be above 0");
  }
  for (const auto style : options.multipliers)
    if (style == MultiplierStyle::dsp && device.dsp.count <= 0)
      throw InputError(fmt::format("multipliers dsp: device {} has no DSP blocks", device.name));
}

LayerChoices layer_choices(const Unit& unit, const Device& device, const SpaceOptions& options) {
  LayerChoices choices;
  if (options.kind == Template::dataflow_folded) {
    choices.pe = divisors(unit.mh);
    choices.simd = divisors(unit.is_conv ? unit.in_channels : unit.mw);
  } else {
    // hls4ml needs at most one pass over the inputs per multiplier: R <= inputs per output.
    for (const int r : divisors(unit.mw * unit.mh))
      if (r <= unit.mw) choices.reuse.push_back(r);
  }
  choices.storages = options.storages.empty() ? default_storages(options.kind, device) : options.storages;
  if (!options.multipliers.empty())
    choices.multipliers = options.multipliers;
  else if (device.dsp.count > 0 && !unit.xnor)
    choices.multipliers = {MultiplierStyle::lut, MultiplierStyle::dsp};
  else
    choices.multipliers = {MultiplierStyle::lut};
  return choices;
}

}  // namespace

std::vector<int> divisors(std::int64_t n) {
  std::vector<int> small, large;
  for (std::int64_t d = 1; d * d <= n; ++d) {
    if (n % d != 0) continue;
    small.push_back(static_cast<int>(d));
    if (d != n / d) large.push_back(static_cast<int>(n / d));
  }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

SpaceOptions rtl_buildable_space(Template kind, const Device& device) {
  SpaceOptions options;
  options.kind = kind;
  for (const auto storage : default_storages(kind, device))
    if (storage != WeightStorage::uram && storage != WeightStorage::offchip) options.storages.push_back(storage);
  options.multipliers = {MultiplierStyle::lut};
  if (device.dsp.count > 0) options.multipliers.push_back(MultiplierStyle::automatic);
  return options;
}

std::vector<WeightStorage> default_storages(Template kind, const Device& device) {
  std::vector<WeightStorage> storages;
  if (kind == Template::dataflow_unrolled) {
    storages.push_back(WeightStorage::logic);
    if (device.bram.present()) storages.push_back(WeightStorage::bram);
    return storages;
  }
  if (device.bram.present()) storages.push_back(WeightStorage::bram);
  storages.push_back(device.lutram_depth > 0 ? WeightStorage::lutram : WeightStorage::logic);
  if (device.uram.present()) storages.push_back(WeightStorage::uram);
  if (device.has_offchip_memory()) storages.push_back(WeightStorage::offchip);
  return storages;
}

std::size_t LayerChoices::size(Template kind) const {
  const std::size_t parallelism = kind == Template::dataflow_folded ? pe.size() * simd.size() : reuse.size();
  return parallelism * storages.size() * multipliers.size();
}

void LayerChoices::write(Template kind, std::size_t index, LayerMapping& layer) const {
  layer.multipliers = multipliers[index % multipliers.size()];
  index /= multipliers.size();
  layer.storage = storages[index % storages.size()];
  index /= storages.size();
  if (kind == Template::dataflow_folded) {
    layer.simd = simd[index % simd.size()];
    index /= simd.size();
    layer.pe = pe[index % pe.size()];
    layer.reuse = 1;
  } else {
    layer.reuse = reuse[index % reuse.size()];
    layer.pe = layer.simd = 1;
  }
}

MappingSpace::MappingSpace(const Workload& workload, const Device& device, SpaceOptions options)
    : options_(std::move(options)) {
  if (options_.clocks_mhz.empty()) options_.clocks_mhz = {device.default_clock_mhz};
  if (options_.offchip_gbps.empty()) options_.offchip_gbps = {device.offchip_gbps};
  check_options(options_, device);
  std::vector<Knob> knobs;
  for (std::size_t i = 0; i < workload.weight_units().size(); ++i) {
    const auto& unit = workload.weight_unit(i);
    auto choices = layer_choices(unit, device, options_);
    // Off-chip weights need bandwidth: without any, the storage is not offered.
    const bool no_bandwidth = std::none_of(options_.offchip_gbps.begin(), options_.offchip_gbps.end(),
                                           [](double gbps) { return gbps > 0.0; });
    if (no_bandwidth) std::erase(choices.storages, WeightStorage::offchip);
    if (options_.kind == Template::dataflow_folded) {
      knobs.push_back(Knob::choice(unit.name + ".pe", as_doubles(choices.pe)));
      knobs.push_back(Knob::choice(unit.name + ".simd", as_doubles(choices.simd)));
    } else {
      knobs.push_back(Knob::choice(unit.name + ".reuse", as_doubles(choices.reuse)));
    }
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
  mapping.kind = options_.kind;
  mapping.toggle_rate = options_.toggle_rate;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    auto& layer = mapping.layers[i];
    if (options_.kind == Template::dataflow_folded) {
      layer.pe = static_cast<int>(v[k++]);
      layer.simd = static_cast<int>(v[k++]);
      layer.reuse = 1;
    } else {
      layer.reuse = static_cast<int>(v[k++]);
      layer.pe = layer.simd = 1;
    }
    layer.storage = layers_[i].storages[static_cast<std::size_t>(v[k++])];
    layer.multipliers = layers_[i].multipliers[static_cast<std::size_t>(v[k++])];
  }
  mapping.clock_mhz = v[k++];
  mapping.offchip_gbps = v[k++];
}

Design MappingSpace::encode(const Mapping& mapping) const {
  if (mapping.kind != options_.kind)
    throw InputError(fmt::format("mapping template {} is not the space's {}", to_string(mapping.kind),
                                 to_string(options_.kind)));
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
    if (options_.kind == Template::dataflow_folded) {
      put(layer.pe);
      put(layer.simd);
    } else {
      put(layer.reuse);
    }
    put(position(layers_[i].storages, layer.storage, knobs[design.values.size()]));
    put(position(layers_[i].multipliers, layer.multipliers, knobs[design.values.size()]));
  }
  put(mapping.clock_mhz);
  put(mapping.offchip_gbps);
  return design;
}

}  // namespace codse::hw
