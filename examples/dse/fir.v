// A folded FIR filter, written for codse's live-evaluation example (examples/dse/README.md).
//
//   y[n] = sum_{k<TAPS} c[k] * x[n-k]      (unsigned W-bit samples and coefficients)
//
// LANES multipliers compute the TAPS products in FOLD = TAPS / LANES cycles per sample: lane i
// multiplies tap f*LANES + i in fold cycle f (the sample and the constant coefficient are picked
// by a FOLD-way mux). PIPE (0..2) adds register stages: 1 registers the products, 2 also the sum
// of the lanes, before the accumulator. A new sample is taken when `ready` is high; `y` is valid
// for one cycle with `out_valid`. The knobs trade LUTs (and the iCE40 DSPs of wide products)
// against the clock and the cycles per sample.
module fir #(
    parameter integer W = 8,
    parameter integer TAPS = 8,
    parameter integer LANES = 2,
    parameter integer PIPE = 1
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    input wire [W-1:0] x,
    output wire ready,
    output reg out_valid,
    output reg [2*W+$clog2(TAPS)-1:0] y
);
  localparam integer FOLD = TAPS / LANES;
  localparam integer ACCW = 2 * W + $clog2(TAPS);
  localparam integer CW = FOLD > 1 ? $clog2(FOLD) : 1;

  // Fixed odd coefficients spread over the W-bit range (a stand-in for a designed filter).
  function automatic [W-1:0] coef(input integer k);
    coef = ((k * 29 + 7) * 13) % (1 << W) | 1;
  endfunction

  // The delay line: x[n], x[n-1], ..., x[n-TAPS+1].
  reg [W-1:0] line[0:TAPS-1];
  reg busy;
  reg [CW-1:0] fold;
  wire take = in_valid && ready;
  wire last_fold = fold == FOLD - 1;
  assign ready = !busy || last_fold;

  integer t;
  always @(posedge clk) begin
    if (take) begin
      line[0] <= x;
      for (t = 1; t < TAPS; t = t + 1) line[t] <= line[t-1];
    end
  end

  always @(posedge clk) begin
    if (rst) begin
      busy <= 1'b0;
      fold <= 0;
    end else if (take) begin
      busy <= 1'b1;
      fold <= 0;
    end else if (busy) begin
      busy <= !last_fold;
      fold <= last_fold ? 0 : fold + 1;
    end
  end

  // Stage 0: the lanes' products of this fold cycle.
  wire [2*W-1:0] product[0:LANES-1];
  genvar lane;
  generate
    for (lane = 0; lane < LANES; lane = lane + 1) begin : lanes
      reg [W-1:0] sample;
      reg [W-1:0] weight;
      integer f;
      always @* begin
        sample = line[lane];
        weight = coef(lane);
        for (f = 0; f < FOLD; f = f + 1)
          if (fold == f) begin
            sample = line[f*LANES+lane];
            weight = coef(f * LANES + lane);
          end
      end
      assign product[lane] = sample * weight;
    end
  endgenerate

  // Control travelling with the data: valid, first and last fold cycle of a sample.
  wire v0 = busy;
  wire first0 = busy && fold == 0;
  wire last0 = busy && last_fold;

  // Optional register after the products.
  reg [2*W-1:0] product_r[0:LANES-1];
  reg v1, first1, last1;
  integer p;
  always @(posedge clk) begin
    for (p = 0; p < LANES; p = p + 1) product_r[p] <= product[p];
    v1 <= rst ? 1'b0 : v0;
    first1 <= first0;
    last1 <= last0;
  end

  reg [ACCW-1:0] lane_sum;
  reg s_v, s_first, s_last;
  integer s;
  always @* begin
    lane_sum = 0;
    for (s = 0; s < LANES; s = s + 1) lane_sum = lane_sum + (PIPE >= 1 ? product_r[s] : product[s]);
    s_v = PIPE >= 1 ? v1 : v0;
    s_first = PIPE >= 1 ? first1 : first0;
    s_last = PIPE >= 1 ? last1 : last0;
  end

  // Optional register after the sum of the lanes, loaded only with valid data (without the enable,
  // Yosys 0.23's synth_ice40 -dsp segfaults on LANES=1, PIPE=2; see README.md).
  reg [ACCW-1:0] lane_sum_r;
  reg v2, first2, last2;
  always @(posedge clk) begin
    if (s_v) lane_sum_r <= lane_sum;
    v2 <= rst ? 1'b0 : s_v;
    first2 <= s_first;
    last2 <= s_last;
  end

  wire [ACCW-1:0] a_sum = PIPE >= 2 ? lane_sum_r : lane_sum;
  wire a_v = PIPE >= 2 ? v2 : s_v;
  wire a_first = PIPE >= 2 ? first2 : s_first;
  wire a_last = PIPE >= 2 ? last2 : s_last;

  // The accumulator over the fold cycles of one sample.
  reg [ACCW-1:0] acc;
  wire [ACCW-1:0] total = (a_first ? {ACCW{1'b0}} : acc) + a_sum;
  always @(posedge clk) begin
    if (a_v) acc <= total;
    out_valid <= !rst && a_v && a_last;
    if (a_v && a_last) y <= total;
  end
endmodule
