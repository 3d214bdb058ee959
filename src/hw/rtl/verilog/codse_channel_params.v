// codse RTL library: the per-channel parameters of the current channel, for the units that apply
// them (codse_thresholds, codse_shift_requant, codse_affine): one word per channel phase, read from
// FILE, PHASES phases that repeat. `advance` moves to the next phase; `valid` is low in the cycle
// after reset while the first word loads.
//
// The word is read a phase ahead into a register, so the ROM has a registered output and a plain
// counter for its address, which synthesis maps to the ROM alone (on xc7 a LUT6 per 64 words and
// bit). The units read their ROMs combinationally at a phase register before; Yosys 0.23 then
// merged that register's reset and increment into the ROM's address, and a 256-channel, 15-step
// thresholds unit took 3,086 LUTs for about 800 this way (bench/hw/RESULTS.md, "Per-channel
// parameters").
module codse_channel_params #(
    parameter WIDTH = 1,
    parameter PHASES = 1,
    parameter FILE = "params.mem"
) (
    input wire clk,
    input wire rst,
    input wire advance,
    output wire valid,
    output wire [WIDTH-1:0] word
);
  reg [WIDTH-1:0] rom[0:PHASES-1];
  initial $readmemh(FILE, rom);
  generate
    if (PHASES == 1) begin : g_constant
      assign word = rom[0];
      assign valid = 1'b1;
    end else begin : g_prefetch
      localparam AW = $clog2(PHASES);
      reg [AW-1:0] ahead;  // the phase whose word loads next
      reg loaded;
      reg [WIDTH-1:0] current;
      wire load = advance || !loaded;
      always @(posedge clk) if (load) current <= rom[ahead];
      always @(posedge clk) begin
        if (rst) begin
          ahead <= 0;
          loaded <= 1'b0;
        end else if (load) begin
          ahead <= ahead == PHASES - 1 ? 0 : ahead + 1'b1;
          loaded <= 1'b1;
        end
      end
      assign word = current;
      assign valid = loaded;
    end
  endgenerate
endmodule
