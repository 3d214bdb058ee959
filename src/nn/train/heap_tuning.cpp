#include "nn/train/heap_tuning.hpp"

#include <malloc.h>

#include <mutex>

namespace codse::nn {

void keep_freed_memory_in_heap() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
}

}  // namespace codse::nn
