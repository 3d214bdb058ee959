#include "interop/design_export.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/integer/integer_export.hpp"

namespace codse::interop {

ExportedDesign make_exported_design(nn::Network network, nn::Weights weights, std::optional<hw::Mapping> mapping,
                                    std::optional<hw::Device> device, std::string source) {
  ExportedDesign design{std::move(network), std::move(weights), std::nullopt, {}, std::move(mapping),
                        std::move(device), std::move(source), {}};
  try {
    design.integer_model = nn::export_integer_model(design.network, design.weights);
  } catch (const InputError& error) {  // a float network still exports its other files
    design.integer_model_error = error.what();
  }
  return design;
}

std::vector<const ExportFormat*> chosen_formats(const ExportedDesign& design, const std::vector<std::string>& names,
                                                const std::string& option) {
  std::vector<const ExportFormat*> chosen;
  if (names.empty()) {
    for (const auto& format : export_formats())
      if (format.why_not(design).empty()) chosen.push_back(&format);
    return chosen;
  }
  for (const auto& name : names) {
    const auto* format = find_export_format(name);
    if (!format)
      throw InputError(fmt::format("{} {}: unknown export format (known: {})", option, name, export_format_names()));
    if (const auto why = format->why_not(design); !why.empty())
      throw InputError(fmt::format("{} {}: cannot export this design: {}", option, name, why));
    if (std::find(chosen.begin(), chosen.end(), format) == chosen.end()) chosen.push_back(format);
  }
  return chosen;
}

std::vector<std::string> export_design(const ExportedDesign& design, const std::filesystem::path& dir,
                                       const std::vector<const ExportFormat*>& formats, const std::string& option) {
  if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir))
    throw InputError(fmt::format("{} {}: is a file, expected a directory to export into", option, dir.string()));
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir))
    throw InputError(fmt::format("{} {}: cannot create the directory ({})", option, dir.string(), error.message()));
  std::vector<std::string> written;
  for (const auto* format : formats) {
    format->write(design, dir);
    written.insert(written.end(), format->files.begin(), format->files.end());
  }
  return written;
}

}  // namespace codse::interop
