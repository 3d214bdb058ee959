#include "explore/artifact_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

// Issue 16: with a relative --db (s.sqlite, so artifacts in s.artifacts) the stored weights path
// was empty: relative to the empty parent of a relative directory.
TEST(ArtifactFiles, WeightsEntryIsRelativeToTheStoreForRelativeAndAbsoluteDirectories) {
  const codse::testing::TempDir dir;
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const ArtifactFiles relative_files("s.artifacts");
  EXPECT_EQ(relative_files.weights_entry(3), std::filesystem::path("s.artifacts/weights/network-00003.bin"));
  const ArtifactFiles nested_files("runs/t.artifacts");
  EXPECT_EQ(nested_files.weights_entry(12), std::filesystem::path("t.artifacts/weights/network-00012.bin"));
  std::filesystem::current_path(previous);
  const ArtifactFiles absolute_files(dir / "u.artifacts");
  EXPECT_EQ(absolute_files.weights_entry(0), std::filesystem::path("u.artifacts/weights/network-00000.bin"));
}

}  // namespace
}  // namespace codse::explore
