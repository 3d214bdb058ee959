#pragma once
// `--devices FILE` (repeatable) in every command that names a device: JSON catalogs that extend
// the built-in one (a device of the same name replaces the built-in entry), e.g. a catalog written
// by `codse hw calibrate --out`. One option, one meaning, everywhere.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hw/model/device_catalog.hpp"

namespace codse {

void add_devices_option(CLI::App* command, std::vector<std::string>& files);

/// The built-in catalog extended by files, in order.
hw::DeviceCatalog device_catalog(const std::vector<std::string>& files);

}  // namespace codse
