#pragma once
// `--devices FILE` (repeatable) in every command that names a device: JSON catalogs that extend
// the built-in one (a device of the same name replaces the built-in entry), e.g. a catalog written
// by `codse hw calibrate --out`. And `--cost-model calibrated|published` in the commands that
// estimate: published takes the templates' published formulas (FINN-R's) instead of the
// calibrations the catalog carries. One option, one meaning, everywhere.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hw/model/device_catalog.hpp"

namespace codse {

struct DeviceCatalogOptions {
  std::vector<std::string> files;  // --devices
  hw::CostModel cost_model = hw::CostModel::calibrated;  // --cost-model
};

/// --devices, and --cost-model when the command estimates resources.
void add_devices_option(CLI::App* command, DeviceCatalogOptions& options, bool estimates = true);

/// The built-in catalog extended by the files, in order, with the cost model asked for.
hw::DeviceCatalog device_catalog(const DeviceCatalogOptions& options);

/// One line saying which cost model estimates a device: its calibration's source, or the
/// published formulas (what --cost-model published and devices without a calibration use).
std::string cost_model_line(const hw::Calibration& calibration);

}  // namespace codse
