#include "store/table_study_config.hpp"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "core/content_hash.hpp"
#include "core/error.hpp"

namespace codse {

TableHashes hash_table(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the table (no such file or unreadable)", path));
  std::uint64_t fnv = 1469598103934665603ull;
  ContentHash sha;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    const auto count = static_cast<std::size_t>(in.gcount());
    for (std::size_t i = 0; i < count; ++i) {
      fnv ^= static_cast<unsigned char>(buffer[i]);
      fnv *= 1099511628211ull;
    }
    sha.update(std::string_view(buffer.data(), count));
  }
  if (in.bad()) throw InputError(fmt::format("{}: cannot read the table", path));
  return {fmt::format("{:016x}", fnv), sha.hex()};
}

nlohmann::json table_study_config(const TableStudySettings& settings, const TableHashes& hashes,
                                  const TableSpace& table) {
  nlohmann::json objective_list = nlohmann::json::array();
  for (const auto& objective : settings.objectives) objective_list.push_back(objective.to_string());
  // The knob columns chosen (a function of the table and the selector): `report` names the design
  // values with them, since the table may no longer be where the study found it.
  nlohmann::json knob_columns = nlohmann::json::array();
  for (const auto& knob : table.space().knobs()) knob_columns.push_back(knob.name());
  return {{"command", "dse"},
          {"table", std::filesystem::path(settings.table).filename().string()},
          {"table_sha256", hashes.sha256},
          {"knobs", settings.knob_selector},
          {"knob_columns", knob_columns},
          {"objectives", objective_list},
          {"algo", settings.explorer},
          {"seed", settings.seed},
          {"batch", settings.batch}};
}

nlohmann::json upgrade_table_study_config(nlohmann::json stored, const TableHashes& hashes,
                                          const nlohmann::json& today) {
  if (!stored.is_object() || !stored.contains("table_fnv1a") || stored.contains("table_sha256")) return stored;
  const auto fnv = stored["table_fnv1a"];
  stored.erase("table_fnv1a");
  // Not stored then; the same table and --knobs choose the same columns.
  if (stored.value("knobs", nlohmann::json()) == today.value("knobs", nlohmann::json()))
    stored["knob_columns"] = today.value("knob_columns", nlohmann::json());
  if (stored.contains("table") && stored["table"].is_string())
    stored["table"] = std::filesystem::path(stored["table"].get<std::string>()).filename().string();
  stored["table_sha256"] = fnv.is_string() && fnv.get<std::string>() == hashes.fnv1a
                               ? hashes.sha256
                               : "unknown: stored by an older codse as FNV-1a " + fnv.dump() + ", another content";
  return stored;
}

std::string default_table_study_name(const TableStudySettings& settings) {
  return fmt::format("{}-{}-seed{}", std::filesystem::path(settings.table).stem().string(), settings.explorer,
                     settings.seed);
}

}  // namespace codse
