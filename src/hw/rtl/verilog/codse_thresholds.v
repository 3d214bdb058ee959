// codse RTL library: requantization by thresholds (FINN's multi-threshold activation). Per lane,
// with the parameters of its channel c: level = LEVELS[#{k : sign_c * x >= t_c,k}], k < STEPS.
// Channels repeat with a period of PHASES words (the generator lays the per-channel parameters
// out per word and lane): threshold word f holds lane l's threshold k at
// bits [(l*STEPS+k)*T_BITS +: T_BITS]; sign word f has bit l set where the map decreases.
// One registered stage; full throughput.
module codse_thresholds #(
    parameter LANES = 1,
    parameter IN_BITS = 8,
    parameter IN_SIGNED = 1,
    parameter OUT_BITS = 2,
    parameter STEPS = 3,
    parameter T_BITS = 8,
    parameter PHASES = 1,
    parameter THRESHOLD_FILE = "thresholds.mem",
    parameter SIGN_FILE = "signs.mem",
    parameter LEVEL_FILE = "levels.mem"
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
  localparam CW = (IN_BITS + 2 > T_BITS ? IN_BITS + 2 : T_BITS);  // compare width
  localparam KW = $clog2(STEPS + 2);
  reg [OUT_BITS-1:0] levels[0:STEPS];
  initial $readmemh(LEVEL_FILE, levels);

  // The levels as one vector of constants that each lane selects from: read as a ROM, levels would
  // be one memory with LANES read ports, and Yosys 0.23's memory_libmap took more than 8 GB to map
  // that at 64 lanes (LFC's thresholds).
  wire [(STEPS+1)*OUT_BITS-1:0] level_bits;
  genvar gl;
  generate
    for (gl = 0; gl <= STEPS; gl = gl + 1) begin : g_level
      assign level_bits[gl*OUT_BITS+:OUT_BITS] = levels[gl];
    end
  endgenerate

  wire params_valid;
  assign in_ready = params_valid && (!out_valid || out_ready);
  wire accept = in_valid && in_ready;
  wire [LANES*STEPS*T_BITS-1:0] t_word;
  wire [LANES-1:0] s_word;
  codse_channel_params #(
      .WIDTH(LANES * STEPS * T_BITS),
      .PHASES(PHASES),
      .FILE(THRESHOLD_FILE)
  ) threshold_rom (
      .clk(clk),
      .rst(rst),
      .advance(accept),
      .valid(params_valid),
      .word(t_word)
  );
  codse_channel_params #(
      .WIDTH(LANES),
      .PHASES(PHASES),
      .FILE(SIGN_FILE)
  ) sign_rom (
      .clk(clk),
      .rst(rst),
      .advance(accept),
      .valid(),
      .word(s_word)
  );

  reg [LANES*OUT_BITS-1:0] result;
  reg signed [CW-1:0] x, t;
  reg [KW-1:0] reached;
  integer l, k;
  always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
      x = IN_SIGNED != 0 ? $signed(in_data[l*IN_BITS+:IN_BITS]) : $signed({1'b0, in_data[l*IN_BITS+:IN_BITS]});
      if (s_word[l]) x = -x;
      reached = 0;
      for (k = 0; k < STEPS; k = k + 1) begin
        t = $signed(t_word[(l*STEPS+k)*T_BITS+:T_BITS]);
        if (x >= t) reached = reached + 1'b1;
      end
      result[l*OUT_BITS+:OUT_BITS] = level_bits[reached*OUT_BITS+:OUT_BITS];
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
