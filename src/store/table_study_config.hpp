#pragma once
// What identifies a study of a table of evaluated designs (`codse dse --table`, and a Python
// codse.Study over a table): the table's content, its knob columns, the objectives, the explorer,
// its seed and ask batch. A study resumes only under the configuration it was created with, so
// the CLI and the Python module build it here, in one place, and resume each other's studies.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/objective.hpp"
#include "core/table_space.hpp"

namespace codse {

/// The bytes of a table, hashed: FNV-1a (what codse stored until issue 17, kept to recognise
/// those studies) and SHA-256 (what it stores now).
struct TableHashes {
  std::string fnv1a;
  std::string sha256;
};

/// Hashes the file; InputError naming it when it cannot be read.
TableHashes hash_table(const std::string& path);

struct TableStudySettings {
  std::string table;          ///< the CSV's path (its file name is stored, not the path)
  std::string knob_selector;  ///< the --knobs selector the columns were chosen with
  std::vector<Objective> objectives;
  std::string explorer;
  std::uint64_t seed = 1;
  std::size_t batch = 1;
};

/// The configuration stored with the study. The table is identified by its content and file
/// name, not its path, so a moved identical table resumes and a changed one is refused.
nlohmann::json table_study_config(const TableStudySettings& settings, const TableHashes& hashes,
                                  const TableSpace& table);

/// A study stored before issue 17 holds the table's absolute path and FNV-1a. Its file name is
/// kept; its content is today's table when the FNV-1a equals this table's (then it takes this
/// table's SHA-256), otherwise it stays unknown and the resume is refused naming table_sha256.
nlohmann::json upgrade_table_study_config(nlohmann::json stored, const TableHashes& hashes,
                                          const nlohmann::json& today);

/// The study's name when none is given: TABLE-EXPLORER-seedS.
std::string default_table_study_name(const TableStudySettings& settings);

}  // namespace codse
