#pragma once
// The Store: a SQLite database of studies and their trials, the single source of truth for
// resuming a study and for reports.
//
// Schema (version 2; meta.schema_version says which one a file holds):
//   meta(key, value)                  'application' = 'codse', 'schema_version' = '2'
//   studies(id, name UNIQUE, config JSON text, created_at)
//   trials(study_id, number, design_key 16 hex digits, design JSON array, status
//          'complete'|'failed', metrics JSON object, fidelity, seconds, error, finished_at,
//          artifacts JSON object)
//     PRIMARY KEY (study_id, number), UNIQUE (study_id, design_key)
//   documents(study_id, key, json, updated_at)  PRIMARY KEY (study_id, key)
// Version 1 (no artifacts, no documents) is migrated to version 2 when opened.
// Doubles are stored as JSON numbers printed to round-trip exactly (see trial_codec.hpp); times
// are UTC ISO-8601 text.
//
// Durability: WAL journal with synchronous=FULL by default, so every recorded trial is fsync'ed
// before record() returns and survives a power loss, not just a killed process (synchronous=NORMAL
// with WAL only guarantees the latter). The cost is one fsync per trial (about 3.4 ms here against
// 0.1 ms with NORMAL), nothing next to a synthesis or a training run; a study whose evaluations are
// table lookups may choose Durability::process_crash. Either way every write is a transaction, so a
// crash mid-write never corrupts or half-writes stored results.
// Several processes may share a file: writers wait up to busy_timeout_ms for each other.
//
// Failures (store_error.hpp): every message names the file, what failed and why in words (never
// SQL). A file that cannot be a store (not a database, another application's, a newer schema, a
// path that cannot be opened) is an InputError (exit 2); a full disk, an I/O error or a lock held
// too long, at open or while a run reads or writes, a std::runtime_error (exit 1).

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/study_journal.hpp"

namespace codse {

/// What a recorded trial survives once record() has returned.
enum class Durability {
  power_loss,     ///< synchronous=FULL: fsync on every commit
  process_crash,  ///< synchronous=NORMAL: a killed process loses nothing; an OS crash or power loss
                  ///< may lose the last trials (never corrupt the file)
};

/// Store::Store(path, StoreAccess::read_only) opens a store for reading only (report, explore
/// --compare): nothing is created, migrated or written, so it works on read-only media and never
/// turns a wrong file into a store.
enum class StoreAccess { read_only };

class Store {
 public:
  static constexpr int schema_version = 2;
  static constexpr int busy_timeout_ms = 10'000;

  /// Opens the store at path, creating the file (not its directory) if it does not exist.
  /// Throws InputError naming the file if it cannot be opened or created, is not an SQLite
  /// database, is an SQLite database of something else, or has a schema version this build does
  /// not know (e.g. written by a newer codse).
  explicit Store(const std::filesystem::path& path, Durability durability = Durability::power_loss);

  /// Opens an existing store for reading only. Throws InputError naming the file when it does not
  /// exist, is empty, is not a codse store or has a schema version this build does not read
  /// without upgrading it; the file is left untouched. A store in WAL mode on read-only media
  /// (where SQLite cannot create its -shm file) is read as an immutable file. open_study on such
  /// a store throws.
  Store(const std::filesystem::path& path, StoreAccess access);

  const std::filesystem::path& path() const;

  /// Creates the study, or opens the existing study of that name if its stored configuration
  /// equals config; otherwise throws InputError naming the store, the study and every field that
  /// differs. This is what keeps a resumed run from mixing trials of different settings.
  StudyJournal open_study(const std::string& name, const nlohmann::json& config);
  /// As above, comparing upgrade(stored configuration) with config: how a newer codse reads what
  /// an older one stored (a renamed value), so its studies still resume. The row is not rewritten.
  StudyJournal open_study(const std::string& name, const nlohmann::json& config,
                          const std::function<nlohmann::json(nlohmann::json)>& upgrade);
  /// Opens an existing study whatever its configuration (for reports). Throws InputError naming
  /// the store and listing its studies if there is none of that name.
  StudyJournal study(const std::string& name) const;
  /// Names of the stored studies in creation order.
  std::vector<std::string> study_names() const;

 private:
  StudyJournal open_study_unchecked(const std::string& name, const nlohmann::json& config,
                                    const std::function<nlohmann::json(nlohmann::json)>& upgrade);
  StudyJournal study_unchecked(const std::string& name) const;

  std::shared_ptr<StoreConnection> connection_;
};

}  // namespace codse
