#include "report/recorded_weights.hpp"

#include <fmt/format.h>

namespace codse::report {

std::optional<std::filesystem::path> recorded_weights(const std::filesystem::path& store,
                                                      const nlohmann::json& artifacts) {
  if (!artifacts.is_object() || !artifacts.contains("weights") || !artifacts.at("weights").is_string())
    return std::nullopt;
  const auto entry = artifacts.at("weights").get<std::string>();
  if (!entry.empty()) return store.parent_path() / entry;
  if (!artifacts.contains("network_id") || !artifacts.at("network_id").is_number_unsigned()) return std::nullopt;
  auto dir = store;
  dir.replace_extension(".artifacts");
  return dir / "weights" / fmt::format("network-{:05}.bin", artifacts.at("network_id").get<std::size_t>());
}

}  // namespace codse::report
