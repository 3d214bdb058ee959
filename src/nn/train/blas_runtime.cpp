#include "nn/train/blas_runtime.hpp"

#include <dlfcn.h>

#include <array>

namespace codse::nn {

void set_blas_threads(int threads) {
  using SetThreads = void (*)(int);
  if (auto* set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(threads);
}

std::string blas_core_name() {
  using CoreName = char* (*)();
  auto* name = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  return name ? std::string(name()) : std::string();
}

std::optional<std::string> blas_speed_advice() {
  const auto core = blas_core_name();
  // OpenBLAS's generic x86-64 fallbacks, none of which uses AVX.
  constexpr std::array<const char*, 6> pre_avx = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai"};
  bool slow = false;
  for (const char* name : pre_avx) slow = slow || core == name;
  if (!slow) return std::nullopt;
  const char* better = __builtin_cpu_supports("avx512f") ? "SkylakeX" : __builtin_cpu_supports("avx2") ? "Haswell" : nullptr;
  if (!better) return std::nullopt;
  return "OpenBLAS runs its " + core + " kernels on this CPU, which supports " +
         (std::string(better) == "SkylakeX" ? "AVX-512" : "AVX2") + "; export OPENBLAS_CORETYPE=" + better +
         " before starting codse for about 3x faster training";
}

}  // namespace codse::nn
