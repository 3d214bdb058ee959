#include "cli/device_catalog_option.hpp"

#include <fmt/format.h>

namespace codse {

void add_devices_option(CLI::App* command, DeviceCatalogOptions& options, bool estimates) {
  command->add_option("--devices", options.files, "JSON device catalog extending the built-in one (repeat), e.g. from hw calibrate --out")
      ->check(CLI::ExistingFile);
  if (estimates)
    command
        ->add_option_function<std::string>(
            "--cost-model", [&options](const std::string& name) { options.cost_model = *hw::cost_model_named(name); },
            "calibrated: each device's calibration against Yosys on codse's RTL where the catalog has one "
            "(codse hw devices shows which); published: the templates' published formulas (FINN-R's for "
            "the folded template) for every device")
        ->check(CLI::IsMember({"calibrated", "published"}))
        ->default_str("calibrated");
}

hw::DeviceCatalog device_catalog(const DeviceCatalogOptions& options) {
  auto catalog = hw::DeviceCatalog::builtin();
  for (const auto& file : options.files) catalog.extend(hw::DeviceCatalog::load(file));
  return catalog.with_cost_model(options.cost_model);
}

std::string cost_model_line(const hw::Calibration& calibration) {
  if (calibration.is_identity()) return "cost model: the template's published formulas (uncalibrated)";
  if (calibration.by_terms) return fmt::format("cost model: codse's RTL, calibrated ({})", calibration.source);
  return fmt::format("cost model: the published formulas, linearly corrected ({})", calibration.source);
}

}  // namespace codse
