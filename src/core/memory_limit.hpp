#pragma once
// How much memory this process may still take: the least of the machine's physical memory, the
// address-space limit (`ulimit -v`, what a batch system or a careful user sets) and the cgroup's
// memory.max (what a container or a Slurm job gets). Work that would allocate far more than this
// is refused up front with a message, instead of dying in the allocator or the OOM killer.

#include <cstdint>
#include <string>

namespace codse {

struct MemoryLimit {
  std::uint64_t bytes = 0;  ///< what may still be allocated
  std::string source;       ///< which limit it is: "physical memory", "ulimit -v", "cgroup memory.max"
};

/// The tightest of the limits above, read now (the address-space limit minus what the process
/// already maps).
MemoryLimit memory_limit();

/// "41.2 GB", "512 MB": bytes for a message.
std::string format_bytes(double bytes);

}  // namespace codse
