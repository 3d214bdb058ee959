#include "store/sqlite.hpp"

#include <cctype>
#include <limits>
#include <string>

#include <sqlite3.h>

namespace codse {

SqliteError::SqliteError(const std::string& message, int code)
    : std::runtime_error(message), code_(code) {}

SqliteDatabase::SqliteDatabase(const std::filesystem::path& path, bool create) : path_(path) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 allocates a handle even on failure; it must be closed.
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError("cannot open " + path.string() + ": " + message, rc);
  }
  sqlite3_extended_result_codes(db_, 1);
}

namespace {

/// A file name as an SQLite URI path: every byte outside [A-Za-z0-9/._-] percent-encoded.
std::string uri_path(const std::filesystem::path& path) {
  static const char hex[] = "0123456789ABCDEF";
  std::string uri;
  for (const char c : std::filesystem::absolute(path).string()) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '/' || c == '.' || c == '_' || c == '-') {
      uri.push_back(c);
    } else {
      uri.push_back('%');
      uri.push_back(hex[byte >> 4]);
      uri.push_back(hex[byte & 15]);
    }
  }
  return uri;
}

}  // namespace

SqliteDatabase::SqliteDatabase(const std::filesystem::path& path, ReadOnly mode) : path_(path) {
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
  std::string name = path.string();
  if (mode == ReadOnly::immutable) {
    flags |= SQLITE_OPEN_URI;
    name = "file:" + uri_path(path) + "?immutable=1";
  }
  const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError("cannot open " + path.string() + " for reading: " + message, rc);
  }
  sqlite3_extended_result_codes(db_, 1);
}

SqliteDatabase::~SqliteDatabase() {
  // Statements are owned by RAII objects that die first, so close cannot be blocked by them.
  sqlite3_close(db_);
}

void SqliteDatabase::check(int rc, std::string_view context) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  throw SqliteError(std::string(context) + ": " + sqlite3_errmsg(db_), rc);
}

void SqliteDatabase::execute(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw SqliteError(text, sqlite3_extended_errcode(db_));
  }
}

std::string SqliteDatabase::query_text(const std::string& sql) {
  SqliteStatement statement(*this, sql);
  return statement.step() ? statement.column_text(0) : std::string();
}

void SqliteDatabase::set_busy_timeout(int milliseconds) {
  check(sqlite3_busy_timeout(db_, milliseconds), "setting the busy timeout");
}

std::int64_t SqliteDatabase::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

SqliteStatement::SqliteStatement(SqliteDatabase& db, std::string_view sql) : db_(&db) {
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw SqliteError("SQL statement too long", SQLITE_TOOBIG);
  }
  const int rc =
      sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  db.check(rc, "preparing \"" + std::string(sql) + "\"");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  db_->check(sqlite3_bind_int64(stmt_, index, value), "binding an integer");
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  db_->check(sqlite3_bind_double(stmt_, index, value), "binding a number");
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::string_view value) {
  db_->check(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      "binding a text");
  return *this;
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // With sqlite3_prepare_v2 the step result is already the specific error code.
  throw SqliteError(
      std::string("executing \"") + sqlite3_sql(stmt_) + "\": " + sqlite3_errmsg(db_->handle()),
      rc);
}

void SqliteStatement::run() {
  while (step()) {
  }
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStatement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double SqliteStatement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string SqliteStatement::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!text) return {};
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool SqliteStatement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

SqliteTransaction::SqliteTransaction(SqliteDatabase& db) : db_(&db) {
  db.execute("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
  if (!open_) return;
  // Never throw from a destructor; if ROLLBACK itself fails SQLite has already rolled back
  // (the failures that abort a transaction do so automatically).
  sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteTransaction::commit() {
  db_->execute("COMMIT");
  open_ = false;
}

}  // namespace codse
