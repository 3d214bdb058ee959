#pragma once
// The BLAS library torch's matrix products run on (OpenBLAS in Debian, loaded as a dependency of
// libtorch, not linked by codse): its thread pool and the kernels it chose for this CPU. Reached
// through dlsym, so nothing here fails when another BLAS is installed.
//
// OpenBLAS 0.3.21 (Debian 12) does not recognise some newer Intel CPUs and falls back to its SSE3
// "Prescott" kernels, 2.7-3.5x slower training here than with OPENBLAS_CORETYPE=SkylakeX
// (bench/nn/RESULTS.md). OpenBLAS reads that variable when it is loaded, before main, so the codse
// executable sets it and restarts itself (src/cli/main.cpp); the choice is made here.

#include <optional>
#include <string>
#include <string_view>

namespace codse::nn {

/// Sets OpenBLAS's thread count (it otherwise starts one thread per core and oversubscribes the
/// machine when torch or other jobs run beside it). No effect with another BLAS.
void set_blas_threads(int threads);

/// OpenBLAS's name for the kernels it uses ("SkylakeX", "Haswell", "Prescott", ...); empty when
/// the BLAS is not OpenBLAS.
std::string blas_core_name();

/// The instruction-set extensions OpenBLAS's x86-64 kernels need (names as in /proc/cpuinfo).
struct CpuFeatures {
  bool avx2 = false;
  bool fma = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512cd = false;
  bool avx512dq = false;
  bool avx512vl = false;

  /// This CPU's, as usable by this process (__builtin_cpu_supports also checks that the OS
  /// saves the AVX/AVX-512 registers).
  static CpuFeatures of_this_cpu();
};

/// Whether `core` is one of OpenBLAS's x86 kernels that use no AVX (Prescott, Core2, Nehalem, ...).
bool is_pre_avx_blas_core(std::string_view core);

/// The OpenBLAS kernels to use instead of `core`: "SkylakeX" when OpenBLAS runs pre-AVX kernels
/// on a CPU with AVX-512 F, BW, CD, DQ and VL (what OpenBLAS's SkylakeX kernels are built for),
/// else "Haswell" when it has AVX2 and FMA; nullopt when `core` is not a pre-AVX core (OpenBLAS
/// recognised the CPU, or the BLAS is not OpenBLAS) or the CPU supports neither.
std::optional<std::string> better_blas_core(std::string_view core, const CpuFeatures& cpu);

/// The variable that stops codse from switching OpenBLAS's kernels (any value but empty or "0").
inline constexpr const char* keep_blas_variable = "CODSE_KEEP_BLAS";

/// What decides whether codse switches OpenBLAS's kernels, as read at startup.
struct BlasSituation {
  std::string core;                      ///< blas_core_name()
  CpuFeatures cpu;                       ///< CpuFeatures::of_this_cpu()
  std::optional<std::string> coretype;   ///< $OPENBLAS_CORETYPE, when set (even empty)
  bool keep = false;                     ///< $CODSE_KEEP_BLAS asks to keep OpenBLAS's own choice

  static BlasSituation of_this_process();
};

/// The kernels to restart with: better_blas_core, unless OPENBLAS_CORETYPE is already set (by the
/// user, or by codse before it restarted: this is the guard against restarting again) or
/// CODSE_KEEP_BLAS is set.
std::optional<std::string> blas_core_to_switch_to(const BlasSituation& situation);

/// A one-line advice when OpenBLAS still runs kernels far below what the CPU supports: codse did
/// not switch (CODSE_KEEP_BLAS, or the restart failed), or OpenBLAS ignored OPENBLAS_CORETYPE.
/// nullopt when the kernels fit the CPU (in particular after codse switched them).
std::optional<std::string> blas_speed_advice(const BlasSituation& situation);

/// blas_speed_advice of this process.
std::optional<std::string> blas_speed_advice();

}  // namespace codse::nn
