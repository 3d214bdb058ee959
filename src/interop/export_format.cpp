#include "interop/export_format.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::interop {

const std::vector<ExportFormat>& export_formats() {
#define CODSE_EXPORT_FORMAT_ENTRY(name) name##_export_format(),
  static const std::vector<ExportFormat> formats{CODSE_EXPORT_FORMATS(CODSE_EXPORT_FORMAT_ENTRY)};
#undef CODSE_EXPORT_FORMAT_ENTRY
  return formats;
}

const ExportFormat* find_export_format(std::string_view name) {
  for (const auto& format : export_formats())
    if (format.name == name) return &format;
  return nullptr;
}

const ExportFormat& export_format(std::string_view name) {
  if (const auto* format = find_export_format(name)) return *format;
  throw InputError(fmt::format("unknown export format '{}' (known: {})", name, export_format_names()));
}

std::string export_format_names() {
  std::vector<std::string> names;
  for (const auto& format : export_formats()) names.push_back(format.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace codse::interop
