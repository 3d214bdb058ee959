// codse RTL library: one stream to two consumers (a residual block's main path and skip FIFO).
// A word leaves when both take it; neither ready depends on a valid, so no loop forms.
module codse_fork #(
    parameter WIDTH = 8
) (
    input wire in_valid,
    output wire in_ready,
    input wire [WIDTH-1:0] in_data,
    output wire a_valid,
    input wire a_ready,
    output wire [WIDTH-1:0] a_data,
    output wire b_valid,
    input wire b_ready,
    output wire [WIDTH-1:0] b_data
);
  assign in_ready = a_ready && b_ready;
  assign a_valid = in_valid && b_ready;
  assign b_valid = in_valid && a_ready;
  assign a_data = in_data;
  assign b_data = in_data;
endmodule
