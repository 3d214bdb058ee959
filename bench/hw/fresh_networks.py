#!/usr/bin/env python3
"""Writes a corpus of random whole networks no calibration has seen (issue 14's fresh check).

    fresh_networks.py SEED COUNT OUT_DIR

Each network is an MLP, a residual MLP or a CNN (convolutions, optional max pools) on sklearn's
digits (8x8) or MNIST (28x28), with random widths, weight bits (1, 2, 4) and activation bits
(1 bipolar, 2, 4), so the corpus holds every unit a whole network adds to the matrix-vector
units: sliding windows, pools, skip FIFOs and adds, thresholds, width converters and FIFOs. Prints
one line per network: its file and the dataset it trains on. The same SEED writes the same
networks."""

import json
import random
import sys


def quant(name, bits):
    # 1 bit is bipolar (signed), as FINN's binarized networks; wider activations are unsigned.
    return {"name": name, "type": "quant", "bits": bits, "signed": bits == 1}


def dense_block(layers, index, units, w, a):
    layers.append({"name": f"fc{index}", "type": "dense", "units": units, "bias": False, "weight_bits": w})
    layers.append({"name": f"bn{index}", "type": "batchnorm"})
    layers.append(quant(f"act{index}", a))
    return f"act{index}"


def mlp(rng, name, residual):
    digits = rng.random() < 0.5
    layers = [{"name": "in", "type": "input", "shape": [64] if digits else [1, 28, 28],
               "bits": 5 if digits else 8, "signed": False}]
    w, a = rng.choice([1, 2, 4]), rng.choice([1, 2, 4])
    width = rng.choice([32, 64, 128] if digits else [64, 128, 256, 512])
    depth = rng.randint(2, 3) if residual else rng.randint(1, 3)
    outputs = [dense_block(layers, i, width, w, a) for i in range(depth)]
    if residual:  # the skip from the first block's output around the rest
        layers.append({"name": "res", "type": "add", "inputs": [outputs[-1], outputs[0]]})
        layers.append(quant("act_res", a))
    layers.append({"name": f"fc{depth}", "type": "dense", "units": 10, "weight_bits": w})
    return {"name": name, "layers": layers}, "digits" if digits else "mnist"


def cnn(rng, name):
    digits = rng.random() < 0.4
    side = 8 if digits else 28
    layers = [{"name": "in", "type": "input", "shape": [1, side, side], "bits": 5 if digits else 8, "signed": False}]
    w, a = rng.choice([1, 2, 4]), rng.choice([1, 2, 4])
    convs = rng.randint(1, 2) if digits else rng.randint(1, 3)
    filters = rng.choice([8, 16, 32])
    for i in range(convs):
        padding = rng.choice([0, 1])
        layers.append({"name": f"conv{i}", "type": "conv2d", "filters": filters, "kernel": 3, "padding": padding,
                       "bias": False, "weight_bits": w})
        layers.append({"name": f"bnc{i}", "type": "batchnorm"})
        layers.append(quant(f"actc{i}", a))
        side = side - 2 + 2 * padding
        if side >= 6 and rng.random() < 0.6:
            layers.append({"name": f"pool{i}", "type": "maxpool2d", "kernel": 2})
            side //= 2
        filters = min(64, filters * rng.choice([1, 2]))
    layers.append({"name": "flat", "type": "flatten"})
    if rng.random() < 0.5:
        dense_block(layers, 0, rng.choice([32, 64, 128]), w, a)
        layers.append({"name": "fc1", "type": "dense", "units": 10, "weight_bits": w})
    else:
        layers.append({"name": "fc0", "type": "dense", "units": 10, "weight_bits": w})
    return {"name": name, "layers": layers}, "digits" if digits else "mnist"


def main():
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    kinds = ["mlp", "resmlp", "cnn", "cnn"]  # CNNs twice: they carry most of the units besides the MVAUs
    for i in range(count):
        name = f"fresh_s{seed}_{i}"
        kind = kinds[i % len(kinds)]
        network, dataset = mlp(rng, name, kind == "resmlp") if kind != "cnn" else cnn(rng, name)
        path = f"{out}/{name}.json"
        with open(path, "w") as f:
            json.dump(network, f, indent=1)
        print(path, dataset)


if __name__ == "__main__":
    main()
