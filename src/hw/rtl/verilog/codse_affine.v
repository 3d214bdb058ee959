// codse RTL library: the output affine map of the last layer, y = m_c * x + b_c per channel
// (bias and a trailing batchnorm in integers). Parameters per word and lane as in
// codse_thresholds. OUT_BITS holds every output, so the arithmetic wraps modulo 2^OUT_BITS exactly.
// M_SHIFT >= 0 says every multiplier is 2^M_SHIFT (the usual case: a per-tensor power-of-two scale
// and a bias, whose offsets need the fraction bits): a shift, no multiplier, so no DSP block.
module codse_affine #(
    parameter LANES = 1,
    parameter IN_BITS = 16,
    parameter IN_SIGNED = 1,
    parameter OUT_BITS = 20,
    parameter M_BITS = 2,
    parameter M_SHIFT = -1,
    parameter O_BITS = 8,
    parameter PHASES = 1,
    parameter MULTIPLIER_FILE = "multipliers.mem",
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

  wire params_valid;
  assign in_ready = params_valid && (!out_valid || out_ready);
  wire accept = in_valid && in_ready;
  wire [LANES*M_BITS-1:0] m_word;
  codse_channel_params #(
      .WIDTH(LANES * M_BITS),
      .PHASES(PHASES),
      .FILE(MULTIPLIER_FILE)
  ) multiplier_rom (
      .clk(clk),
      .rst(rst),
      .advance(accept),
      .valid(params_valid),
      .word(m_word)
  );
  wire [LANES*O_BITS-1:0] o_word;
  codse_channel_params #(
      .WIDTH(LANES * O_BITS),
      .PHASES(PHASES),
      .FILE(OFFSET_FILE)
  ) offset_rom (
      .clk(clk),
      .rst(rst),
      .advance(accept),
      .valid(),
      .word(o_word)
  );

  reg [LANES*OUT_BITS-1:0] result;
  reg signed [IN_BITS:0] x;
  reg signed [OUT_BITS-1:0] y;
  integer l;
  always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
      x = {IN_SIGNED != 0 && in_data[l*IN_BITS+IN_BITS-1], in_data[l*IN_BITS+:IN_BITS]};
      if (M_SHIFT >= 0) y = (x <<< (M_SHIFT >= 0 ? M_SHIFT : 0)) + $signed(o_word[l*O_BITS+:O_BITS]);
      else y = $signed(m_word[l*M_BITS+:M_BITS]) * x + $signed(o_word[l*O_BITS+:O_BITS]);
      result[l*OUT_BITS+:OUT_BITS] = y;
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
