#include "core/memory_limit.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace codse {
namespace {

TEST(MemoryLimit, IsAtMostThePhysicalMemory) {
  const MemoryLimit limit = memory_limit();
  const auto physical = static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
  EXPECT_GT(limit.bytes, 0u);
  EXPECT_LE(limit.bytes, physical);
  EXPECT_FALSE(limit.source.empty());
}

// `ulimit -v` is the limit a batch job or a careful user sets; set in a child so this process
// keeps its own.
TEST(MemoryLimit, SeesTheAddressSpaceLimit) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    rlimit current{};
    getrlimit(RLIMIT_AS, &current);
    // 64 GB more than mapped now: tighter than physical memory here, loose enough to start.
    std::uint64_t mapped = 0;
    {
      FILE* status = std::fopen("/proc/self/status", "r");
      char line[256];
      while (status && std::fgets(line, sizeof line, status))
        if (std::sscanf(line, "VmSize: %lu kB", &mapped) == 1) break;
      if (status) std::fclose(status);
      mapped *= 1024;
    }
    const std::uint64_t cap = mapped + (std::uint64_t{1} << 30);
    rlimit lower{cap, current.rlim_max};
    if (current.rlim_max != RLIM_INFINITY && current.rlim_max < cap) _exit(3);
    if (setrlimit(RLIMIT_AS, &lower) != 0) _exit(4);
    const MemoryLimit limit = memory_limit();
    const bool ok = limit.source == "ulimit -v" && limit.bytes <= (std::uint64_t{1} << 30);
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the limit was not seen; 3, 4: could not set it";
}

TEST(MemoryLimit, FormatsBytesForMessages) {
  EXPECT_EQ(format_bytes(240.5e9), "240.5 GB");
  EXPECT_EQ(format_bytes(3.2e12), "3.2 TB");
  EXPECT_EQ(format_bytes(512e6), "512 MB");
  EXPECT_EQ(format_bytes(2048), "2 kB");
}

}  // namespace
}  // namespace codse
