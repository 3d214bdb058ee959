#include "hw/model/device_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "nn/ir/json_input.hpp"

namespace codse::hw {
namespace {

using nlohmann::json;

/// Reads the fields of one device object, naming source, device and field in every error.
class DeviceReader {
 public:
  DeviceReader(const json& object, std::string source, std::string device)
      : object_(object), source_(std::move(source)), device_(std::move(device)) {}

  const json& field(const json& parent, const std::string& path, const char* name) const {
    if (!parent.contains(name)) throw error(path + name, "missing field");
    return parent.at(name);
  }

  double number(const json& parent, const std::string& path, const char* name, double min) const {
    const auto& value = field(parent, path, name);
    if (!value.is_number()) throw error(path + name, "expected a number");
    const double x = value.get<double>();
    if (!(x >= min)) throw error(path + name, fmt::format("{} is below {}", x, min));
    return x;
  }

  std::int64_t count(const json& parent, const std::string& path, const char* name, std::int64_t min = 0,
                     std::int64_t max = std::int64_t{1} << 40) const {
    const auto& value = field(parent, path, name);
    if (!value.is_number_integer()) throw error(path + name, "expected a whole number");
    // json_integer_in, not get<int64_t>: get wraps 2^64 - 1 to -1. No catalog count comes near 2^40.
    const auto x = nn::json_integer_in(value, min, max);
    if (!x) throw error(path + name, fmt::format("{} is out of range ({} to {})", value.dump(), min, max));
    return *x;
  }
  /// A count stored as an int (bits, LUT inputs).
  int small(const json& parent, const std::string& path, const char* name, std::int64_t min) const {
    return static_cast<int>(count(parent, path, name, min, 1 << 20));
  }

  std::string text(const json& parent, const std::string& path, const char* name) const {
    const auto& value = field(parent, path, name);
    if (!value.is_string()) throw error(path + name, "expected a string");
    return value.get<std::string>();
  }

  std::vector<MemoryShape> shapes(const json& parent, const std::string& path) const {
    const auto& list = field(parent, path, "shapes");
    if (!list.is_array()) throw error(path + "shapes", "expected a list of [depth, width] pairs");
    std::vector<MemoryShape> result;
    for (const auto& pair : list) {
      const std::int64_t most = std::int64_t{1} << 40;
      const auto depth = pair.is_array() && pair.size() == 2 ? nn::json_integer_in(pair[0], 1, most) : std::nullopt;
      const auto width = pair.is_array() && pair.size() == 2 ? nn::json_integer_in(pair[1], 1, most) : std::nullopt;
      if (!depth || !width)
        throw error(path + "shapes", "expected a list of [depth, width] pairs of positive integers (at most 2^40)");
      result.push_back({*depth, *width});
    }
    return result;
  }

  /// "libmap": {"byte": 9, "logic_rom_bit_cost": 0.015625,
  ///            "modes": [{"blocks": 1, "cost": 129, "shapes": [[1024, 18], ...]}, ...]}
  MemoryLibmap libmap(const json& block, const std::string& path) const {
    const std::string at = path + "libmap.";
    const auto& object = field(block, path, "libmap");
    if (!object.is_object()) throw error(path + "libmap", "expected an object with byte, logic_rom_bit_cost and modes");
    MemoryLibmap libmap{count(object, at, "byte"), number(object, at, "logic_rom_bit_cost", 1e-9), {}};
    const auto& modes = field(object, at, "modes");
    if (!modes.is_array() || modes.empty()) throw error(at + "modes", "expected a non-empty list of modes");
    for (std::size_t i = 0; i < modes.size(); ++i) {
      const std::string mode_path = fmt::format("{}modes[{}].", at, i);
      if (!modes[i].is_object()) throw error(mode_path.substr(0, mode_path.size() - 1), "expected an object");
      LibmapMode mode{count(modes[i], mode_path, "blocks", 1), number(modes[i], mode_path, "cost", 1e-9),
                      shapes(modes[i], mode_path)};
      if (mode.shapes.empty()) throw error(mode_path + "shapes", "a mode needs at least one shape");
      libmap.modes.push_back(std::move(mode));
    }
    return libmap;
  }

  MemoryBlock memory(const char* name) const {
    const auto& block = field(object_, "", name);
    const std::string path = std::string(name) + ".";
    MemoryBlock memory{text(block, path, "name"), count(block, path, "count"), shapes(block, path), {}};
    if (memory.count > 0 && memory.shapes.empty())
      throw error(path + "shapes", "a block with a positive count needs at least one shape");
    if (block.contains("libmap")) memory.libmap = libmap(block, path);
    return memory;
  }

  /// "missing field 'lut'" when what is "missing field", else "field 'lut': what".
  InputError error(const std::string& field_path, const std::string& what) const {
    if (what == "missing field")
      return InputError(fmt::format("{}: device {}: missing field '{}'", source_, device_, field_path));
    return InputError(fmt::format("{}: device {}: field '{}': {}", source_, device_, field_path, what));
  }

  const json& object() const { return object_; }

 private:
  const json& object_;
  std::string source_;
  std::string device_;
};

Device read_device(const json& object, const std::string& source, std::size_t index) {
  if (!object.is_object()) throw InputError(fmt::format("{}: devices[{}]: expected an object", source, index));
  if (!object.contains("name") || !object.at("name").is_string())
    throw InputError(fmt::format("{}: devices[{}]: missing field 'name'", source, index));
  Device device;
  device.name = object.at("name").get<std::string>();
  const DeviceReader r(object, source, device.name);
  device.board = object.value("board", std::string{});
  device.part = object.value("part", std::string{});
  device.family = object.value("family", std::string{});
  device.description = object.value("description", std::string{});
  device.lut = r.count(object, "", "lut", 1);
  device.ff = r.count(object, "", "ff", 1);
  device.lut_inputs = r.small(object, "", "lut_inputs", 2);
  if (device.lut_inputs > 8) throw r.error("lut_inputs", "expected 2..8 inputs");
  device.lutram_depth = r.count(object, "", "lutram_depth");
  device.lutram_luts = r.count(object, "", "lutram_luts");
  const auto& dsp = r.field(object, "", "dsp");
  device.dsp = {r.text(dsp, "dsp.", "name"), r.count(dsp, "dsp.", "count"),
                r.small(dsp, "dsp.", "a_bits", 1),
                r.small(dsp, "dsp.", "b_bits", 1)};
  device.bram = r.memory("bram");
  device.uram = r.memory("uram");
  device.max_clock_mhz = r.number(object, "", "max_clock_mhz", 1e-3);
  device.default_clock_mhz = r.number(object, "", "default_clock_mhz", 1e-3);
  if (device.default_clock_mhz > device.max_clock_mhz)
    throw r.error("default_clock_mhz", fmt::format("above max_clock_mhz {}", device.max_clock_mhz));
  device.offchip_gbps = r.number(object, "", "offchip_gbps", 0.0);
  device.static_power_w = r.number(object, "", "static_power_w", 0.0);
  if (object.contains("dsp_auto_min_product_bits"))
    device.dsp_auto_min_product_bits = r.small(object, "", "dsp_auto_min_product_bits", 2);
  const auto& power = r.field(object, "", "power");
  device.power = {r.number(power, "power.", "lut_uw_per_mhz", 0.0), r.number(power, "power.", "ff_uw_per_mhz", 0.0),
                  r.number(power, "power.", "dsp_uw_per_mhz", 0.0), r.number(power, "power.", "bram_uw_per_mhz", 0.0),
                  r.number(power, "power.", "uram_uw_per_mhz", 0.0), r.number(power, "power.", "toggle_rate", 1e-6)};
  if (object.contains("sources") && object.at("sources").is_array())
    for (const auto& line : object.at("sources"))
      if (line.is_string()) device.sources.push_back(line.get<std::string>());
  return device;
}

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

}  // namespace

DeviceCatalog DeviceCatalog::parse(std::string_view text, const std::string& source) {
  json document;
  try {
    document = nn::parse_json_unique_keys<json>(text, source);
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  if (!document.is_object() || !document.contains("devices") || !document.at("devices").is_array())
    throw InputError(fmt::format("{}: expected an object with a list 'devices'", source));
  DeviceCatalog catalog;
  const auto& list = document.at("devices");
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto device = read_device(list[i], source, i);
    for (const auto& known : catalog.devices_)
      if (lower(known.name) == lower(device.name))
        throw InputError(fmt::format("{}: device {} appears twice", source, device.name));
    catalog.calibrations_.push_back(list[i].contains("calibration")
                                        ? Calibration::from_json(list[i].at("calibration"), source + ": device " + device.name)
                                        : Calibration{});
    catalog.devices_.push_back(std::move(device));
  }
  return catalog;
}

DeviceCatalog DeviceCatalog::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot read the device file", path));
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

DeviceCatalog DeviceCatalog::builtin() {
  auto catalog = parse(builtin_device_catalog_text(), "built-in devices.json");
  // Only the calibrations: a device's resources stay those of devices.json, whatever a calibration
  // file written from an older catalog says about them.
  for (const auto& file : builtin_calibration_catalogs()) {
    const auto fitted = parse(file.text, std::string(file.name));
    for (std::size_t i = 0; i < fitted.devices_.size(); ++i)
      catalog.calibrations_[catalog.index_of(fitted.devices_[i].name)] = fitted.calibrations_[i];
  }
  return catalog;
}

DeviceCatalog DeviceCatalog::with_cost_model(CostModel model) const {
  auto catalog = *this;
  if (model == CostModel::published)
    std::fill(catalog.calibrations_.begin(), catalog.calibrations_.end(), Calibration{});
  return catalog;
}

std::string_view to_string(CostModel model) { return model == CostModel::calibrated ? "calibrated" : "published"; }

std::optional<CostModel> cost_model_named(std::string_view name) {
  if (name == "calibrated") return CostModel::calibrated;
  if (name == "published") return CostModel::published;
  return std::nullopt;
}

void DeviceCatalog::extend(const DeviceCatalog& other) {
  for (std::size_t i = 0; i < other.devices_.size(); ++i) {
    const auto& device = other.devices_[i];
    auto same = std::find_if(devices_.begin(), devices_.end(),
                             [&](const Device& known) { return lower(known.name) == lower(device.name); });
    if (same != devices_.end()) {
      *same = device;
      calibrations_[static_cast<std::size_t>(same - devices_.begin())] = other.calibrations_[i];
    } else {
      devices_.push_back(device);
      calibrations_.push_back(other.calibrations_[i]);
    }
  }
}

const Device& DeviceCatalog::find(std::string_view name) const { return devices_[index_of(name)]; }

const Calibration& DeviceCatalog::calibration(std::string_view name) const { return calibrations_[index_of(name)]; }

std::size_t DeviceCatalog::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < devices_.size(); ++i)
    if (lower(devices_[i].name) == lower(name)) return i;
  std::string names;
  for (const auto& device : devices_) names += (names.empty() ? "" : ", ") + device.name;
  throw InputError(fmt::format("unknown device '{}' (known: {}; add one with --devices FILE)", name, names));
}

}  // namespace codse::hw
