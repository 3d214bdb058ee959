// Where a co-exploration's weights files go and how trials record them: relative to the study's
// directory, also when the artifacts directory is a bare name (`codse explore --db s.sqlite`).

#include <gtest/gtest.h>

#include "explore/artifact_files.hpp"
#include "support/temp_dir.hpp"

namespace codse::explore {
namespace {

TEST(ArtifactFiles, WeightsEntryIsRelativeToTheStudyDirectory) {
  testing::TempDir dir;
  const ArtifactFiles nested(dir / "s.artifacts");
  EXPECT_EQ(nested.weights_entry(3), std::filesystem::path("s.artifacts/weights/network-00003.bin"));

  // A bare name: the study's directory is the current one (this entry used to be empty).
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const ArtifactFiles bare("t.artifacts");
  const auto entry = bare.weights_entry(12);
  std::filesystem::current_path(previous);
  EXPECT_EQ(entry, std::filesystem::path("t.artifacts/weights/network-00012.bin"));
}

}  // namespace
}  // namespace codse::explore
