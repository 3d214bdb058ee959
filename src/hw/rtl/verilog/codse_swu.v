// codse RTL library: sliding-window unit of a convolution or a max pool. The input frame streams
// in HWC order, LANES channels per word (FOLD = CHANNELS / LANES words per pixel), into one of two
// frame banks; from the other bank the unit streams, for every output pixel (oy, ox), the window
// in (ky, kx, channel group) order: the column order of the matrix-vector unit behind it.
// Positions outside the frame (padding, or a pool window hanging over the edge) read as zero, or
// with PAD_MIN as the smallest element (which a max ignores). One word per cycle:
// OUT_H x OUT_W x KERNEL^2 x FOLD cycles per frame, overlapped with the next frame's input.
module codse_swu #(
    parameter CHANNELS = 1,
    parameter IN_H = 4,
    parameter IN_W = 4,
    parameter KERNEL = 3,
    parameter STRIDE = 1,
    parameter PAD = 0,
    parameter OUT_H = 2,
    parameter OUT_W = 2,
    parameter LANES = 1,
    parameter BITS = 8,
    parameter SIGNED = 0,
    parameter PAD_MIN = 0
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    output wire in_ready,
    input wire [LANES*BITS-1:0] in_data,
    output reg out_valid,
    input wire out_ready,
    output wire [LANES*BITS-1:0] out_data
);
  localparam FOLD = CHANNELS / LANES;
  localparam FRAME = IN_H * IN_W * FOLD;
  localparam AW = $clog2(2 * FRAME + 1);
  // Counters as wide as their ranges (a 32-bit `integer` register stays 32 flip-flops and 32-bit
  // compares in Yosys, which cannot prove the bound): at least 1 bit each.
  localparam CGW = FOLD > 1 ? $clog2(FOLD) : 1;
  localparam KW = KERNEL > 1 ? $clog2(KERNEL) : 1;
  localparam OXW = OUT_W > 1 ? $clog2(OUT_W) : 1;
  localparam OYW = OUT_H > 1 ? $clog2(OUT_H) : 1;
  // Window rows and columns before the padding is taken off: 0 .. (OUT - 1) x STRIDE + KERNEL - 1.
  localparam YW = $clog2((OUT_H - 1) * STRIDE + KERNEL + 1);
  localparam XW = $clog2((OUT_W - 1) * STRIDE + KERNEL + 1);
  localparam [BITS-1:0] PAD_ELEMENT = (PAD_MIN != 0 && SIGNED != 0) ? {1'b1, {(BITS - 1) {1'b0}}} : {BITS{1'b0}};

  reg [LANES*BITS-1:0] frames[0:2*FRAME-1];
  reg [1:0] full;
  reg wbank, rbank;
  reg [AW-1:0] wcount;
  assign in_ready = !full[wbank];
  wire accept = in_valid && in_ready;

  // Window counters, innermost first: channel group, kx, ky, ox, oy.
  reg [CGW-1:0] cg;
  reg [KW-1:0] kx, ky;
  reg [OXW-1:0] ox;
  reg [OYW-1:0] oy;
  wire advance = !out_valid || out_ready;
  wire issue = advance && full[rbank];
  wire last_of_frame = cg == FOLD - 1 && kx == KERNEL - 1 && ky == KERNEL - 1 && ox == OUT_W - 1 && oy == OUT_H - 1;
  wire issue_last = issue && last_of_frame;

  // value x constant as shifted adds: a `*` of a counter and a constant is a DSP48E1 in Yosys as
  // soon as the product has 9 bits (y * 30 for a 30-pixel row), and an address needs none.
  function automatic integer times(input integer value, input integer constant);
    integer b;
    begin
      times = 0;
      for (b = 0; b < 31; b = b + 1) if (constant[b]) times = times + (value <<< b);
    end
  endfunction

  // The window position in padded coordinates (unsigned: the padding is a bound, not a subtraction
  // that needs a sign bit), then the frame address of its pixel's channel group.
  reg [YW-1:0] y;
  reg [XW-1:0] x;
  reg in_frame;
  reg [AW-1:0] raddr;
  always @* begin
    y = times(oy, STRIDE) + ky;
    x = times(ox, STRIDE) + kx;
    in_frame = y >= PAD && y < IN_H + PAD && x >= PAD && x < IN_W + PAD;
    raddr = (rbank ? FRAME : 0) + (times(in_frame ? times(y - PAD, IN_W) + x - PAD : 0, FOLD) + cg);
  end

  reg [LANES*BITS-1:0] word_r;
  reg pad_r;
  assign out_data = pad_r ? {LANES{PAD_ELEMENT}} : word_r;

  always @(posedge clk) begin
    if (rst) begin
      full <= 2'b00;
      wbank <= 1'b0;
      rbank <= 1'b0;
      wcount <= 0;
      cg <= 0;
      kx <= 0;
      ky <= 0;
      ox <= 0;
      oy <= 0;
      out_valid <= 1'b0;
      pad_r <= 1'b0;
    end else begin
      if (accept) begin
        frames[wbank ? FRAME + wcount : wcount] <= in_data;
        wcount <= wcount == FRAME - 1 ? 0 : wcount + 1'b1;
        if (wcount == FRAME - 1) wbank <= !wbank;
      end
      if (advance) begin
        out_valid <= full[rbank];
        if (issue) begin
          word_r <= frames[raddr];
          pad_r <= !in_frame;
          cg <= cg == FOLD - 1 ? 0 : cg + 1;
          if (cg == FOLD - 1) begin
            kx <= kx == KERNEL - 1 ? 0 : kx + 1;
            if (kx == KERNEL - 1) begin
              ky <= ky == KERNEL - 1 ? 0 : ky + 1;
              if (ky == KERNEL - 1) begin
                ox <= ox == OUT_W - 1 ? 0 : ox + 1;
                if (ox == OUT_W - 1) oy <= oy == OUT_H - 1 ? 0 : oy + 1;
              end
            end
          end
          if (issue_last) rbank <= !rbank;
        end
      end
      full[0] <= (full[0] || (accept && wcount == FRAME - 1 && !wbank)) && !(issue_last && !rbank);
      full[1] <= (full[1] || (accept && wcount == FRAME - 1 && wbank)) && !(issue_last && rbank);
    end
  end
endmodule
