// Which OpenBLAS kernels codse switches to, from OpenBLAS 0.3.21's core names and the flag lines
// /proc/cpuinfo prints on real CPUs, and what it advises when it does not switch.

#include "nn/train/blas_runtime.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace codse::nn {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

/// The features in a /proc/cpuinfo "flags" line (space-separated names).
CpuFeatures features_from_flags(const std::string& flags) {
  std::istringstream in(flags);
  std::set<std::string> names;
  for (std::string name; in >> name;) names.insert(name);
  CpuFeatures cpu;
  cpu.avx2 = names.count("avx2") > 0;
  cpu.fma = names.count("fma") > 0;
  cpu.avx512f = names.count("avx512f") > 0;
  cpu.avx512bw = names.count("avx512bw") > 0;
  cpu.avx512cd = names.count("avx512cd") > 0;
  cpu.avx512dq = names.count("avx512dq") > 0;
  cpu.avx512vl = names.count("avx512vl") > 0;
  return cpu;
}

/// `flags` without `name`.
std::string without_flag(const std::string& flags, const std::string& name) {
  std::istringstream in(flags);
  std::string kept;
  for (std::string flag; in >> flag;)
    if (flag != name) kept.append(flag).push_back(' ');
  return kept;
}

// Flag lines of /proc/cpuinfo. This machine's Xeon (family 6 model 207, which OpenBLAS 0.3.21
// does not recognise and runs with its Prescott kernels), verbatim:
const std::string xeon_model_207 =
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall "
    "nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 "
    "fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm "
    "abm 3dnowprefetch cpuid_fault fsgsbase tsc_adjust bmi1 hle avx2 smep bmi2 erms invpcid rtm avx512f avx512dq "
    "rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves "
    "avx_vnni avx512_bf16 arat avx512vbmi umip avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg "
    "avx512_vpopcntdq rdpid cldemote movdiri movdir64b fsrm serialize tsxldtrk avx512_fp16 arch_capabilities";
// A Haswell Xeon E5 v3: AVX2 and FMA, no AVX-512.
const std::string xeon_haswell =
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht "
    "tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc "
    "aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 "
    "sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm epb invpcid_single "
    "tpr_shadow vnmi flexpriority ept vpid fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid cqm xsaveopt "
    "cqm_llc cqm_occup_llc dtherm ida arat pln pts";
// A Xeon Phi 7210 (Knights Landing): AVX-512 F and CD but not BW, DQ or VL, which OpenBLAS's
// SkylakeX kernels use.
const std::string xeon_phi_knl =
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht "
    "tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc "
    "aperfmperf pni pclmulqdq dtes64 monitor ds_cpl est tm2 ssse3 fma cx16 xtpr pdcm sse4_1 sse4_2 x2apic movbe "
    "popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch ring3mwait fsgsbase tsc_adjust "
    "bmi1 avx2 smep bmi2 erms avx512f rdseed adx avx512pf avx512er avx512cd xsaveopt dtherm ida arat pln pts";
// A Sandy Bridge Xeon E5 v1: AVX without AVX2 or FMA.
const std::string xeon_sandy_bridge =
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht "
    "tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc "
    "aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 cx16 xtpr pdcm pcid dca sse4_1 sse4_2 "
    "x2apic popcnt tsc_deadline_timer aes xsave avx lahf_lm ida arat epb pln pts dtherm tpr_shadow vnmi flexpriority "
    "ept vpid xsaveopt";

TEST(BlasRuntime, PreAvxCoresAreOpenBlasFallbacksOnly) {
  for (const char* core : {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai", "Northwood", "Atom",
                           "Opteron_SSE3", "Barcelona", "Bobcat"})
    EXPECT_TRUE(is_pre_avx_blas_core(core)) << core;
  for (const char* core : {"Sandybridge", "Haswell", "SkylakeX", "Cooperlake", "Zen", "Excavator", "", "prescott"})
    EXPECT_FALSE(is_pre_avx_blas_core(core)) << core;
}

TEST(BlasRuntime, BetterCoreFollowsTheCpuFlags) {
  EXPECT_EQ(better_blas_core("Prescott", features_from_flags(xeon_model_207)), "SkylakeX");
  EXPECT_EQ(better_blas_core("Prescott", features_from_flags(xeon_haswell)), "Haswell");
  EXPECT_EQ(better_blas_core("Nehalem", features_from_flags(xeon_phi_knl)), "Haswell") << "AVX-512 F and CD only";
  EXPECT_EQ(better_blas_core("Prescott", features_from_flags(xeon_sandy_bridge)), std::nullopt);
  // OpenBLAS recognised the CPU, or the BLAS is not OpenBLAS: nothing to switch.
  EXPECT_EQ(better_blas_core("SkylakeX", features_from_flags(xeon_model_207)), std::nullopt);
  EXPECT_EQ(better_blas_core("Haswell", features_from_flags(xeon_model_207)), std::nullopt);
  EXPECT_EQ(better_blas_core("", features_from_flags(xeon_model_207)), std::nullopt);
}

TEST(BlasRuntime, EachAvx512ExtensionIsRequiredForSkylakeX) {
  for (const char* missing : {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}) {
    const auto cpu = features_from_flags(without_flag(xeon_model_207, missing));
    EXPECT_EQ(better_blas_core("Prescott", cpu), "Haswell") << "without " << missing;
  }
  EXPECT_EQ(better_blas_core("Prescott", features_from_flags(without_flag(xeon_haswell, "fma"))), std::nullopt);
  EXPECT_EQ(better_blas_core("Prescott", features_from_flags(without_flag(xeon_haswell, "avx2"))), std::nullopt);
}

TEST(BlasRuntime, ThisCpuAsTheCompilerSeesItMatchesProcCpuinfo) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  ASSERT_TRUE(cpuinfo) << "/proc/cpuinfo";
  std::string line;
  while (std::getline(cpuinfo, line) && line.rfind("flags", 0) != 0) {
  }
  ASSERT_EQ(line.rfind("flags", 0), 0u) << "no flags line in /proc/cpuinfo";
  const auto listed = features_from_flags(line.substr(line.find(':') + 1));
  const auto seen = CpuFeatures::of_this_cpu();
  EXPECT_EQ(seen.avx2, listed.avx2);
  EXPECT_EQ(seen.fma, listed.fma);
  EXPECT_EQ(seen.avx512f, listed.avx512f);
  EXPECT_EQ(seen.avx512bw, listed.avx512bw);
  EXPECT_EQ(seen.avx512cd, listed.avx512cd);
  EXPECT_EQ(seen.avx512dq, listed.avx512dq);
  EXPECT_EQ(seen.avx512vl, listed.avx512vl);
}

/// OpenBLAS on this machine's Xeon before codse switched: Prescott kernels, nothing set.
BlasSituation prescott_on_xeon() {
  BlasSituation situation;
  situation.core = "Prescott";
  situation.cpu = features_from_flags(xeon_model_207);
  return situation;
}

TEST(BlasRuntime, SwitchesOnlyWhenNeitherVariableIsSet) {
  auto situation = prescott_on_xeon();
  EXPECT_EQ(blas_core_to_switch_to(situation), "SkylakeX");
  situation.keep = true;
  EXPECT_EQ(blas_core_to_switch_to(situation), std::nullopt) << "CODSE_KEEP_BLAS";
  situation.keep = false;
  // The restarted process has the variable set: even if OpenBLAS ignored it, no second restart.
  situation.coretype = "SkylakeX";
  EXPECT_EQ(blas_core_to_switch_to(situation), std::nullopt);
  situation.coretype = "";
  EXPECT_EQ(blas_core_to_switch_to(situation), std::nullopt) << "set but empty is the user's choice too";
}

TEST(BlasRuntime, AdviceOnlyWhenTheKernelsStayedSlow) {
  auto situation = prescott_on_xeon();
  // Not switched (the restart failed, or a program other than codse): the manual switch.
  const auto unswitched = blas_speed_advice(situation);
  ASSERT_TRUE(unswitched);
  EXPECT_THAT(*unswitched, HasSubstr("Prescott kernels"));
  EXPECT_THAT(*unswitched, HasSubstr("export OPENBLAS_CORETYPE=SkylakeX"));
  EXPECT_THAT(*unswitched, HasSubstr("AVX-512"));
  // Kept on purpose: says what keeps them and how to undo it.
  situation.keep = true;
  const auto kept = blas_speed_advice(situation);
  ASSERT_TRUE(kept);
  EXPECT_THAT(*kept, HasSubstr("CODSE_KEEP_BLAS keeps them"));
  EXPECT_THAT(*kept, HasSubstr("export OPENBLAS_CORETYPE=SkylakeX"));
  // Switched: OpenBLAS now runs SkylakeX, and nothing advises exporting anything.
  situation.keep = false;
  situation.core = "SkylakeX";
  situation.coretype = "SkylakeX";
  EXPECT_EQ(blas_speed_advice(situation), std::nullopt);
  // The user asked for Prescott (in any case, as OpenBLAS reads it): a choice, no advice.
  situation.core = "Prescott";
  situation.coretype = "prescott";
  EXPECT_EQ(blas_speed_advice(situation), std::nullopt);
  // OpenBLAS ignored the variable: no "export", which would not help either.
  situation.coretype = "SkylakeX";
  const auto ignored = blas_speed_advice(situation);
  ASSERT_TRUE(ignored);
  EXPECT_THAT(*ignored, HasSubstr("although OPENBLAS_CORETYPE=SkylakeX"));
  EXPECT_THAT(*ignored, Not(HasSubstr("export")));
  // A Haswell-class CPU is advised AVX2 kernels.
  situation = prescott_on_xeon();
  situation.cpu = features_from_flags(xeon_haswell);
  const auto haswell = blas_speed_advice(situation);
  ASSERT_TRUE(haswell);
  EXPECT_THAT(*haswell, HasSubstr("export OPENBLAS_CORETYPE=Haswell"));
  EXPECT_THAT(*haswell, HasSubstr("AVX2"));
}

}  // namespace
}  // namespace codse::nn
