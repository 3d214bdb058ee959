#!/usr/bin/env python3
"""Quantization-aware training of a 4-bit MLP on MNIST in PyTorch, then its hardware front on the XC7Z020.

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/qat_mnist_front.py [--data DIR]

The model is written with codse.torch's quantized layers (4-bit weights and activations, 8-bit input),
trained for --epochs, then handed to codse as it is: hardware_report prints what each layer costs at
a target throughput, and codse.map gives the Pareto front of mappings (LUT against frames per second)
that fit the device. A HardwareMonitor follows the cost during training.
"""

import argparse
import gzip
import os
import pathlib
import struct
import time

import numpy
import torch

import codse
import codse.torch as ct


def read_idx(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        zero, kind, dims = struct.unpack(">HBB", f.read(4))
        shape = struct.unpack(">" + "I" * dims, f.read(4 * dims))
        return numpy.frombuffer(f.read(), dtype=numpy.uint8).reshape(shape)


def find_mnist(directory):
    candidates = [directory] if directory else []
    candidates += [pathlib.Path(os.environ.get("CODSE_DATA_DIR", pathlib.Path.home() / ".cache/codse/data")) / "mnist",
                   pathlib.Path(__file__).resolve().parents[3] / "shared/data/mnist"]
    for d in map(pathlib.Path, candidates):
        for suffix in ("", ".gz"):
            if (d / f"train-images-idx3-ubyte{suffix}").is_file():
                return d, suffix
    raise SystemExit(f"MNIST not found in {', '.join(map(str, candidates))}: run scripts/setup.sh or pass --data DIR")


def load(directory, split, limit):
    d, suffix = directory
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(d / f"{prefix}-images-idx3-ubyte{suffix}")[:limit]
    labels = read_idx(d / f"{prefix}-labels-idx1-ubyte{suffix}")[:limit]
    return torch.from_numpy(images.astype(numpy.float32) / 255.0).unsqueeze(1), torch.from_numpy(labels.astype(numpy.int64))


class Mlp(torch.nn.Module):
    def __init__(self, hidden=128, bits=4):
        super().__init__()
        self.inp = ct.QuantIdentity(bits=8)
        self.fc1 = ct.QuantLinear(784, hidden, bias=False, weight_bits=bits)
        self.bn1 = torch.nn.BatchNorm1d(hidden)
        self.act1 = ct.QuantReLU(bits=bits)
        self.fc2 = ct.QuantLinear(hidden, hidden, bias=False, weight_bits=bits)
        self.bn2 = torch.nn.BatchNorm1d(hidden)
        self.act2 = ct.QuantReLU(bits=bits)
        self.fc3 = ct.QuantLinear(hidden, 10, weight_bits=bits)

    def forward(self, x):
        x = self.inp(x).flatten(1)
        x = self.act1(self.bn1(self.fc1(x)))
        x = self.act2(self.bn2(self.fc2(x)))
        return self.fc3(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="directory of the MNIST IDX files (default: codse's data directory)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--train-limit", type=int, default=60000, help="first N training images")
    parser.add_argument("--device", default="XC7Z020")
    parser.add_argument("--target-fps", type=float, default=10000)
    args = parser.parse_args()

    torch.manual_seed(1)
    mnist = find_mnist(args.data)
    x_train, y_train = load(mnist, "train", args.train_limit)
    x_test, y_test = load(mnist, "test", 10000)
    model = Mlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    example = torch.zeros(1, 1, 28, 28)
    monitor = ct.HardwareMonitor(example, device=args.device, target_fps=args.target_fps, name="qat_mlp_w4a4")

    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x_train))
        for i in range(0, len(order), 128):
            batch = order[i:i + 128]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch}: test accuracy {100 * accuracy:.2f}% ({time.time() - start:.0f} s)")
        monitor(model, epoch)

    print()
    ct.hardware_report(model, example, device=args.device, target_fps=args.target_fps, name="qat_mlp_w4a4")
    network = codse.from_torch(model, example, name="qat_mlp_w4a4")
    front = codse.map(network, args.device, objectives=["lut:min", "fps:max"])
    print(f"\nhardware front on {args.device}: {len(front)} mappings ({front.method}), test accuracy "
          f"{100 * accuracy:.2f}%")
    print(f"  {'LUT':>7} {'DSP':>4} {'BRAM18':>6} {'fps':>10}  parallelism (pe x simd per layer)")
    for e in front:
        knobs = ", ".join(f"{l['layer']} {l['pe']}x{l['simd']}" for l in e.mapping.layers)
        print(f"  {e.lut:>7.0f} {e.dsp:>4.0f} {e.bram18:>6.0f} {e.fps:>10.0f}  {knobs}")


if __name__ == "__main__":
    main()
