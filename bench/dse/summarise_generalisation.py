#!/usr/bin/python3
"""Markdown summary of bench_dse_general's runs CSV (bench/dse/generalisation.sh).

    summarise_generalisation.py RUNS.csv

Halves of the 16 tables (fixed before any tuning): A tunes, B reports, then swapped. Per half,
budget and explorer: the mean over tables of the mean krg ADRS over seeds, its ratio to TPE's,
and the worst table's difference to TPE in percentage points. Wrong stops: runs that stopped by
themselves before the largest budget with the front incomplete (ADRS > 0 at the stop).
"""
import csv
import sys
from collections import defaultdict

HALF_A = {"vivado_dct", "vivado_matrixmul", "vivado_normals", "vivado_spmv",
          "chstone_chenidct", "aladdin_gemm", "spatial_blackscholes_valid", "sw_storm_rs_6d_c3"}


def main(path):
    runs = list(csv.DictReader(open(path)))
    cell = defaultdict(list)  # (objectives, table, algo, fraction) -> [adrs %]
    largest = max(float(r["fraction"]) for r in runs)
    stops = defaultdict(lambda: [0, 0, 0])  # algo -> runs, stopped early, stopped with front incomplete
    for r in runs:
        key = (r["objectives"], r["table"], r["algo"], float(r["fraction"]))
        cell[key].append(100 * float(r["adrs_krg"]))
        if float(r["fraction"]) == largest:
            s = stops[(r["algo"], r["objectives"])]
            s[0] += 1
            s[1] += int(r["stopped"])
            s[2] += int(r["stopped"]) and not int(r["front_found"])
    mean = {k: sum(v) / len(v) for k, v in cell.items()}
    algos = sorted({k[2] for k in cell}, key=lambda a: ["atne", "epal", "tpe", "random"].index(a)
                   if a in ["atne", "epal", "tpe", "random"] else 9)
    fractions = sorted({k[3] for k in cell})
    for objectives in sorted({k[0] for k in cell}):
        tables = sorted({k[1] for k in cell if k[0] == objectives})
        print(f"### {objectives} objectives: mean krg ADRS (%) over seeds and tables\n")
        halves = [("A", [t for t in tables if t in HALF_A]), ("B", [t for t in tables if t not in HALF_A]),
                  ("all", tables)] if objectives == "2" else [("all", tables)]
        notes = []
        print("| half | budget | tables | " + " | ".join(algos) + " | worst table vs TPE (points) |")
        print("|---|---|---|" + "---|" * len(algos) + "---|")
        for name, group in halves:
            # Means compare like with like: over the tables every explorer (TPE included) ran on.
            missing = [t for t in group if not all((objectives, t, a, f) in mean for a in algos for f in fractions)]
            group = [t for t in group if t not in missing]
            if missing:
                notes.append(f"half {name}: {', '.join(missing)} left out of the means (not run by every explorer)")
            if not group:
                continue
            for f in fractions:
                present = [a for a in algos if all((objectives, t, a, f) in mean for t in group)]
                means = {a: sum(mean[(objectives, t, a, f)] for t in group) / len(group) for a in present}
                row = []
                for a in algos:
                    if a not in means:
                        row.append("n/a")
                        continue
                    text = f"{means[a]:.3f}"
                    if "tpe" in means and a != "tpe" and means["tpe"] > 0:
                        text += f" ({means[a] / means['tpe']:.2f}x)"
                    row.append(text)
                worst = []
                if "tpe" in means:
                    for a in algos:
                        if a in ("tpe", "random") or a not in means:
                            continue
                        diffs = [(mean[(objectives, t, a, f)] - mean[(objectives, t, "tpe", f)], t) for t in group]
                        d, t = max(diffs)
                        worst.append(f"{a} {d:+.3f} ({t})")
                print(f"| {name} | {100 * f:.0f}% | {len(group)} | " + " | ".join(row) + " | " + "; ".join(worst) + " |")
        print()
        for note in notes:
            print(f"- {note}")
        print()
        print(f"Per table ({objectives} objectives), mean krg ADRS (%) over seeds:\n")
        print("| table | half | " + " | ".join(f"{a} {100 * f:.0f}%" for f in fractions for a in algos) + " |")
        print("|---|---|" + "---|" * (len(fractions) * len(algos)))
        for t in tables:
            half = "A" if t in HALF_A else "B"
            print(f"| {t} | {half} | " + " | ".join(f"{mean[(objectives, t, a, f)]:.3f}" if (objectives, t, a, f) in mean else "n/a"
                                                 for f in fractions for a in algos) + " |")
        print()
    print("### Self-stops (runs to the largest budget)\n")
    print("| explorer | objectives | runs | stopped early | stopped with the front incomplete |")
    print("|---|---|---|---|---|")
    for (a, o), (n, early, wrong) in sorted(stops.items()):
        print(f"| {a} | {o} | {n} | {early} | {wrong} ({100 * wrong / n:.1f}%) |")


if __name__ == "__main__":
    main(sys.argv[1])
