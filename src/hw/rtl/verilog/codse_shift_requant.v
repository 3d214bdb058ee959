// codse RTL library: requantization by shift and clamp, where the map from the accumulator to the
// next level is a power-of-two scale: level = clamp(((x << LEFT) + offset_c) >>> RIGHT, LOW, HIGH),
// >>> rounding towards minus infinity. Offsets per channel, laid out per word and lane as in
// codse_thresholds (offset word f, lane l at bits [l*O_BITS +: O_BITS]). One registered stage.
module codse_shift_requant #(
    parameter LANES = 1,
    parameter IN_BITS = 8,
    parameter IN_SIGNED = 1,
    parameter OUT_BITS = 2,
    parameter LEFT = 0,
    parameter RIGHT = 0,
    parameter integer LOW = 0,
    parameter integer HIGH = 3,
    parameter O_BITS = 8,
    parameter PHASES = 1,
    parameter OFFSET_FILE = "offsets.mem"
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    output wire in_ready,
    input wire [LANES*IN_BITS-1:0] in_data,
    output reg out_valid,
    input wire out_ready,
    output reg [LANES*OUT_BITS-1:0] out_data
);
  localparam XW = IN_BITS + 1 + LEFT;
  localparam SW = (XW > O_BITS ? XW : O_BITS) + 1;  // the sum before the right shift
  localparam VW = SW > 33 ? SW : 33;                // room for LOW and HIGH

  wire params_valid;
  assign in_ready = params_valid && (!out_valid || out_ready);
  wire accept = in_valid && in_ready;
  wire [LANES*O_BITS-1:0] o_word;
  codse_channel_params #(
      .WIDTH(LANES * O_BITS),
      .PHASES(PHASES),
      .FILE(OFFSET_FILE)
  ) offset_rom (
      .clk(clk),
      .rst(rst),
      .advance(accept),
      .valid(params_valid),
      .word(o_word)
  );

  reg [LANES*OUT_BITS-1:0] result;
  reg signed [VW-1:0] v;
  integer l;
  always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
      v = IN_SIGNED != 0 ? $signed(in_data[l*IN_BITS+:IN_BITS]) : $signed({1'b0, in_data[l*IN_BITS+:IN_BITS]});
      v = (v <<< LEFT) + $signed(o_word[l*O_BITS+:O_BITS]);
      v = v >>> RIGHT;
      if (v < LOW) v = LOW;
      if (v > HIGH) v = HIGH;
      result[l*OUT_BITS+:OUT_BITS] = v[OUT_BITS-1:0];
    end
  end

  always @(posedge clk) begin
    if (rst) out_valid <= 1'b0;
    else if (in_ready) begin
      out_valid <= in_valid;
      if (accept) out_data <= result;
    end
  end
endmodule
