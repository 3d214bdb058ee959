#pragma once
// Small hand-written Verilog for the synthesis tests: a multiply-accumulate of N lanes of W bits
// (each lane a[i] * b[i], summed, accumulated in a 2W + 8 bit register), synthesized in seconds.

#include <string>

#include "support/temp_dir.hpp"

namespace codse::hw::testing {

inline std::string mac_verilog() {
  return R"(module mac #(parameter N = 2, parameter W = 4) (
  input clk, input clr,
  input [N*W-1:0] a, input [N*W-1:0] b,
  output reg [2*W+7:0] acc);
  integer i;
  reg [2*W+7:0] dot;
  always @* begin
    dot = 0;
    for (i = 0; i < N; i = i + 1) dot = dot + a[i*W +: W] * b[i*W +: W];
  end
  always @(posedge clk) acc <= clr ? dot : acc + dot;
endmodule
)";
}

}  // namespace codse::hw::testing
