#pragma once
// The devices codse knows: the catalog compiled into codse (data/devices.json) plus the files
// users add (--devices, hardware.catalog). Each entry is a Device and, when `codse hw
// calibrate` fitted one, the Calibration of its unit costs.

#include <string>
#include <string_view>
#include <vector>

#include "hw/model/calibration.hpp"
#include "hw/model/device.hpp"

namespace codse::hw {

/// The devices codse knows: the built-in catalog plus any files added to it.
class DeviceCatalog {
 public:
  /// The catalog compiled into codse from data/devices.json.
  static DeviceCatalog builtin();
  /// Parses a catalog file; throws InputError naming the file, the device and the field that is
  /// missing or malformed ("devices.json: device XC7Z020: missing field 'lut'").
  static DeviceCatalog load(const std::string& path);
  /// Parses catalog text; source names it in messages.
  static DeviceCatalog parse(std::string_view text, const std::string& source);

  /// Adds other's devices; a device with a name already known replaces the known one.
  void extend(const DeviceCatalog& other);

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

}  // namespace codse::hw
