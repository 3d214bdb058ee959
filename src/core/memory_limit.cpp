#include "core/memory_limit.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <limits>
#include <string>

#include <fmt/format.h>

namespace codse {
namespace {

/// A "Key:   1234 kB" line of a /proc file, in bytes; 0 when absent.
std::uint64_t proc_kilobytes(const char* file, const std::string& key) {
  std::ifstream in(file);
  const std::string prefix = key + ":";
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with(prefix)) continue;
    try {
      return std::stoull(line.substr(prefix.size())) * 1024;
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

std::uint64_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

/// What `ulimit -v` still allows: the soft limit minus the address space mapped now.
std::uint64_t address_space_left() {
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t mapped = proc_kilobytes("/proc/self/status", "VmSize");
  return limit.rlim_cur > mapped ? limit.rlim_cur - mapped : 0;
}

/// cgroup v2's memory.max for this process's group ("max" means none).
std::uint64_t cgroup_memory_max() {
  std::ifstream in("/sys/fs/cgroup/memory.max");
  std::string value;
  if (!(in >> value) || value == "max") return std::numeric_limits<std::uint64_t>::max();
  try {
    return std::stoull(value);
  } catch (const std::exception&) {
    return std::numeric_limits<std::uint64_t>::max();
  }
}

}  // namespace

MemoryLimit memory_limit() {
  MemoryLimit tightest{physical_memory(), "physical memory"};
  const auto consider = [&](std::uint64_t bytes, const char* source) {
    if (bytes < tightest.bytes) tightest = {bytes, source};
  };
  consider(address_space_left(), "ulimit -v");
  consider(cgroup_memory_max(), "cgroup memory.max");
  return tightest;
}

std::string format_bytes(double bytes) {
  if (bytes >= 1e12) return fmt::format("{:.1f} TB", bytes / 1e12);
  if (bytes >= 1e9) return fmt::format("{:.1f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.0f} MB", bytes / 1e6);
  return fmt::format("{:.0f} kB", bytes / 1e3);
}

}  // namespace codse
