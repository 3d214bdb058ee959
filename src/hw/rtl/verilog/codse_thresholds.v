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
  localparam FW = $clog2(PHASES + 1);
  localparam KW = $clog2(STEPS + 2);
  reg [LANES*STEPS*T_BITS-1:0] thresholds[0:PHASES-1];
  reg [LANES-1:0] signs[0:PHASES-1];
  reg [OUT_BITS-1:0] levels[0:STEPS];
  initial begin
    $readmemh(THRESHOLD_FILE, thresholds);
    $readmemh(SIGN_FILE, signs);
    $readmemh(LEVEL_FILE, levels);
  end

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

  reg [FW-1:0] phase;
  assign in_ready = !out_valid || out_ready;
  wire accept = in_valid && in_ready;

  reg [LANES*STEPS*T_BITS-1:0] t_word;
  reg [LANES-1:0] s_word;
  reg [LANES*OUT_BITS-1:0] result;
  reg signed [CW-1:0] x, t;
  reg [KW-1:0] reached;
  integer l, k;
  always @* begin
    t_word = thresholds[phase];
    s_word = signs[phase];
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
    if (rst) begin
      out_valid <= 1'b0;
      phase <= 0;
    end else if (in_ready) begin
      out_valid <= in_valid;
      if (accept) begin
        out_data <= result;
        phase <= phase == PHASES - 1 ? 0 : phase + 1'b1;
      end
    end
  end
endmodule
