#pragma once
// Where a co-exploration trial's weights file is, from what the trial recorded: its artifacts'
// "weights" entry, relative to the store's directory (explore/artifact_files.hpp writes it).

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

namespace codse::report {

/// The weights file of a trial whose artifacts are `artifacts`, in a study stored at `store`;
/// nullopt when the trial recorded none (a dse trial). Studies whose store was given as a bare
/// file name ("--db s.sqlite") recorded an empty entry before it was fixed; for those the path is
/// rebuilt from the network id as the explore command lays the artifacts out:
/// <store without extension>.artifacts/weights/network-NNNNN.bin.
std::optional<std::filesystem::path> recorded_weights(const std::filesystem::path& store,
                                                      const nlohmann::json& artifacts);

}  // namespace codse::report
