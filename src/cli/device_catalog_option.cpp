#include "cli/device_catalog_option.hpp"

namespace codse {

void add_devices_option(CLI::App* command, std::vector<std::string>& files) {
  command->add_option("--devices", files, "JSON device catalog extending the built-in one (repeat), e.g. from hw calibrate --out")
      ->check(CLI::ExistingFile);
}

hw::DeviceCatalog device_catalog(const std::vector<std::string>& files) {
  auto catalog = hw::DeviceCatalog::builtin();
  for (const auto& file : files) catalog.extend(hw::DeviceCatalog::load(file));
  return catalog;
}

}  // namespace codse
