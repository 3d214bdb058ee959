#include "store/store_error.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

namespace codse {

std::string sqlite_failure_in_words(const SqliteError& error) {
  switch (error.primary_code()) {
    case SQLITE_FULL: return "the disk is full (or the file reached its size limit)";
    case SQLITE_IOERR: return "the system reported an I/O error reading or writing it";
    case SQLITE_READONLY: return "the file or its directory is read-only";
    case SQLITE_CANTOPEN: return "the file cannot be opened (a missing directory or no permission)";
    case SQLITE_PERM:
    case SQLITE_AUTH: return "permission denied";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "another process kept the store locked for too long";
    case SQLITE_CORRUPT: return "the file is damaged (not as codse wrote it)";
    case SQLITE_NOTADB: return "it is not an SQLite database";
    case SQLITE_NOMEM: return "out of memory";
    case SQLITE_TOOBIG: return "a value is too large to store";
    default: return fmt::format("the store's tables are not as codse wrote them ({})", sqlite3_errstr(error.code()));
  }
}

std::string store_failure_message(const std::filesystem::path& path, std::string_view what, const SqliteError& error) {
  return fmt::format("{}: cannot {}: {}", path.string(), what, sqlite_failure_in_words(error));
}

}  // namespace codse
