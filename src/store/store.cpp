#include "store/store.hpp"

#include <optional>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "store/config_diff.hpp"
#include "store/store_error.hpp"
#include "store/store_connection.hpp"

namespace codse {
namespace {

constexpr std::string_view application = "codse";

constexpr const char* schema_v1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE studies (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  config     TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE trials (
  study_id    INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  number      INTEGER NOT NULL CHECK (number >= 0),
  design_key  TEXT NOT NULL,
  design      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('complete', 'failed')),
  metrics     TEXT NOT NULL,
  fidelity    TEXT NOT NULL,
  seconds     REAL NOT NULL,
  error       TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (study_id, number),
  UNIQUE (study_id, design_key)
);
)sql";

// Version 2 adds each trial's artifacts (a JSON object) and study-level documents (the objectives,
// hints and hypervolume history a report reads). It is also the migration from version 1.
constexpr const char* schema_v2_additions = R"sql(
ALTER TABLE trials ADD COLUMN artifacts TEXT NOT NULL DEFAULT '{}';
CREATE TABLE documents (
  study_id   INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  json       TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (study_id, key)
);
)sql";

void set_schema_version(SqliteDatabase& db) {
  SqliteStatement update(db, "UPDATE meta SET value = ? WHERE key = 'schema_version'");
  update.bind(1, std::string_view(std::to_string(Store::schema_version))).run();
}

std::string display(const std::filesystem::path& path) { return path.string(); }

std::optional<std::string> meta_value(SqliteDatabase& db, std::string_view key) {
  SqliteStatement select(db, "SELECT value FROM meta WHERE key = ?");
  select.bind(1, key);
  if (!select.step()) return std::nullopt;
  return select.column_text(0);
}

/// Fails unless meta says this is a codse store of a schema version this build reads; migrates
/// an older version in place (the caller's transaction makes the migration all or nothing) unless
/// the store is read-only.
void check_schema(SqliteDatabase& db, bool read_only = false) {
  const auto& path = db.path();
  if (meta_value(db, "application") != std::string(application))
    throw InputError(fmt::format("{} is an SQLite database but not a codse store", display(path)));
  const auto text = meta_value(db, "schema_version").value_or("");
  int version = 0;
  try {
    std::size_t used = 0;
    version = std::stoi(text, &used);
    if (used != text.size()) version = 0;
  } catch (const std::exception&) {
    version = 0;
  }
  if (version > Store::schema_version)
    throw InputError(fmt::format(
        "{} has store schema version {}, newer than this codse reads (up to {}); use a newer codse",
        display(path), version, Store::schema_version));
  if (version < 1)
    throw InputError(
        fmt::format("{} has an unknown store schema version '{}'", display(path), text));
  if (version == 1 && read_only)
    throw InputError(fmt::format("{} has store schema version 1, which this codse upgrades when it writes to the "
                                 "store; open it once with a writing command (e.g. explore --resume) first",
                                 display(path)));
  if (version == 1) {
    db.execute(schema_v2_additions);
    set_schema_version(db);
  }
}

/// Creates the schema in an empty database, or checks the one that is there. Runs as one
/// write transaction so that two processes creating the same store cannot both create it.
void create_or_check_schema(SqliteDatabase& db) {
  SqliteTransaction transaction(db);
  SqliteStatement count(db, "SELECT count(*) FROM sqlite_schema");
  count.step();
  if (count.column_int64(0) == 0) {
    db.execute(schema_v1);
    db.execute(schema_v2_additions);
    SqliteStatement insert(db, "INSERT INTO meta (key, value) VALUES (?, ?)");
    insert.bind(1, std::string_view("application")).bind(2, application).run();
    insert.reset();
    insert.bind(1, std::string_view("schema_version"))
        .bind(2, std::string_view(std::to_string(Store::schema_version)))
        .run();
  } else {
    SqliteStatement has_meta(db,
                             "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'");
    if (!has_meta.step())
      throw InputError(
          fmt::format("{} is an SQLite database but not a codse store", display(db.path())));
    check_schema(db);
  }
  transaction.commit();
}

void configure(SqliteDatabase& db, Durability durability) {
  // WAL lets reports read while a study writes and makes each commit one append. If the file
  // system cannot do WAL (no shared memory, e.g. some network mounts) SQLite keeps its rollback
  // journal, which is just as safe, only slower.
  db.query_text("PRAGMA journal_mode = WAL");
  db.execute(durability == Durability::power_loss ? "PRAGMA synchronous = FULL"
                                                  : "PRAGMA synchronous = NORMAL");
  db.execute("PRAGMA foreign_keys = ON");
}

std::shared_ptr<StoreConnection> open_connection(const std::filesystem::path& path,
                                                 Durability durability) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{} is a directory, not a codse store", display(path)));
  try {
    auto connection = std::make_shared<StoreConnection>(path);
    connection->db.set_busy_timeout(Store::busy_timeout_ms);
    create_or_check_schema(connection->db);
    configure(connection->db, durability);
    return connection;
  } catch (const SqliteError& error) {
    if (error.primary_code() == SQLITE_NOTADB)
      throw InputError(
          fmt::format("{} is not a codse store (not an SQLite database)", display(path)));
    // A full disk, an I/O error or a lock held too long are failures while running (exit 1);
    // a path that cannot hold a store is bad input (exit 2).
    const auto code = error.primary_code();
    if (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_BUSY || code == SQLITE_LOCKED ||
        code == SQLITE_NOMEM)
      throw std::runtime_error(store_failure_message(path, "open the codse store", error));
    throw InputError(store_failure_message(path, "open the codse store", error));
  }
}

/// Reads the schema of a store opened read-only; throws SqliteError when SQLite cannot read it.
void check_schema_read_only(SqliteDatabase& db) {
  SqliteStatement count(db, "SELECT count(*) FROM sqlite_schema");
  count.step();
  if (count.column_int64(0) == 0)
    throw InputError(fmt::format("{} is empty, not a codse store (left as it is)", display(db.path())));
  SqliteStatement has_meta(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'");
  if (!has_meta.step())
    throw InputError(fmt::format("{} is an SQLite database but not a codse store", display(db.path())));
  check_schema(db, true);
}

std::shared_ptr<StoreConnection> open_read_only(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{} is a directory, not a codse store", display(path)));
  if (!std::filesystem::exists(path, ec)) throw InputError(fmt::format("{}: no such store file", display(path)));
  const auto attempt = [&](SqliteDatabase::ReadOnly mode) {
    auto connection = std::make_shared<StoreConnection>(path, mode);
    connection->db.set_busy_timeout(Store::busy_timeout_ms);
    check_schema_read_only(connection->db);
    return connection;
  };
  try {
    try {
      return attempt(SqliteDatabase::ReadOnly::shared);
    } catch (const SqliteError& error) {
      // A WAL file whose -shm SQLite can neither find nor create (read-only media): nobody can
      // be writing it, so read it as immutable.
      if (error.primary_code() != SQLITE_CANTOPEN && error.primary_code() != SQLITE_READONLY) throw;
      return attempt(SqliteDatabase::ReadOnly::immutable);
    }
  } catch (const SqliteError& error) {
    if (error.primary_code() == SQLITE_NOTADB)
      throw InputError(fmt::format("{} is not a codse store (not an SQLite database)", display(path)));
    throw InputError(store_failure_message(path, "read the codse store", error));
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += (text.empty() ? "" : "; ") + line;
  return text;
}

}  // namespace

Store::Store(const std::filesystem::path& path, Durability durability)
    : connection_(open_connection(path, durability)) {}

Store::Store(const std::filesystem::path& path, StoreAccess) : connection_(open_read_only(path)) {}

const std::filesystem::path& Store::path() const { return connection_->db.path(); }

StudyJournal Store::open_study(const std::string& name, const nlohmann::json& config) {
  return open_study(name, config, [](nlohmann::json stored) { return stored; });
}

StudyJournal Store::open_study(const std::string& name, const nlohmann::json& config,
                               const std::function<nlohmann::json(nlohmann::json)>& upgrade) {
  return store_operation(path(), fmt::format("open study '{}'", name),
                         [&] { return open_study_unchecked(name, config, upgrade); });
}

StudyJournal Store::open_study_unchecked(const std::string& name, const nlohmann::json& config,
                                         const std::function<nlohmann::json(nlohmann::json)>& upgrade) {
  std::lock_guard lock(connection_->mutex);
  if (connection_->read_only)
    throw std::logic_error(fmt::format("{}: open_study on a store opened read-only", display(path())));
  auto& db = connection_->db;
  SqliteTransaction transaction(db);
  SqliteStatement select(db, "SELECT id, config FROM studies WHERE name = ?");
  select.bind(1, std::string_view(name));
  if (select.step()) {
    const auto id = select.column_int64(0);
    auto stored = nlohmann::json::parse(select.column_text(1), nullptr, false);
    if (stored.is_discarded())
      throw InputError(
          fmt::format("{}: study '{}' has an unreadable configuration", display(path()), name));
    stored = upgrade(std::move(stored));
    if (stored != config)
      throw InputError(fmt::format(
          "{}: study '{}' was created with other settings ({}); run with the same settings to "
          "resume it, or use another store",
          display(path()), name, join_lines(config_differences(stored, config))));
    return StudyJournal(connection_, id, name, stored);
  }
  SqliteStatement insert(db, "INSERT INTO studies (name, config) VALUES (?, ?)");
  insert.bind(1, std::string_view(name)).bind(2, std::string_view(config.dump())).run();
  const auto id = db.last_insert_rowid();
  transaction.commit();
  return StudyJournal(connection_, id, name, config);
}

StudyJournal Store::study(const std::string& name) const {
  return store_operation(path(), fmt::format("read study '{}'", name), [&] { return study_unchecked(name); });
}

StudyJournal Store::study_unchecked(const std::string& name) const {
  std::lock_guard lock(connection_->mutex);
  SqliteStatement select(connection_->db, "SELECT id, config FROM studies WHERE name = ?");
  select.bind(1, std::string_view(name));
  if (!select.step()) {
    std::string known;
    SqliteStatement names(connection_->db, "SELECT name FROM studies ORDER BY id");
    while (names.step()) known += (known.empty() ? "" : ", ") + names.column_text(0);
    throw InputError(fmt::format("{} has no study '{}' (studies: {})", display(path()), name,
                                 known.empty() ? "none" : known));
  }
  const auto id = select.column_int64(0);
  auto config = nlohmann::json::parse(select.column_text(1), nullptr, false);
  if (config.is_discarded())
    throw InputError(
        fmt::format("{}: study '{}' has an unreadable configuration", display(path()), name));
  return StudyJournal(connection_, id, name, std::move(config));
}

std::vector<std::string> Store::study_names() const {
  return store_operation(path(), "list the studies", [&] {
    std::lock_guard lock(connection_->mutex);
    std::vector<std::string> names;
    SqliteStatement select(connection_->db, "SELECT name FROM studies ORDER BY id");
    while (select.step()) names.push_back(select.column_text(0));
    return names;
  });
}

}  // namespace codse
