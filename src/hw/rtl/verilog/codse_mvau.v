// codse RTL library: matrix-vector unit of the dataflow-folded template (FINN's MVAU without its
// activation; thresholds, shift or affine units follow it). The weight matrix is MH x MW; PE output
// lanes and SIMD input lanes fold it into NF = MH/PE neuron folds of SF = MW/SIMD synapse folds.
// Per input vector the unit runs NF x SF cycles, each computing PE dot products of SIMD terms.
// The input vector is kept in a two-bank buffer, so the next vector streams in while the current
// one is folded (initiation interval NF x SF when the producer keeps up).
// Streams carry lanes of little-endian elements: lane i is bits [i*BITS +: BITS].
// The weights are in one ROM per PE, read synchronously (FINN partitions its weight array by PE
// the same way): PE p's word nf*SF+sf holds w[nf*PE+p][sf*SIMD+s] at bits [s*W_BITS +: W_BITS],
// two's complement, loaded from the file WEIGHT_FILE followed by "_pNNN.mem" (NNN: p in three
// decimal digits). WEIGHT_STYLE says where the ROMs go, as the
// Mapping's storage says (synthesis attributes ram_style / rom_style, honoured by Yosys's
// memory_libmap and by Vivado): 0 as the tool decides, 1 block RAM, 2 LUTs (logic: a ROM in LUTs,
// which is what distributed ROM is on LUT6 fabrics), 3 loaded.
// WEIGHT_STYLE 3 (loaded) is for UltraRAM and the iCE40's SPRAM, which the bitstream does not
// initialise: the per-PE memories are RAMs with ram_style "ultra" and no file (Vivado's URAM
// style; Yosys 0.23's memory_libmap reads it, like "huge", as its huge kind, which is URAM288 on
// xcup and SB_SPRAM256KA on iCE40, mapped on request even without -uram / -spram); after
// reset the unit takes exactly DEPTH = NF x SF beats on its weight-load stream (wload_valid /
// wload_ready / wload_data, FINN's decoupled weight stream written once) and only then raises
// in_ready. A beat is one memory word of every PE, PE x SIMD x W_BITS bits, PE p's word at bits
// [p*SIMD*W_BITS +: SIMD*W_BITS] laid out as above; beat a is address a (0..DEPTH-1), i.e. fold
// step nf*SF+sf. The load walks the same address counter the folds read with, so the memory has
// one address (the single port of SPRAM and URAM's port A). Other styles ignore the load stream
// (wload_ready stays low) and take inputs from reset on.
// USE_DSP = 0 builds each product from shifted partial products (no multiplier operator, so no
// tool maps it to a DSP block: the Mapping's "lut" multipliers); 1 writes w * x and lets synthesis
// choose (Yosys synth_xilinx: a DSP48E1 when both operands have 2 bits or more and the product 9
// or more, mul2dsp's DSP_{A,B,Y}_MINWIDTH).
// BIPOLAR_W = 1: the weights are bipolar (+-1, a binary quantizer's levels, none pruned to 0) and
// each is one bit (1: +1, 0: -1); a term is the input or its negation, added: no multiplier, so
// no DSP, whatever USE_DSP says (FINN's MVAU does the same for bipolar weights and wider inputs).
// A PE sums the inputs its +1 weights select and subtracts the shared sum of all inputs, halved.
// XNOR = 1 (with BIPOLAR_W = 1) is the binarized datapath (FINN's XNOR-popcount): the inputs are
// bipolar too, each element its IN_BITS-bit two's complement (+1 or -1, the sign bit says which);
// a product is +1 when the weight bit equals the input's non-negativity, so a PE's SIMD terms sum
// to 2 x (agreements) - SIMD, the popcount of an XNOR.
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
    parameter WEIGHT_STYLE = 0,
    parameter USE_DSP = 1,
    parameter BIPOLAR_W = 0,
    parameter XNOR = 0,
    parameter WEIGHT_FILE = "weights.mem"
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    output wire in_ready,
    input wire [SIMD*IN_BITS-1:0] in_data,
    input wire wload_valid,  // the weight-load stream (WEIGHT_STYLE 3)
    output wire wload_ready,
    input wire [PE*SIMD*W_BITS-1:0] wload_data,
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

  // Two banks of SF input words: the writer fills one while the reader folds the other.
  reg [SIMD*IN_BITS-1:0] buffer[0:2*SF-1];
  reg [1:0] full;
  reg wbank, rbank;
  reg [BW-1:0] wcount, sf;
  reg [AW-1:0] waddr;

  // WEIGHT_STYLE 3: DEPTH load beats after reset, written at waddr, before any input is taken.
  wire loaded;
  assign wload_ready = !rst && !loaded;
  wire load = wload_valid && wload_ready;
  generate
    if (WEIGHT_STYLE == 3) begin : g_load
      reg done;
      always @(posedge clk)
        if (rst) done <= 1'b0;
        else if (load && waddr == DEPTH - 1) done <= 1'b1;
      assign loaded = done;
    end else begin : g_rom
      assign loaded = 1'b1;
    end
  endgenerate

  assign in_ready = !full[wbank] && loaded;
  wire accept = in_valid && in_ready;

  // The whole unit stalls while its output register holds an untaken result.
  wire advance = !out_valid || out_ready;
  wire issue = advance && full[rbank];
  wire issue_last = issue && waddr == DEPTH - 1;
  wire read = !rst && issue;  // stage 1 loads the operands of one fold step

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
      if (load) waddr <= waddr == DEPTH - 1 ? 0 : waddr + 1'b1;  // never with issue: no input yet
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
        first_r <= sf == 0;
        last_r <= sf == SF - 1;
      end
    end
  end

  // The weight memories, one declaration per placement (attributes take no parameters).
  localparam PE_WORD = SIMD * W_BITS;
  genvar gp;
  generate
    for (gp = 0; gp < PE; gp = gp + 1) begin : g_pe
      localparam [7:0] D2 = 48 + gp / 100 % 10, D1 = 48 + gp / 10 % 10, D0 = 48 + gp % 10;
      localparam FILE = {WEIGHT_FILE, "_p", D2, D1, D0, ".mem"};
      if (WEIGHT_STYLE == 1) begin : g_block
        (* ram_style = "block", rom_style = "block" *) reg [PE_WORD-1:0] weights[0:DEPTH-1];
        initial $readmemh(FILE, weights);
        always @(posedge clk) if (read) w_r[gp*PE_WORD+:PE_WORD] <= weights[waddr];
      end else if (WEIGHT_STYLE == 2) begin : g_logic
        (* ram_style = "logic", rom_style = "logic" *) reg [PE_WORD-1:0] weights[0:DEPTH-1];
        initial $readmemh(FILE, weights);
        always @(posedge clk) if (read) w_r[gp*PE_WORD+:PE_WORD] <= weights[waddr];
      end else if (WEIGHT_STYLE == 3) begin : g_loaded
        // One address and a read only when not writing: the single port of SPRAM / URAM
        // (memory_libmap's srsw port with rdwr no_change).
        (* ram_style = "ultra" *) reg [PE_WORD-1:0] weights[0:DEPTH-1];
        always @(posedge clk)
          if (load) weights[waddr] <= wload_data[gp*PE_WORD+:PE_WORD];
          else if (read) w_r[gp*PE_WORD+:PE_WORD] <= weights[waddr];
      end else begin : g_auto
        reg [PE_WORD-1:0] weights[0:DEPTH-1];
        initial $readmemh(FILE, weights);
        always @(posedge clk) if (read) w_r[gp*PE_WORD+:PE_WORD] <= weights[waddr];
      end
    end
  endgenerate

  // Stage 2: PE dot products of SIMD terms added to the accumulators.
  reg [PE*ACC_BITS-1:0] acc, acc_next;
  reg signed [ACC_BITS-1:0] sum;
  reg signed [W_BITS-1:0] w;
  reg signed [IN_BITS:0] x;
  reg signed [PW-1:0] product;
  reg [$clog2(SIMD+1)-1:0] agreements;
  localparam SW = IN_BITS + 1 + $clog2(SIMD + 1);  // a sum of SIMD sign-extended inputs
  reg signed [SW-1:0] selected, inputs;
  integer p, s, b;

  // The sum of all inputs, which every PE's bipolar sum subtracts; only where it is used. (No
  // Verilog function for the sign-extended element: Yosys inlines each of the PE x SIMD calls with
  // wires of its own, which made synthesis of a PE 16 x SIMD 64 unit four times slower.)
  generate
    if (BIPOLAR_W != 0 && XNOR == 0) begin : g_input_sum
      integer i;
      always @* begin
        inputs = 0;
        for (i = 0; i < SIMD; i = i + 1)
          inputs = inputs + $signed({IN_SIGNED != 0 && x_r[i*IN_BITS+IN_BITS-1], x_r[i*IN_BITS+:IN_BITS]});
      end
    end else begin : g_no_input_sum
      always @* inputs = 0;
    end
  endgenerate

  always @* begin
    for (p = 0; p < PE; p = p + 1) begin
      sum = first_r ? {ACC_BITS{1'b0}} : acc[p*ACC_BITS+:ACC_BITS];
      if (XNOR != 0) begin
        agreements = 0;
        for (s = 0; s < SIMD; s = s + 1)
          agreements = agreements + (w_r[p*SIMD+s] == !x_r[s*IN_BITS+IN_BITS-1]);
        sum = sum + $signed({1'b0, agreements, 1'b0}) - SIMD;
      end else if (BIPOLAR_W != 0) begin
        // The sum over s of (w ? x : -x) is 2 x (the sum of the inputs whose weight is +1) - (the
        // sum of all inputs): per PE a narrow sum of masked inputs (a popcount for 1-bit inputs),
        // and one sum of the inputs that every PE shares. Adding each term at the accumulator's
        // width instead took Yosys four times the LUTs (LFC's first layer: 14,927).
        selected = 0;
        for (s = 0; s < SIMD; s = s + 1)
          selected = selected + ($signed({IN_SIGNED != 0 && x_r[s*IN_BITS+IN_BITS-1], x_r[s*IN_BITS+:IN_BITS]}) &
                                 $signed({(IN_BITS + 1){w_r[p*SIMD+s]}}));
        sum = sum + (selected <<< 1) - inputs;
      end else for (s = 0; s < SIMD; s = s + 1) begin
        w = w_r[(p*SIMD+s)*W_BITS+:W_BITS];
        x = {IN_SIGNED != 0 && x_r[s*IN_BITS+IN_BITS-1], x_r[s*IN_BITS+:IN_BITS]};
        if (USE_DSP != 0) begin
          product = w * x;
        end else begin
          // Two's complement: w = -2^(W-1) w[W-1] + sum over b < W-1 of 2^b w[b].
          product = 0;
          for (b = 0; b < W_BITS; b = b + 1)
            if (w[b]) product = b == W_BITS - 1 ? product - (x <<< b) : product + (x <<< b);
        end
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
