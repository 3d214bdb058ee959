#!/usr/bin/python3
"""Optuna's multivariate TPE on a design-space table, as the baseline of bench/dse/generalisation.sh.

    tpe_baseline.py OUT_DIR --seeds N --fraction F [--objectives 2|3] TABLE.csv...

Writes OUT_DIR/<table>.<o>obj.seed<S>.rows (skipped when it exists: TPE's runs do not depend on
codse's code, and all of them take about 40 minutes on one core): the 0-based rows TPE evaluated, in order. The C++
bench (bench_dse_general --rows-dir) scores them, so ADRS has one definition (core/front_scorer).

Search space: one categorical per knob over the table's distinct values of that knob (Optuna's
TPESampler(multivariate=True, seed=s), one objective per column with its direction).
Constraint to the table: when TPE suggests a combination that is not a row, or a row already
evaluated, the suggestion is mapped to the nearest row not evaluated yet in normalised knob space
(each knob's value replaced by its rank among the knob's distinct values, divided by the number of
values minus one; Euclidean distance; ties to the lowest row). The asked trial is then told FAIL
(TPE ignores failed trials) and the row actually evaluated is added as a complete trial with its
own knob values, so the model learns only measured rows. Only distinct evaluated rows count
toward the budget.
"""
import argparse
import csv
import math
import os
import sys

import numpy as np
import warnings

import optuna

warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def load(path, objective_count):
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [list(map(float, line)) for line in reader if line]
    knobs = [i for i, name in enumerate(header) if name.startswith("knob_")]
    objectives = [(i, "minimize" if name.endswith("_min") else "maximize")
                  for i, name in enumerate(header) if name.endswith("_min") or name.endswith("_max")]
    if not objectives:  # the Spector-HLS tables: obj1, obj2 (and lut for three), all minimised
        objectives = [(header.index(name), "minimize") for name in ("obj1", "obj2", "lut")]
    objectives = objectives[:objective_count]
    data = np.array(rows)
    return header, knobs, objectives, data


def run(path, out_dir, seed, fraction, objective_count):
    header, knobs, objectives, data = load(path, objective_count)
    n = len(data)
    budget = max(1, int(math.floor(fraction * n)))
    values = {k: sorted(set(data[:, k].tolist())) for k in knobs}
    rank = {k: {v: i / max(1, len(vs) - 1) for i, v in enumerate(vs)} for k, vs in values.items()}
    normalised = np.array([[rank[k][row[k]] for k in knobs] for row in data])
    row_of = {tuple(row[k] for k in knobs): r for r, row in enumerate(data)}
    names = [header[k] for k in knobs]
    distributions = {header[k]: optuna.distributions.CategoricalDistribution(values[k]) for k in knobs}

    sampler = optuna.samplers.TPESampler(multivariate=True, seed=seed)
    study = optuna.create_study(directions=[d for _, d in objectives], sampler=sampler)
    evaluated = np.zeros(n, dtype=bool)
    order = []
    while len(order) < budget:
        trial = study.ask(distributions)
        key = tuple(trial.params[name] for name in names)
        r = row_of.get(key)
        if r is None or evaluated[r]:
            point = np.array([rank[k][trial.params[header[k]]] for k in knobs])
            distance = ((normalised - point) ** 2).sum(axis=1)
            distance[evaluated] = np.inf
            r = int(np.argmin(distance))
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            study.add_trial(optuna.trial.create_trial(
                params={header[k]: data[r, k] for k in knobs}, distributions=distributions,
                values=[float(data[r, i]) for i, _ in objectives]))
        else:
            study.tell(trial, [float(data[r, i]) for i, _ in objectives])
        evaluated[r] = True
        order.append(r)
    stem = os.path.splitext(os.path.basename(path))[0]
    with open(os.path.join(out_dir, f"{stem}.{len(objectives)}obj.seed{seed}.rows"), "w") as out:
        out.write("\n".join(map(str, order)) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("tables", nargs="+")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--objectives", type=int, default=2)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    os.makedirs(args.out_dir, exist_ok=True)
    for path in args.tables:
        for seed in range(args.seeds):
            stem = os.path.splitext(os.path.basename(path))[0]
            done = os.path.join(args.out_dir, f"{stem}.{args.objectives}obj.seed{seed}.rows")
            if os.path.exists(done):  # TPE does not depend on codse: earlier runs are kept
                continue
            run(path, args.out_dir, seed, args.fraction, args.objectives)
            print(f"tpe {os.path.basename(path)} seed {seed}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
