// codse RTL library: stream width converter from IN_LANES to OUT_LANES elements per word, in
// order. It holds up to IN_LANES + OUT_LANES elements: it takes a word while at most OUT_LANES
// are held and gives one while at least OUT_LANES are, so it never deadlocks.
module codse_dwc #(
    parameter IN_LANES = 1,
    parameter OUT_LANES = 1,
    parameter BITS = 8
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    output wire in_ready,
    input wire [IN_LANES*BITS-1:0] in_data,
    output wire out_valid,
    input wire out_ready,
    output wire [OUT_LANES*BITS-1:0] out_data
);
  localparam CAP = IN_LANES + OUT_LANES;
  localparam CW = $clog2(CAP + 1);
  localparam [CW-1:0] IN_L = IN_LANES;
  localparam [CW-1:0] OUT_L = OUT_LANES;
  reg [CAP*BITS-1:0] held, held_next;
  reg [CW-1:0] count, kept;
  assign in_ready = count <= OUT_LANES;
  assign out_valid = count >= OUT_LANES;
  assign out_data = held[OUT_LANES*BITS-1:0];
  wire push = in_valid && in_ready;
  wire pop = out_valid && out_ready;
  integer i;
  always @* begin
    held_next = pop ? held >> (OUT_LANES * BITS) : held;
    kept = pop ? count - OUT_L : count;
    for (i = 0; i < CAP; i = i + 1)
      if (push && i >= kept && i < kept + IN_LANES) held_next[i*BITS+:BITS] = in_data[(i-kept)*BITS+:BITS];
  end
  always @(posedge clk) begin
    if (rst) begin
      count <= 0;
    end else begin
      held <= held_next;
      count <= kept + (push ? IN_L : {CW{1'b0}});
    end
  end
endmodule
