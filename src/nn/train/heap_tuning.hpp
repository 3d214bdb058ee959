#pragma once
// Training allocates and frees the same large activation and gradient tensors at every step, and
// libtorch has no caching allocator on the CPU. glibc serves such blocks with mmap, or trims them
// from the top of the heap once freed, so every step paid page faults to map them again: about a
// sixth of the processor time of the Fashion-MNIST CNN. Keeping freed memory in the heap for reuse
// removed that (measured in bench/nn/RESULTS.md).

namespace codse::nn {

/// Makes glibc keep freed memory for reuse (no mmap for large blocks, no trimming below 1 GiB of
/// free heap). Process-wide and idempotent; train() calls it.
void keep_freed_memory_in_heap();

}  // namespace codse::nn
