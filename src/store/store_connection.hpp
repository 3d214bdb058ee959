#pragma once
// The connection a Store and the StudyJournals it hands out share. Journals keep it alive, so a
// journal stays usable after its Store is gone; the mutex serialises every use of the connection
// so trials may be recorded from the threads of an executor.

#include <filesystem>
#include <mutex>

#include "store/sqlite.hpp"

namespace codse {

struct StoreConnection {
  explicit StoreConnection(const std::filesystem::path& path) : db(path, /*create=*/true) {}
  StoreConnection(const std::filesystem::path& path, SqliteDatabase::ReadOnly mode) : db(path, mode), read_only(true) {}
  SqliteDatabase db;
  std::mutex mutex;
  bool read_only = false;
};

}  // namespace codse
