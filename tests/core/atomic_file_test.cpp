// write_file_atomically: writes, replaces, and on failure leaves the old file and no temporary.
#include "core/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace codse {
namespace {

namespace fs = std::filesystem;
using codse::testing::TempDir;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The names of the files in dir.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(AtomicFile, WritesANewFile) {
  TempDir dir;
  const std::string content = std::string("line one\nline two\n") + '\0' + "binary tail";
  write_file_atomically(dir / "out.txt", content);
  EXPECT_EQ(read(dir / "out.txt"), content);
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{"out.txt"});
}

TEST(AtomicFile, ReplacesAnExistingFileAndWritesEmptyContent) {
  TempDir dir;
  dir.write("out.csv", "old,content,that,is,longer\n");
  write_file_atomically(dir / "out.csv", "new\n");
  EXPECT_EQ(read(dir / "out.csv"), "new\n");
  write_file_atomically(dir / "out.csv", "");
  EXPECT_TRUE(fs::exists(dir / "out.csv"));
  EXPECT_EQ(fs::file_size(dir / "out.csv"), 0u);
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{"out.csv"});
}

TEST(AtomicFile, WritesALargeFile) {
  TempDir dir;
  std::string content(3 * 1024 * 1024 + 17, 'x');
  for (std::size_t i = 0; i < content.size(); i += 4099) content[i] = static_cast<char>('a' + i % 26);
  write_file_atomically(dir / "big.bin", content);
  EXPECT_EQ(read(dir / "big.bin"), content);
}

TEST(AtomicFile, UsesTheUmaskLikeAnOrdinaryFile) {
  TempDir dir;
  const auto old_mask = ::umask(022);
  write_file_atomically(dir / "f", "x");
  ::umask(old_mask);
  EXPECT_EQ(fs::status(dir / "f").permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

TEST(AtomicFile, MissingDirectoryIsAnInputErrorNamingThePath) {
  TempDir dir;
  const auto path = dir / "no_such_dir" / "out.txt";
  try {
    write_file_atomically(path, "x");
    FAIL() << "no error";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  }
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{});
}

TEST(AtomicFile, ParentThatIsAFileFailsAndLeavesItIntact) {
  TempDir dir;
  dir.write("plain", "keep me");
  EXPECT_THROW(write_file_atomically(dir / "plain" / "out.txt", "x"), InputError);
  EXPECT_EQ(read(dir / "plain"), "keep me");
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{"plain"});
}

TEST(AtomicFile, UnwritableDirectoryFailsAndLeavesTheOldFileIntact) {
  TempDir dir;
  const auto locked = dir / "locked";
  fs::create_directory(locked);
  std::ofstream(locked / "out.txt") << "old content";
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  // root (or CAP_DAC_OVERRIDE) writes into any directory: nothing to test then.
  const bool writable = ::access(locked.c_str(), W_OK) == 0;
  if (!writable) {
    try {
      write_file_atomically(locked / "out.txt", "new content");
      ADD_FAILURE() << "no error";
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("Permission denied"), std::string::npos) << error.what();
    }
  }
  fs::permissions(locked, fs::perms::owner_all);
  EXPECT_EQ(read(locked / "out.txt"), "old content");
  EXPECT_EQ(listing(locked), std::vector<std::string>{"out.txt"});
  if (writable) GTEST_SKIP() << "running with permission to write into a read-only directory (root)";
}

TEST(AtomicFile, RenameOntoADirectoryFailsAndRemovesTheTemporary) {
  TempDir dir;
  fs::create_directory(dir / "target");
  std::ofstream(dir / "target" / "inside") << "x";
  try {
    write_file_atomically(dir / "target", "content");
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("renaming"), std::string::npos) << error.what();
  }
  EXPECT_TRUE(fs::is_directory(dir / "target"));
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{"target"});
}

/// A file size limit (RLIMIT_FSIZE) makes write() fail part way with EFBIG, as a full disk makes it
/// fail with ENOSPC: the helper must notice, keep the old file and remove the partial temporary.
/// The limit applies to root too.
TEST(AtomicFile, AFailedWriteKeepsTheOldFile) {
  TempDir dir;
  dir.write("catalog.json", "{\"old\": true}\n");
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto saved_signal = std::signal(SIGXFSZ, SIG_IGN);  // else exceeding the limit kills the process
  rlimit small = saved;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string error_text;
  bool threw_runtime_error = false;
  try {
    write_file_atomically(dir / "catalog.json", std::string(64 * 1024, 'y'));
  } catch (const InputError& error) {
    error_text = std::string("InputError: ") + error.what();
  } catch (const std::runtime_error& error) {
    threw_runtime_error = true;
    error_text = error.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, saved_signal);
  EXPECT_TRUE(threw_runtime_error) << error_text;
  EXPECT_NE(error_text.find((dir / "catalog.json").string()), std::string::npos) << error_text;
  EXPECT_NE(error_text.find("File too large"), std::string::npos) << error_text;
  EXPECT_EQ(read(dir / "catalog.json"), "{\"old\": true}\n");
  EXPECT_EQ(listing(dir.path()), std::vector<std::string>{"catalog.json"});
}

}  // namespace
}  // namespace codse
