#pragma once
// Where a co-exploration is stored: its study in the store (created, or continued on request) and
// the directory of its artifacts beside the store. `codse explore` and Python's codse.explore open
// studies through here, so both refuse and resume the same way.

#include <filesystem>
#include <string_view>

#include "explore/explore_config.hpp"
#include "store/store.hpp"

namespace codse::explore {

/// The config's study in store. InputError when the store already holds a study of that name
/// and resume is false (resume_option names how to ask for it: "--resume", "resume=True"), or
/// when the stored study was run with another configuration (naming the fields that differ).
StudyJournal open_explore_study(Store& store, const ExploreConfig& config, bool resume, std::string_view resume_option);

/// DB.artifacts beside the store DB.sqlite: trained weights and RTL of the study's trials.
std::filesystem::path artifacts_directory(const std::filesystem::path& store);

}  // namespace codse::explore
