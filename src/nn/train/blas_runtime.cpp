#include "nn/train/blas_runtime.hpp"

#include <dlfcn.h>
#include <strings.h>

#include <array>
#include <cstdlib>

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

CpuFeatures CpuFeatures::of_this_cpu() {
  CpuFeatures cpu;
  cpu.avx2 = __builtin_cpu_supports("avx2");
  cpu.fma = __builtin_cpu_supports("fma");
  cpu.avx512f = __builtin_cpu_supports("avx512f");
  cpu.avx512bw = __builtin_cpu_supports("avx512bw");
  cpu.avx512cd = __builtin_cpu_supports("avx512cd");
  cpu.avx512dq = __builtin_cpu_supports("avx512dq");
  cpu.avx512vl = __builtin_cpu_supports("avx512vl");
  return cpu;
}

bool is_pre_avx_blas_core(std::string_view core) {
  // OpenBLAS 0.3.21's x86 core names (driver/others/dynamic.c) before Sandybridge, its first AVX
  // core: the generic fallbacks it picks for CPUs it does not recognise, and older CPUs.
  constexpr std::array<std::string_view, 16> pre_avx = {
      "Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn",
      "Dunnington", "Nehalem", "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Bobcat"};
  for (const auto name : pre_avx)
    if (core == name) return true;
  return false;
}

std::optional<std::string> better_blas_core(std::string_view core, const CpuFeatures& cpu) {
  if (!is_pre_avx_blas_core(core)) return std::nullopt;
  if (cpu.avx512f && cpu.avx512bw && cpu.avx512cd && cpu.avx512dq && cpu.avx512vl) return "SkylakeX";
  if (cpu.avx2 && cpu.fma) return "Haswell";
  return std::nullopt;
}

BlasSituation BlasSituation::of_this_process() {
  BlasSituation situation;
  situation.core = blas_core_name();
  situation.cpu = CpuFeatures::of_this_cpu();
  if (const char* coretype = std::getenv("OPENBLAS_CORETYPE")) situation.coretype = coretype;
  const char* keep = std::getenv(keep_blas_variable);
  situation.keep = keep != nullptr && *keep != '\0' && std::string_view(keep) != "0";
  return situation;
}

std::optional<std::string> blas_core_to_switch_to(const BlasSituation& situation) {
  if (situation.coretype || situation.keep) return std::nullopt;
  return better_blas_core(situation.core, situation.cpu);
}

std::optional<std::string> blas_speed_advice(const BlasSituation& situation) {
  const auto better = better_blas_core(situation.core, situation.cpu);
  if (!better) return std::nullopt;
  const std::string kernels = "OpenBLAS runs its " + situation.core + " kernels";
  const std::string gain = "for about 3x faster training";
  if (situation.coretype) {
    // OpenBLAS compares core names without case (strncasecmp in dynamic.c): asking for the
    // kernels it runs is a choice, not a failure.
    if (strcasecmp(situation.coretype->c_str(), situation.core.c_str()) == 0) return std::nullopt;
    return kernels + " although OPENBLAS_CORETYPE=" + *situation.coretype +
           " (a name this OpenBLAS does not know, or a build without DYNAMIC_ARCH); OPENBLAS_CORETYPE=" + *better +
           " would give " + (*better == "SkylakeX" ? "AVX-512" : "AVX2") + " kernels " + gain;
  }
  const std::string supports = " on this CPU, which supports " + std::string(*better == "SkylakeX" ? "AVX-512" : "AVX2");
  if (situation.keep)
    return kernels + supports + ", and " + keep_blas_variable + " keeps them; export OPENBLAS_CORETYPE=" + *better +
           " (or unset " + keep_blas_variable + ") " + gain;
  return kernels + supports + "; export OPENBLAS_CORETYPE=" + *better + " before starting codse " + gain;
}

std::optional<std::string> blas_speed_advice() { return blas_speed_advice(BlasSituation::of_this_process()); }

}  // namespace codse::nn
