#include "explore/explore_study.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::explore {

StudyJournal open_explore_study(Store& store, const ExploreConfig& config, bool resume, std::string_view resume_option) {
  const auto names = store.study_names();
  if (!resume && std::find(names.begin(), names.end(), config.name) != names.end())
    throw InputError(fmt::format("{} already holds study '{}'; pass {} to continue it or use another store",
                                 store.path().string(), config.name, resume_option));
  return store.open_study(config.name, config.identity(),
                          [&config](nlohmann::json stored) { return config.upgrade_identity(std::move(stored)); });
}

std::filesystem::path artifacts_directory(const std::filesystem::path& store) {
  auto artifacts = store;
  artifacts.replace_extension(".artifacts");
  return artifacts;
}

}  // namespace codse::explore
