#!/usr/bin/env python3
"""ATNE drives an external evaluator: Yosys synthesizes each asked folding of a layer (ask and tell).

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/ask_tell_yosys.py [--budget 8]

The knobs are the parallelism of fc1 of examples/networks/digits_mlp_w2a2.json on the iCE40 UP5K:
PE (output lanes) and SIMD (input lanes). Each design is one `codse hw synth` run, which generates the
network's Verilog and synthesizes it with Yosys: its LUT count is what we minimise next to the
initiation interval in cycles. The network's weights are trained once, one epoch on
scikit-learn's digits (--data-dir), and kept beside the store. The study is stored in --db, so a killed run resumes where it stopped,
without synthesizing a recorded design again (and Yosys's results are cached in --cache).
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import codse

REPO = pathlib.Path(__file__).resolve().parents[2]


def codse_binary():
    for candidate in (os.environ.get("CODSE_BINARY"), shutil.which("codse"), REPO / "build/release/codse"):
        if candidate and pathlib.Path(candidate).is_file():
            return str(candidate)
    raise SystemExit("the codse command was not found: build it (scripts/build.sh) or set CODSE_BINARY")


def trained_weights(binary, out, data_dir):
    """The network's weights, trained once (one epoch on scikit-learn's digits) and kept beside the store."""
    weights = out / "weights.bin"
    if not weights.is_file():
        command = [binary, "train", "--network", str(REPO / "examples/networks/digits_mlp_w2a2.json"), "--dataset",
                   "digits", "--epochs", "1", "--out", str(out)]
        if data_dir:
            command += ["--data-dir", str(data_dir)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise SystemExit(f"codse train failed: {done.stderr.strip()}")
    return weights


def synthesize(trial, work, cache, binary, weights):
    """One tool run: the mapping with the asked fc1 folding, through `codse hw synth`; its LUTs and cycles."""
    base = codse.Mapping.load(str(REPO / "examples/mappings/digits_mlp_w2a2.json"))
    mapping = base.with_layer("fc1", pe=trial.params["pe"], simd=trial.params["simd"])
    design = work / f"pe{trial.params['pe']}-simd{trial.params['simd']}"
    design.mkdir(parents=True, exist_ok=True)
    mapping.save(str(design / "mapping.json"))
    done = subprocess.run([binary, "hw", "synth", "--network", str(REPO / "examples/networks/digits_mlp_w2a2.json"),
                           "--weights", str(weights), "--mapping", str(design / "mapping.json"), "--device", "iCE40UP5K", "--no-place-route",
                           "--json", "--jobs", "1", "--timeout", "300", "--cache", str(cache), "--out", str(design)],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"codse hw synth failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    result = json.loads(done.stdout)
    return {"lut": result["total"]["lut"], "ii_cycles": result["ii_cycles"],
            "dsp": result["total"]["dsp"], "bram18": result["total"]["bram18"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=8, help="Yosys runs (designs evaluated)")
    parser.add_argument("--db", default="ask_tell_yosys.sqlite", help="SQLite store of the study (resumable)")
    parser.add_argument("--cache", default=str(pathlib.Path.home() / ".cache/codse/synth"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", help="directory of the digits dataset (default: codse's data directory)")
    args = parser.parse_args()

    binary = codse_binary()
    weights = trained_weights(binary, pathlib.Path(args.db).with_suffix(".weights"), args.data_dir)
    space = {"pe": [1, 2, 4, 8], "simd": [1, 2, 4, 8, 16]}  # divisors of fc1's 16 outputs and 64 inputs
    study = codse.Study(space, ["lut:min", "ii_cycles:min"], explorer="atne", seed=args.seed, storage=args.db,
                        name="digits-fc1-folding")
    if study.resumed_trials:
        print(f"resumed {study.resumed_trials} synthesized designs from {args.db}")
    with tempfile.TemporaryDirectory(prefix="codse-ask-tell-") as tmp:
        while len(study.trials) < args.budget:
            try:
                trial = study.ask()
            except StopIteration:
                break
            try:
                values = synthesize(trial, pathlib.Path(tmp), args.cache, binary, weights)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                study.tell(trial, error=str(error))
                print(f"trial {trial.number} {trial.params}: failed: {error}", file=sys.stderr)
                continue
            study.tell(trial, values)
            print(f"trial {trial.number}: pe {trial.params['pe']:>2} simd {trial.params['simd']:>2}: "
                  f"{values['lut']:>5.0f} LUT, {values['ii_cycles']:>5.0f} cycles")
    print(f"front of {len(study.trials)} synthesized designs (of {study.space_size}):")
    for t in sorted(study.best_trials, key=lambda t: t.values["lut"]):
        print(f"  pe {t.params['pe']:>2} simd {t.params['simd']:>2}: {t.values['lut']:>5.0f} LUT, "
              f"{t.values['ii_cycles']:>5.0f} cycles")


if __name__ == "__main__":
    main()
