// codse RTL library: matrix-vector unit of the dataflow-folded template (FINN's MVAU without its
// activation; thresholds, shift or affine units follow it). The weight matrix is MH x MW; PE output
// lanes and SIMD input lanes fold it into NF = MH/PE neuron folds of SF = MW/SIMD synapse folds.
// Per input vector the unit runs NF x SF cycles, each computing PE dot products of SIMD terms.
// The input vector is kept in a two-bank buffer, so the next vector streams in while the current
// one is folded (initiation interval NF x SF when the producer keeps up).
// Streams carry lanes of little-endian elements: lane i is bits [i*BITS +: BITS].
// Weight memory word nf*SF+sf holds w[nf*PE+p][sf*SIMD+s] at bits [(p*SIMD+s)*W_BITS +: W_BITS],
// two's complement; it is read synchronously (block RAM or LUT RAM, as synthesis decides).
// Accumulators are ACC_BITS wide, two's complement; sums wrap modulo 2^ACC_BITS, which is exact
// because the final sums fit (the IntegerModel's recorded bounds).
module codse_mvau #(
    parameter MW = 8,
    parameter MH = 4,
    parameter SIMD = 1,
    parameter PE = 1,
    parameter IN_BITS = 4,
    parameter IN_SIGNED = 0,
    parameter W_BITS = 2,
    parameter ACC_BITS = 16,
    parameter WEIGHT_FILE = "weights.mem"
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    output wire in_ready,
    input wire [SIMD*IN_BITS-1:0] in_data,
    output reg out_valid,
    input wire out_ready,
    output reg [PE*ACC_BITS-1:0] out_data
);
  localparam SF = MW / SIMD;
  localparam NF = MH / PE;
  localparam DEPTH = NF * SF;
  localparam WORD = PE * SIMD * W_BITS;
  localparam AW = $clog2(DEPTH + 1);
  localparam BW = $clog2(2 * SF + 1);
  localparam PW = W_BITS + IN_BITS + 1;  // product of a weight and a sign-extended input

  reg [WORD-1:0] weights[0:DEPTH-1];
  initial $readmemh(WEIGHT_FILE, weights);

  // Two banks of SF input words: the writer fills one while the reader folds the other.
  reg [SIMD*IN_BITS-1:0] buffer[0:2*SF-1];
  reg [1:0] full;
  reg wbank, rbank;
  reg [BW-1:0] wcount, sf;
  reg [AW-1:0] waddr;
  assign in_ready = !full[wbank];
  wire accept = in_valid && in_ready;

  // The whole unit stalls while its output register holds an untaken result.
  wire advance = !out_valid || out_ready;
  wire issue = advance && full[rbank];
  wire issue_last = issue && waddr == DEPTH - 1;

  always @(posedge clk) begin
    if (rst) begin
      full <= 2'b00;
      wbank <= 1'b0;
      rbank <= 1'b0;
      wcount <= 0;
      sf <= 0;
      waddr <= 0;
    end else begin
      if (accept) begin
        buffer[wbank ? SF + wcount : wcount] <= in_data;
        wcount <= wcount == SF - 1 ? 0 : wcount + 1'b1;
        if (wcount == SF - 1) wbank <= !wbank;
      end
      if (issue) begin
        sf <= sf == SF - 1 ? 0 : sf + 1'b1;
        waddr <= issue_last ? 0 : waddr + 1'b1;
        if (issue_last) rbank <= !rbank;
      end
      // A bank is full from its last write until its last read.
      full[0] <= (full[0] || (accept && wcount == SF - 1 && !wbank)) && !(issue_last && !rbank);
      full[1] <= (full[1] || (accept && wcount == SF - 1 && wbank)) && !(issue_last && rbank);
    end
  end

  // Stage 1: the operands of one fold step (synchronous reads).
  reg [SIMD*IN_BITS-1:0] x_r;
  reg [WORD-1:0] w_r;
  reg valid_r, first_r, last_r;
  always @(posedge clk) begin
    if (rst) begin
      valid_r <= 1'b0;
    end else if (advance) begin
      valid_r <= issue;
      if (issue) begin
        x_r <= buffer[rbank ? SF + sf : sf];
        w_r <= weights[waddr];
        first_r <= sf == 0;
        last_r <= sf == SF - 1;
      end
    end
  end

  // Stage 2: PE dot products of SIMD terms added to the accumulators.
  reg [PE*ACC_BITS-1:0] acc, acc_next;
  reg signed [ACC_BITS-1:0] sum;
  reg signed [W_BITS-1:0] w;
  reg signed [IN_BITS:0] x;
  reg signed [PW-1:0] product;
  integer p, s;
  always @* begin
    for (p = 0; p < PE; p = p + 1) begin
      sum = first_r ? {ACC_BITS{1'b0}} : acc[p*ACC_BITS+:ACC_BITS];
      for (s = 0; s < SIMD; s = s + 1) begin
        w = w_r[(p*SIMD+s)*W_BITS+:W_BITS];
        x = {IN_SIGNED != 0 && x_r[s*IN_BITS+IN_BITS-1], x_r[s*IN_BITS+:IN_BITS]};
        product = w * x;
        sum = sum + product;
      end
      acc_next[p*ACC_BITS+:ACC_BITS] = sum;
    end
  end

  always @(posedge clk) begin
    if (rst) begin
      out_valid <= 1'b0;
    end else if (advance) begin
      if (valid_r) acc <= acc_next;
      out_valid <= valid_r && last_r;
      if (valid_r && last_r) out_data <= acc_next;
    end
  end
endmodule
