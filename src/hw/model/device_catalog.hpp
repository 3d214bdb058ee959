#pragma once
// The devices codse knows: the catalog compiled into codse (data/devices.json, with the
// calibrations of data/calibration/*.json) plus the files users add (--devices, hardware.catalog).
// Each entry is a Device and, when `codse hw calibrate` fitted one, the Calibration of its unit
// costs.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw/model/calibration.hpp"
#include "hw/model/device.hpp"

namespace codse::hw {

/// Which resource model estimates: the calibration the catalog carries for a device (fitted against
/// Yosys on codse's RTL; the published formulas for a device without one), or the templates'
/// published formulas for every device (FINN-R's for the folded template: what FINN's HLS build
/// is modelled to take). `--cost-model`, `hardware.cost_model`, Python's `cost_model=`.
enum class CostModel { calibrated, published };
std::string_view to_string(CostModel model);
std::optional<CostModel> cost_model_named(std::string_view name);

/// The devices codse knows: the built-in catalog plus any files added to it.
class DeviceCatalog {
 public:
  /// The catalog compiled into codse from data/devices.json, each device estimated with the
  /// calibration data/calibration/*.json carry for it (fitted against Yosys on codse's RTL), the
  /// others with the templates' published formulas (FINN-R's for the folded template).
  static DeviceCatalog builtin();
  /// Parses a catalog file; throws InputError naming the file, the device and the field that is
  /// missing or malformed ("devices.json: device XC7Z020: missing field 'lut'").
  static DeviceCatalog load(const std::string& path);
  /// Parses catalog text; source names it in messages.
  static DeviceCatalog parse(std::string_view text, const std::string& source);

  /// Adds other's devices; a device with a name already known replaces the known one, calibration
  /// included (an entry without one is uncalibrated).
  void extend(const DeviceCatalog& other);
  /// The same devices, estimated by the given model: as they are (calibrated), or every one with
  /// the published formulas.
  DeviceCatalog with_cost_model(CostModel model) const;

  const std::vector<Device>& devices() const { return devices_; }
  /// Case-insensitive lookup; throws InputError listing the known names when absent.
  const Device& find(std::string_view name) const;
  /// The calibration the catalog entry of a device carries (its "calibration" field); the
  /// identity (the published formulas) when it has none. Throws as find() for unknown names.
  const Calibration& calibration(std::string_view name) const;

 private:
  std::size_t index_of(std::string_view name) const;

  std::vector<Device> devices_;
  std::vector<Calibration> calibrations_;  // one per device, same order
};

/// The catalog JSON text compiled into codse (generated from data/devices.json by CMake).
std::string_view builtin_device_catalog_text();

/// A catalog file compiled into codse: its path in the source tree, for messages, and its text.
struct BuiltinCatalogFile {
  std::string_view name;
  std::string_view text;
};
/// The calibrated catalogs compiled into codse (data/calibration/*.json, written by `codse hw
/// calibrate --out`); builtin() takes the calibration of each of their devices.
const std::vector<BuiltinCatalogFile>& builtin_calibration_catalogs();

}  // namespace codse::hw
