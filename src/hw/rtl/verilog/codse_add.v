// codse RTL library: residual add y = (a << SHIFT_A) + (b << SHIFT_B), element by element. `a` is
// the main path, `b` the skip, which waits in a SKIP_DEPTH-word FIFO for the main path's
// latency (the generator sizes it to hold what is in flight on the main path).
module codse_add #(
    parameter LANES = 1,
    parameter A_BITS = 4,
    parameter A_SIGNED = 0,
    parameter B_BITS = 4,
    parameter B_SIGNED = 0,
    parameter SHIFT_A = 0,
    parameter SHIFT_B = 0,
    parameter OUT_BITS = 6,
    parameter SKIP_DEPTH = 2
) (
    input wire clk,
    input wire rst,
    input wire a_valid,
    output wire a_ready,
    input wire [LANES*A_BITS-1:0] a_data,
    input wire b_valid,
    output wire b_ready,
    input wire [LANES*B_BITS-1:0] b_data,
    output reg out_valid,
    input wire out_ready,
    output reg [LANES*OUT_BITS-1:0] out_data
);
  wire skip_valid;
  wire [LANES*B_BITS-1:0] skip_data;
  wire advance = !out_valid || out_ready;
  wire fire = advance && a_valid && skip_valid;
  assign a_ready = advance && skip_valid;
  codse_fifo #(
      .WIDTH(LANES * B_BITS),
      .DEPTH(SKIP_DEPTH)
  ) skip (
      .clk(clk),
      .rst(rst),
      .in_valid(b_valid),
      .in_ready(b_ready),
      .in_data(b_data),
      .out_valid(skip_valid),
      .out_ready(fire),
      .out_data(skip_data)
  );

  reg [LANES*OUT_BITS-1:0] result;
  reg signed [A_BITS:0] a;
  reg signed [B_BITS:0] b;
  reg signed [OUT_BITS-1:0] y;
  integer l;
  always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
      a = {A_SIGNED != 0 && a_data[l*A_BITS+A_BITS-1], a_data[l*A_BITS+:A_BITS]};
      b = {B_SIGNED != 0 && skip_data[l*B_BITS+B_BITS-1], skip_data[l*B_BITS+:B_BITS]};
      y = (a <<< SHIFT_A) + (b <<< SHIFT_B);
      result[l*OUT_BITS+:OUT_BITS] = y;
    end
  end

  always @(posedge clk) begin
    if (rst) begin
      out_valid <= 1'b0;
    end else if (advance) begin
      out_valid <= a_valid && skip_valid;
      if (fire) out_data <= result;
    end
  end
endmodule
