#pragma once
// Store failures in words for the user: every SQLite failure of a store operation becomes an
// error naming the database file, what codse was doing and the cause ("the disk is full"), never
// SQL text. A failure while a run writes or reads its store is a runtime failure (exit 1); a file
// that cannot be a store at all is bad input (exit 2, store.cpp).

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "store/sqlite.hpp"

namespace codse {

/// The cause of a failed SQLite call in plain words, e.g. "the disk is full".
std::string sqlite_failure_in_words(const SqliteError& error);

/// "PATH: cannot WHAT: CAUSE" for an SqliteError.
std::string store_failure_message(const std::filesystem::path& path, std::string_view what, const SqliteError& error);

/// Runs fn; an SqliteError it throws becomes a std::runtime_error with store_failure_message.
template <class F>
decltype(auto) store_operation(const std::filesystem::path& path, std::string_view what, F&& fn) {
  try {
    return std::forward<F>(fn)();
  } catch (const SqliteError& error) {
    throw std::runtime_error(store_failure_message(path, what, error));
  }
}

}  // namespace codse
