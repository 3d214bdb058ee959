#include "cli/study_choice.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

StudyJournal chosen_study(const Store& store, const std::string& name) {
  if (!name.empty()) return store.study(name);
  const auto names = store.study_names();
  if (names.size() == 1) return store.study(names.front());
  if (names.empty()) throw InputError(fmt::format("{}: the store holds no study", store.path().string()));
  throw InputError(fmt::format("{}: the store holds {} studies ({}); choose one with --study", store.path().string(),
                               names.size(), fmt::join(names, ", ")));
}

Store read_only_store(const std::string& option, const std::string& path) {
  if (!std::filesystem::is_regular_file(path))
    throw InputError(fmt::format("{}{}: no such study file", option.empty() ? "" : option + " ", path));
  return Store(path, StoreAccess::read_only);
}

}  // namespace codse
