#pragma once
// The C++ testbench text the Verilator harness compiles with the generated top level.

#include <string>

#include <vector>

#include "hw/rtl/rtl_design.hpp"
#include "hw/rtl/rtl_plan.hpp"

namespace codse::hw {

/// tb_config.h: the top module's class, the stream formats and the probe ports of the plan, and
/// the weight-load ports with their files.
std::string verilator_testbench_config(const RtlPlan& plan, const std::vector<RtlDesign::WeightLoad>& loads);
/// tb.cpp: reads inputs.bin (int64 inferences, int64 input words, then the words' elements as
/// int32); after reset streams every load file through its port (all at once, each beat as soon
/// as taken); then drives the input stream back to back with the output always ready, counting
/// cycles from 0 again, and writes outputs.bin: per unit the recorded output elements (int64
/// count, then the values, the last unit's complete), then per inference the cycle of its first
/// input word and of its last output word, then the total cycles and the loading cycles.
std::string verilator_testbench_source();

}  // namespace codse::hw
