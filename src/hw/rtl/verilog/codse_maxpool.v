// codse RTL library: max pooling behind a codse_swu (PAD_MIN set): each window arrives as
// WINDOW positions x FOLD channel groups (channel group innermost); the unit keeps the running
// maximum of every channel group and emits one word per channel group at the window's last
// position, so FOLD words per output pixel.
module codse_maxpool #(
    parameter LANES = 1,
    parameter BITS = 8,
    parameter SIGNED = 0,
    parameter WINDOW = 4,
    parameter FOLD = 1
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    output wire in_ready,
    input wire [LANES*BITS-1:0] in_data,
    output reg out_valid,
    input wire out_ready,
    output reg [LANES*BITS-1:0] out_data
);
  reg [LANES*BITS-1:0] best[0:FOLD-1];
  // Counters as wide as their ranges (an `integer` register is 32 flip-flops in Yosys).
  localparam CGW = FOLD > 1 ? $clog2(FOLD) : 1;
  localparam PW = WINDOW > 1 ? $clog2(WINDOW) : 1;
  reg [CGW-1:0] cg;
  reg [PW-1:0] position;
  assign in_ready = !out_valid || out_ready;
  wire accept = in_valid && in_ready;

  reg [LANES*BITS-1:0] running, merged;
  reg [BITS-1:0] a, b;
  reg larger;
  integer l;
  always @* begin
    running = best[cg];
    for (l = 0; l < LANES; l = l + 1) begin
      a = in_data[l*BITS+:BITS];
      b = running[l*BITS+:BITS];
      larger = SIGNED != 0 ? $signed(a) > $signed(b) : a > b;
      merged[l*BITS+:BITS] = (position == 0 || larger) ? a : b;
    end
  end

  always @(posedge clk) begin
    if (rst) begin
      out_valid <= 1'b0;
      cg <= 0;
      position <= 0;
    end else if (in_ready) begin
      out_valid <= accept && position == WINDOW - 1;
      if (accept) begin
        best[cg] <= merged;
        if (position == WINDOW - 1) out_data <= merged;
        cg <= cg == FOLD - 1 ? 0 : cg + 1;
        if (cg == FOLD - 1) position <= position == WINDOW - 1 ? 0 : position + 1;
      end
    end
  end
endmodule
