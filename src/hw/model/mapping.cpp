#include "hw/model/mapping.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::hw {
namespace {

constexpr std::string_view storage_names[] = {"bram", "uram", "lutram", "logic", "offchip"};
constexpr std::string_view multiplier_names[] = {"lut", "dsp", "auto"};

template <typename Enum, std::size_t N>
std::optional<Enum> from_names(std::string_view text, const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

template <std::size_t N>
std::string name_list(const std::string_view (&names)[N]) {
  std::string list;
  for (const auto name : names) list += fmt::format("{}{}", list.empty() ? "" : ", ", name);
  return list;
}

}  // namespace

std::string_view to_string(WeightStorage value) { return storage_names[static_cast<int>(value)]; }
std::string_view to_string(MultiplierStyle value) { return multiplier_names[static_cast<int>(value)]; }
std::string weight_storage_list() { return name_list(storage_names); }
std::string multiplier_style_list() { return name_list(multiplier_names); }
std::optional<WeightStorage> weight_storage_from_string(std::string_view text) {
  return from_names<WeightStorage>(text, storage_names);
}
std::optional<MultiplierStyle> multiplier_style_from_string(std::string_view text) {
  return from_names<MultiplierStyle>(text, multiplier_names);
}

const LayerMapping& Mapping::layer(std::string_view name) const {
  for (const auto& entry : layers)
    if (entry.layer == name) return entry;
  throw InputError(fmt::format("mapping: no entry for layer {}", name));
}

}  // namespace codse::hw
