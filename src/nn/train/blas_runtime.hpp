#pragma once
// The BLAS library torch's matrix products run on (OpenBLAS in Debian, loaded as a dependency of
// libtorch, not linked by codse): its thread pool and the kernels it chose for this CPU. Reached
// through dlsym, so nothing here fails when another BLAS is installed.

#include <optional>
#include <string>

namespace codse::nn {

/// Sets OpenBLAS's thread count (it otherwise starts one thread per core and oversubscribes the
/// machine when torch or other jobs run beside it). No effect with another BLAS.
void set_blas_threads(int threads);

/// OpenBLAS's name for the kernels it uses ("SkylakeX", "Haswell", "Prescott", ...); empty when
/// the BLAS is not OpenBLAS.
std::string blas_core_name();

/// A one-line advice when OpenBLAS runs kernels far below what the CPU supports: OpenBLAS 0.3.21
/// (Debian 12) does not recognise some newer Intel CPUs and falls back to its SSE3 "Prescott"
/// kernels, 3x slower here than with OPENBLAS_CORETYPE=SkylakeX. OpenBLAS reads that variable
/// when it is loaded, before main, so codse can only advise, not switch.
std::optional<std::string> blas_speed_advice();

}  // namespace codse::nn
