#pragma once
// A thin RAII layer over the SQLite C API: a connection, a prepared statement and a transaction,
// each released by its destructor, and every failed call turned into an SqliteError that carries
// SQLite's message and result code. Nothing here knows about codse's schema (see store.hpp).

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace codse {

/// A failed SQLite call. code() is the extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE),
/// primary_code() its low byte (SQLITE_CONSTRAINT).
class SqliteError : public std::runtime_error {
 public:
  SqliteError(const std::string& message, int code);
  int code() const { return code_; }
  int primary_code() const { return code_ & 0xff; }

 private:
  int code_;
};

class SqliteDatabase {
 public:
  /// Opens path read-write, creating the file when create is true. Throws SqliteError.
  /// SQLite opens lazily: a file that is not a database is only detected by the first query.
  SqliteDatabase(const std::filesystem::path& path, bool create);
  enum class ReadOnly {
    shared,     ///< SQLITE_OPEN_READONLY: sees other connections' writes (needs the -shm of a WAL file)
    immutable,  ///< the URI parameter immutable=1: no locks, no -shm; for files nobody writes (read-only media)
  };
  /// Opens path read-only; never creates or changes a file.
  SqliteDatabase(const std::filesystem::path& path, ReadOnly mode);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  sqlite3* handle() const { return db_; }
  const std::filesystem::path& path() const { return path_; }

  /// Runs one or more statements that return no rows we need (DDL, PRAGMA settings).
  void execute(const std::string& sql);
  /// Runs a statement returning a single text value (e.g. "PRAGMA journal_mode=WAL").
  std::string query_text(const std::string& sql);
  /// How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
  void set_busy_timeout(int milliseconds);
  std::int64_t last_insert_rowid() const;

  /// Throws SqliteError with context and the connection's current message if rc is an error.
  void check(int rc, std::string_view context) const;

 private:
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
};

/// A prepared statement. Parameters are 1-based (as in SQLite), columns 0-based.
class SqliteStatement {
 public:
  SqliteStatement(SqliteDatabase& db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, double value);
  /// The text is copied by SQLite (SQLITE_TRANSIENT), so temporaries are safe.
  SqliteStatement& bind(int index, std::string_view value);

  /// Advances to the next row: true when a row is available, false when the statement is done.
  bool step();
  /// Steps a statement expected to return no row (INSERT, UPDATE).
  void run();
  void reset();

  std::int64_t column_int64(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  bool column_is_null(int column) const;

 private:
  SqliteDatabase* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE on construction (takes the write lock at once, so a read-then-write inside the
/// transaction cannot deadlock with another writer); ROLLBACK on destruction unless committed, so
/// an exception leaves the database as it was.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDatabase& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  void commit();

 private:
  SqliteDatabase* db_;
  bool open_ = true;
};

}  // namespace codse
