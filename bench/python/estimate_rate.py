#!/usr/bin/env python3
"""Speed of the Python module's estimates, side by side with the C++ estimator in the same run.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python/estimate_rate.py [--mappings 100000]

1. estimate_many over N random valid mappings of examples/networks/mnist_mlp_w4a4.json on the XC7Z020,
   against Estimator.estimate_into's own C++ loop over the same mappings in the same process
   (Estimator._time_estimate_into: no validation, no arrays), alternated --repeats times; the ratio of
   rates per repeat and its median. Two forms: a MappingBatch (built from knob arrays and validated
   once, as estimate_into's contract assumes valid mappings), and a list of Mapping objects
   (each converted and validated in the call).
2. The cost of one codse.estimate(net, device, mapping) call (a new Estimator each time, as a user
   calls it), and of Estimator.estimate(mapping): median over repeats of --calls calls each.
"""

import argparse
import pathlib
import random
import statistics
import time

import codse

REPO = pathlib.Path(__file__).resolve().parents[2]


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def random_mappings(base, count, seed):
    rng = random.Random(seed)
    shapes = {"fc1": (256, 784), "fc2": (256, 256), "fc3": (10, 256)}
    choices = {layer: (divisors(out), divisors(inp)) for layer, (out, inp) in shapes.items()}
    mappings = []
    for _ in range(count):
        m = base
        for layer, (pes, simds) in choices.items():
            m = m.with_layer(layer, pe=rng.choice(pes), simd=rng.choice(simds))
        mappings.append(m)
    return mappings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mappings", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    net = codse.Network.load(str(REPO / "examples/networks/mnist_mlp_w4a4.json"))
    base = codse.Mapping.load(str(REPO / "examples/mappings/mnist_mlp_w4a4.json"))
    estimator = codse.Estimator(net, "XC7Z020")
    built = time.perf_counter()
    mappings = random_mappings(base, args.mappings, 1)
    print(f"{args.mappings} random mappings built in {time.perf_counter() - built:.1f} s (not timed below)")

    built = time.perf_counter()
    knobs = {f"{layer}.{field}": [m.layers[i][field] for m in mappings]
             for i, layer in enumerate(("fc1", "fc2", "fc3")) for field in ("pe", "simd")}
    batch = estimator.batch(base, knobs)
    print(f"MappingBatch of {len(batch)} built and validated in {time.perf_counter() - built:.2f} s (not timed below)")

    rows = {"batch": ([], [], []), "list": ([], [], [])}
    for repeat in range(args.repeats):
        for form, given in (("batch", batch), ("list", mappings)):
            start = time.perf_counter()
            result = estimator.estimate_many(given)
            python_seconds = time.perf_counter() - start
            cpp_seconds, _ = estimator._time_estimate_into(batch)
            assert len(result["lut"]) == args.mappings
            python_rates, cpp_rates, ratios = rows[form]
            python_rates.append(args.mappings / python_seconds)
            cpp_rates.append(args.mappings / cpp_seconds)
            ratios.append(cpp_seconds / python_seconds)
            print(f"repeat {repeat}: estimate_many({form}) {python_rates[-1]:,.0f}/s, C++ estimate_into "
                  f"{cpp_rates[-1]:,.0f}/s, ratio {ratios[-1]:.3f}")
    for form, (python_rates, cpp_rates, ratios) in rows.items():
        print(f"median, {form}: estimate_many {statistics.median(python_rates):,.0f} estimates/s, C++ "
              f"{statistics.median(cpp_rates):,.0f}/s, ratio {statistics.median(ratios):.3f}"
              f"{' (acceptance: >= 0.8)' if form == 'batch' else ''}")

    mapping = mappings[0]
    single, reused = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.calls):
            codse.estimate(net, "XC7Z020", mapping)
        single.append((time.perf_counter() - start) / args.calls * 1e6)
        start = time.perf_counter()
        for _ in range(args.calls):
            estimator.estimate(mapping)
        reused.append((time.perf_counter() - start) / args.calls * 1e6)
    print(f"one codse.estimate(net, device, mapping) call: median {statistics.median(single):.1f} us "
          f"(acceptance: < 50 us); Estimator.estimate(mapping): {statistics.median(reused):.1f} us")


if __name__ == "__main__":
    main()
