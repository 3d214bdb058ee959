// codse RTL library: synchronous first-word-fall-through FIFO of DEPTH words.
module codse_fifo #(
    parameter WIDTH = 8,
    parameter DEPTH = 2
) (
    input wire clk,
    input wire rst,
    input wire in_valid,
    output wire in_ready,
    input wire [WIDTH-1:0] in_data,
    output wire out_valid,
    input wire out_ready,
    output wire [WIDTH-1:0] out_data
);
  localparam AW = $clog2(DEPTH + 1);
  reg [WIDTH-1:0] words[0:DEPTH-1];
  reg [AW-1:0] head, tail, count;
  assign in_ready = count != DEPTH;
  assign out_valid = count != 0;
  assign out_data = words[head];
  wire push = in_valid && in_ready;
  wire pop = out_valid && out_ready;
  always @(posedge clk) begin
    if (rst) begin
      head <= 0;
      tail <= 0;
      count <= 0;
    end else begin
      if (push) begin
        words[tail] <= in_data;
        tail <= tail == DEPTH - 1 ? 0 : tail + 1'b1;
      end
      if (pop) head <= head == DEPTH - 1 ? 0 : head + 1'b1;
      count <= count + (push ? 1'b1 : 1'b0) - (pop ? 1'b1 : 1'b0);
    end
  end
endmodule
