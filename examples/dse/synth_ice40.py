#!/usr/bin/python3
"""Synthesizes, places and routes fir.v for the iCE40 UP5K (sg48) and prints one JSON line.

    synth_ice40.py --width 8 --taps 16 --lanes 4 --pipe 1 [--out DIR]

Runs Yosys (synth_ice40, LUT multipliers) and nextpnr-ice40 (--up5k --package sg48, seed 1, --freq 48,
--timing-allow-fail) in DIR (default: the current directory), each with a 300 s timeout and a 4 GB
address-space limit (`ulimit -v 4000000`), and prints as the last line of stdout:

    {"luts": N, "ffs": N, "dsps": N, "fmax_mhz": F, "cycles_per_sample": C,
     "throughput_msps": T, "power_mw": P}

power_mw is an ESTIMATE, not a measurement: no Debian package estimates iCE40 power, so it is a
dynamic-power model at the achieved clock (see README.md, "Power"): static 0.075 mW plus, per MHz,
0.0006 mW per LUT, 0.0003 mW per flip-flop and 0.05 mW per SB_MAC16 used, with 12.5 % toggle rate
folded into these coefficients. Exit code 1 (and no JSON) when a tool fails.
"""
import argparse
import json
import os
import resource
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MEMORY_LIMIT = 4_000_000 * 1024  # bytes, as `ulimit -v 4000000`: one run can never take the machine

# Power model coefficients (mW per MHz per cell, toggle rate included) and static power.
STATIC_MW = 0.075
MW_PER_MHZ = {"luts": 0.0006, "ffs": 0.0003, "dsps": 0.05}


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(args, seconds, log):
    """Runs a tool with a time and memory limit, its output appended to log.

    The limits are set here rather than with timeout(1) and `ulimit -v` in a shell: timeout(1)
    moves the tool into a process group of its own, out of the group codse kills when the run
    times out or codse itself is killed.
    """
    with open(log, "a") as out:
        out.write("$ " + " ".join(shlex.quote(arg) for arg in args) + "\n")
        out.flush()
        try:
            done = subprocess.run(args, stdout=out, stderr=out, timeout=seconds, preexec_fn=limit_memory)
        except subprocess.TimeoutExpired:
            sys.exit(f"{args[0]} timed out after {seconds} s; see {log}")
    if done.returncode != 0:
        how = f"signal {-done.returncode}" if done.returncode < 0 else f"exit {done.returncode}"
        sys.exit(f"{args[0]} failed ({how}); see {log}")


def cells(stat):
    by_type = stat["design"]["num_cells_by_type"]
    luts = by_type.get("SB_LUT4", 0)
    ffs = sum(n for cell, n in by_type.items() if cell.startswith("SB_DFF"))
    dsps = by_type.get("SB_MAC16", 0)
    return luts, ffs, dsps


def fmax(report):
    # The clock net of `clk`; nextpnr also lists $PACKER_GND_NET in -dsp designs (ignore it).
    clocks = {name: entry["achieved"] for name, entry in report.get("fmax", {}).items() if "PACKER" not in name}
    return min(clocks.values()) if clocks else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for knob in ("width", "taps", "lanes", "pipe"):
        parser.add_argument(f"--{knob}", type=int, required=True)
    parser.add_argument("--out", default=".")
    args = parser.parse_args()
    if args.taps % args.lanes:
        sys.exit(f"--lanes {args.lanes} must divide --taps {args.taps}")
    os.makedirs(args.out, exist_ok=True)
    os.chdir(args.out)
    log = "tools.log"
    open(log, "w").close()
    source = os.path.join(HERE, "fir.v")
    params = f"-set W {args.width} -set TAPS {args.taps} -set LANES {args.lanes} -set PIPE {args.pipe}"
    run(["yosys", "-q", "-p", f"read_verilog {source}; chparam {params} fir; synth_ice40 -top fir -json fir.json; "
         "tee -q -o stat.json stat -json"], 300, log)
    run(["nextpnr-ice40", "--up5k", "--package", "sg48", "--json", "fir.json", "--freq", "48", "--timing-allow-fail",
         "--seed", "1", "--report", "report.json", "-q", "-l", "pnr.log"], 300, log)
    with open("stat.json") as f:
        luts, ffs, dsps = cells(json.load(f))
    with open("report.json") as f:
        mhz = fmax(json.load(f))
    cycles = args.taps // args.lanes
    power = STATIC_MW + mhz * (MW_PER_MHZ["luts"] * luts + MW_PER_MHZ["ffs"] * ffs + MW_PER_MHZ["dsps"] * dsps)
    print(json.dumps({"luts": luts, "ffs": ffs, "dsps": dsps, "fmax_mhz": round(mhz, 3), "cycles_per_sample": cycles,
                      "throughput_msps": round(mhz / cycles, 4), "power_mw": round(power, 4)}))


if __name__ == "__main__":
    main()
