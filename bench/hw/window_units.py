#!/usr/bin/python3
"""The logic of codse's sliding-window unit (codse_swu.v) and max unit (codse_maxpool.v) in Yosys,
against the structural counts the calibrated estimator uses (src/hw/cost/window_logic.cpp).

    window_units.py REPO FAMILY SEED COUNT [OUT.jsonl]
    window_units.py REPO FAMILY SEED 0 OUT.jsonl     (fit the rows OUT.jsonl holds, synthesize none)

Draws COUNT random windows (convolutions: channels, frame, kernel 1-5, padding, lanes, element
bits; pools: a 2x2 or 3x3 max behind its window), synthesizes each alone with the flow `codse hw
synth` uses for FAMILY (xc7: synth_xilinx -flatten -noiopad; ice40: synth_ice40) under a 4 GB
bound, and fits the LUTs of logic (Yosys's LUTs, LUTRAM counted as LUTs, less the memories as the
estimator models them: window_frames, max_unit_memory) as non-negative multiples of the counts: 1, counter bits, address bits, padding
bits (window), compare bits (max unit). Prints the coefficients, fitted on the even draws, and
the mean absolute relative error of LUTs and of the structural FF count on the odd (held-out)
ones. FOLD and the widths follow the RTL's own localparams."""

import json
import math
import random
import subprocess
import sys
import tempfile

import numpy


def clog2(n):
    return max(0, math.ceil(math.log2(n))) if n > 1 else 0


def popcount(n):
    return bin(n).count("1")


SHAPES = {"xc7": [(16384, 1), (8192, 2), (4096, 4), (2048, 9), (1024, 18), (512, 36)],
          "ice40": [(2048, 2), (1024, 4), (512, 8), (256, 16)]}


def ceil_div(a, b):
    return -(-a // b)


def row_mux(family, depth, width):
    best, rows = None, 1
    for d, w in SHAPES[family]:
        blocks = ceil_div(depth, d) * ceil_div(width, w)
        if best is None or blocks < best:
            best, rows = blocks, ceil_div(depth, d)
    per_lut = 3 if family == "xc7" else 1
    return width * ceil_div(rows - 1, per_lut) + rows if rows > 1 else 0


def frames(family, depth, width):
    """Mirrors memory_cost.cpp's inferred_buffer_memory: (LUTs, FFs) of codse_swu's frame banks."""
    if family == "ice40":  # buffer_memory (no LUTRAM) and the read register
        return (0, depth * width + width) if depth <= 2 else (row_mux(family, depth, width), width)
    narrow = ceil_div(depth, 32) * ceil_div(width, 6)
    banks = ceil_div(depth, 64)
    wide = banks * ceil_div(width, 3)
    cells = min(narrow, wide) if depth <= 32 else wide
    blocks = min(ceil_div(depth, d) * ceil_div(width, w) for d, w in SHAPES[family])
    if 8 * cells <= 129 * blocks:
        return 4 * cells + (width * ceil_div(banks - 1, 3) + banks if banks > 1 else 0), width
    return row_mux(family, depth, width), 0


def max_memory(family, lanes, bits, fold):
    """Mirrors window_logic.cpp's max_unit_memory: (LUTs, FFs) of the running maximum."""
    word = lanes * bits
    if fold <= 1:
        return 0, word
    lut, ff = frames(family, fold, word)
    lutram = family == "xc7" and ff > 0  # LUTRAM: read asynchronously, no read register
    return lut, 0 if lutram else ff


def window_counts(c, h, w, k, s, p, oh, ow, lanes, bits, pad_min):
    """Mirrors window_logic.cpp: what codse_swu instantiates besides its frames."""
    fold = c // lanes
    frame = h * w * fold
    aw = clog2(2 * frame + 1)
    yw, xw = clog2((oh - 1) * s + k + 1), clog2((ow - 1) * s + k + 1)
    counters = aw + clog2(fold) + 2 * clog2(k) + clog2(ow) + clog2(oh)
    address = aw * (popcount(w) + popcount(fold)) + yw * popcount(s) + xw * popcount(s)
    leaves = p > 0 or (oh - 1) * s + k > h + p or (ow - 1) * s + k > w + p
    pad = lanes * bits if leaves else 0
    return {"counters": counters, "address": address, "pad": pad, "compare": 0, "ff": counters + 4}


def max_counts(lanes, bits, window, fold):
    counters = clog2(fold) + clog2(window)
    return {"counters": counters, "address": 0, "pad": 0, "compare": lanes * bits, "ff": counters + lanes * bits + 1}


def synth(repo, family, top_text, top):
    with tempfile.TemporaryDirectory() as tmp:
        open(f"{tmp}/top.v", "w").write(top_text)
        flow = (f"synth_xilinx -family xc7 -top {top} -flatten -noiopad" if family == "xc7"
                else f"synth_ice40 -top {top}")
        script = (f"read_verilog {repo}/src/hw/rtl/verilog/codse_swu.v {repo}/src/hw/rtl/verilog/codse_maxpool.v "
                  f"{tmp}/top.v; {flow}; tee -o {tmp}/stat.json stat -json")
        subprocess.run(["bash", "-c", f"ulimit -v 4000000; timeout 600 yosys -q -p '{script}'"], check=True,
                       capture_output=True)
        cells = json.load(open(f"{tmp}/stat.json"))["design"]["num_cells_by_type"]
    lutram = {"RAM32X1S": 1, "RAM32X1D": 2, "RAM64X1S": 1, "RAM64X1D": 2, "RAM128X1S": 2, "RAM128X1D": 4,
              "RAM256X1S": 4, "RAM32M": 4, "RAM64M": 4, "SRL16E": 1, "SRLC32E": 1}
    lut = sum(n * (lutram.get(cell, 1)) for cell, n in cells.items()
              if cell.startswith("LUT") or cell == "SB_LUT4" or cell in lutram)
    ff = sum(n for cell, n in cells.items() if cell.startswith("FD") or cell.startswith("SB_DFF"))
    return lut, ff


def draw(rng):
    pool = rng.random() < 0.4
    c = rng.choice([1, 3, 8, 16, 32, 64, 128])
    lanes = rng.choice([l for l in (1, 2, 4, 8, 16, 32, 64) if c % l == 0])
    bits = rng.choice([1, 2, 4, 8])
    h = rng.choice([4, 6, 8, 12, 14, 16, 28, 32])
    if pool:
        k = rng.choice([2, 2, 3]) if h >= 6 else 2
        return {"pool": True, "c": c, "h": h, "w": h, "k": k, "s": k, "p": 0, "oh": h // k, "ow": h // k,
                "lanes": lanes, "bits": bits, "signed": rng.choice([0, 1])}
    k = rng.choice([1, 3, 3, 5]) if h > 5 else 3
    p = rng.choice([0, 1, k // 2]) if k > 1 else 0
    o = h + 2 * p - k + 1
    return {"pool": False, "c": c, "h": h, "w": h, "k": k, "s": 1, "p": p, "oh": o, "ow": o, "lanes": lanes,
            "bits": bits, "signed": 0}


def verilog(d):
    width = d["lanes"] * d["bits"]
    swu = (f"codse_swu #(.CHANNELS({d['c']}), .IN_H({d['h']}), .IN_W({d['w']}), .KERNEL({d['k']}), "
           f".STRIDE({d['s']}), .PAD({d['p']}), .OUT_H({d['oh']}), .OUT_W({d['ow']}), .LANES({d['lanes']}), "
           f".BITS({d['bits']}), .SIGNED({d['signed']}), .PAD_MIN({int(d['pool'])}))")
    ports = (f"module top(input clk, input rst, input in_valid, output in_ready, input [{width - 1}:0] in_data, "
             f"output out_valid, input out_ready, output [{width - 1}:0] out_data);\n")
    if not d["pool"]:
        return ports + f"  {swu} s(clk, rst, in_valid, in_ready, in_data, out_valid, out_ready, out_data);\nendmodule\n"
    maxu = (f"codse_maxpool #(.LANES({d['lanes']}), .BITS({d['bits']}), .SIGNED({d['signed']}), "
            f".WINDOW({d['k'] * d['k']}), .FOLD({d['c'] // d['lanes']}))")
    return (ports + f"  wire v, r; wire [{width - 1}:0] d;\n  {swu} s(clk, rst, in_valid, in_ready, in_data, v, r, d);\n"
            f"  {maxu} m(clk, rst, v, r, d, out_valid, out_ready, out_data);\nendmodule\n")


def counts(d, family):
    """The logic counts, and the memories' LUTs and FFs as the estimator models them."""
    total = window_counts(d["c"], d["h"], d["w"], d["k"], d["s"], d["p"], d["oh"], d["ow"], d["lanes"], d["bits"],
                          d["pool"])
    fold = d["c"] // d["lanes"]
    memory_lut, memory_ff = frames(family, 2 * d["h"] * d["w"] * fold, d["lanes"] * d["bits"])
    if d["pool"]:
        extra = max_counts(d["lanes"], d["bits"], d["k"] * d["k"], fold)
        total = {key: total[key] + extra[key] for key in total}
        lut, ff = max_memory(family, d["lanes"], d["bits"], fold)
        memory_lut, memory_ff = memory_lut + lut, memory_ff + ff
    total["memory_lut"], total["ff"] = memory_lut, total["ff"] + memory_ff
    return total


FEATURES = ("one", "counters", "address", "pad", "compare")


def main():
    repo, family, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    out = open(sys.argv[5], "a") if len(sys.argv) > 5 else None
    rng = random.Random(seed)
    # Stored draws are recounted, so a change of the counts needs no new synthesis.
    rows = [{**r, **counts(r, family)} for r in map(json.loads, open(sys.argv[5]))] if count == 0 else []
    for i in range(count):
        d = draw(rng)
        lut, ff = synth(repo, family, verilog(d), "top")
        row = {**d, **counts(d, family), "one": 1, "lut": lut, "yosys_ff": ff}
        rows.append(row)
        if out:
            out.write(json.dumps(row) + "\n")
            out.flush()
        print(f"{i:3d} {'pool' if d['pool'] else 'conv'} c{d['c']} {d['h']}x{d['w']} k{d['k']} p{d['p']} "
              f"lanes {d['lanes']} bits {d['bits']}: LUT {lut} FF {ff} (structural FF {row['ff']})", flush=True)
    fit, held = rows[0::2], rows[1::2]
    a = numpy.array([[r[f] for f in FEATURES] for r in fit], dtype=float)
    # The logic is what is left of Yosys's LUTs (LUTRAM counted as LUTs, as codse hw synth does)
    # beside the memories, which the estimator models on their own.
    y = numpy.array([r["lut"] - r["memory_lut"] for r in fit], dtype=float)
    # Relative error counts small and large units alike: weight each row by 1 / measured.
    weight = 1.0 / numpy.maximum(numpy.array([r["lut"] for r in fit], dtype=float), 1.0)
    coefficients = nonnegative_least_squares(a * weight[:, None], y * weight)
    print(family, "coefficients:", {f: round(float(c), 3) for f, c in zip(FEATURES, coefficients)})
    for name, part in (("fitted", fit), ("held out", held)):
        predicted = [r["memory_lut"] + sum(c * r[f] for c, f in zip(coefficients, FEATURES)) for r in part]
        lut_error = numpy.mean([abs(p - r["lut"]) / max(r["lut"], 1) for p, r in zip(predicted, part)])
        ff_error = numpy.mean([abs(r["ff"] - r["yosys_ff"]) / max(r["yosys_ff"], 1) for r in part])
        print(f"{name}: {len(part)} units, LUT mean abs error {100 * lut_error:.1f}%, "
              f"structural FF mean abs error {100 * ff_error:.1f}%")


def nonnegative_least_squares(a, y):
    """Lawson-Hanson by active set (scipy is not a dependency)."""
    n = a.shape[1]
    passive = []
    x = numpy.zeros(n)
    for _ in range(3 * n):
        gradient = a.T @ (y - a @ x)
        candidates = [j for j in range(n) if j not in passive and gradient[j] > 1e-9]
        if not candidates:
            break
        passive.append(max(candidates, key=lambda j: gradient[j]))
        while True:
            z = numpy.zeros(n)
            z[passive] = numpy.linalg.lstsq(a[:, passive], y, rcond=None)[0]
            if all(z[j] > 0 for j in passive):
                x = z
                break
            ratios = [x[j] / (x[j] - z[j]) for j in passive if z[j] <= 0]
            x = x + min(ratios) * (z - x)
            passive = [j for j in passive if x[j] > 1e-12]
    return x


if __name__ == "__main__":
    main()
