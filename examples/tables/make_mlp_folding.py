#!/usr/bin/python3
"""Writes mlp_folding.csv: every folding of a 2-bit 64-32-10 MLP (sklearn digits) on a FINN-style
dataflow accelerator, with its cost from a simple analytic model.

This is the bundled example for `codse dse` until `codse hw map` produces such tables from the real
estimator. The model (FINN's MVAU, Umuroglu et al. FPGA 2017; Blott et al. TRETS 2018):
  cycles of a layer = (MH / PE) * (MW / SIMD)       (one input vector)
  initiation interval = the slowest layer's cycles
  latency = sum of the layers' cycles
  LUTs of a layer = PE * SIMD * (W * A * 1.1 + 2)    (XNOR/multiply plus the adder tree)
                  + PE * (acc_bits + 30)             (accumulator and threshold compare)
                  + weight memory in LUTRAM: ceil(MH*MW*W / (PE*SIMD*W)) deep, PE*SIMD*W bits
                    wide, 64 bits per LUT
Knobs are SIMD (divides MW) and PE (divides MH) of both layers. Deterministic; no inputs.
"""
import csv
import math
import os

LAYERS = [(64, 32), (32, 10)]  # (MW inputs, MH outputs)
W_BITS, A_BITS = 2, 2


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def layer_cost(mw, mh, simd, pe):
    cycles = (mh // pe) * (mw // simd)
    acc_bits = W_BITS + A_BITS + math.ceil(math.log2(mw))
    compute = pe * simd * (W_BITS * A_BITS * 1.1 + 2) + pe * (acc_bits + 30)
    depth = (mh * mw) // (pe * simd)
    memory = math.ceil(depth / 64) * pe * simd * W_BITS
    return cycles, compute + memory


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mlp_folding.csv")
    rows = []
    (mw1, mh1), (mw2, mh2) = LAYERS
    for s1 in divisors(mw1):
        for p1 in divisors(mh1):
            for s2 in divisors(mw2):
                for p2 in divisors(mh2):
                    c1, l1 = layer_cost(mw1, mh1, s1, p1)
                    c2, l2 = layer_cost(mw2, mh2, s2, p2)
                    rows.append([s1, p1, s2, p2, max(c1, c2), c1 + c2, round(l1 + l2)])
    with open(out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["knob_simd1", "knob_pe1", "knob_simd2", "knob_pe2",
                         "ii_cycles", "latency_cycles", "lut"])
        writer.writerows(rows)
    print(f"{out}: {len(rows)} designs")


if __name__ == "__main__":
    main()
