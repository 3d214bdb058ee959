#!/usr/bin/python3
"""PyTorch side of bench/nn/train_speed: trains the same network as codse, with the same batch,
threads, optimizer, schedule and fake quantization, for one epoch over the first N MNIST training
images, and prints the training throughput as one JSON line.

Run with Debian's /usr/bin/python3 (python3-torch); bench_nn_train_speed starts it for every
repetition, interleaved with codse's own runs, so both see the same machine load.

The model walks the layers of a codse network file (input, dense, batchnorm, relu, quant,
dropout, flatten), mirroring src/nn/train/torch_network.cpp: weights fake-quantized at every step
with the exponent of the current max |w|, activations with an exponent that follows a moving
average of the layer input's maximum (the first epoch, which is all this benchmark runs), straight-
through estimators, PyTorch's default initialisation, Adam with a per-step cosine schedule.
"""

import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F


def choose_scale_log2(max_abs, bits, signed):
    """quantizer.cpp's choose_scale_log2 for grids whose largest level is above 1. Grids with
    largest level 1 (signed 2-bit, ternary, unsigned 1-bit) get fitted exponents in codse
    (fit_scale_log2), which this benchmark does not mirror."""
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if hi <= 1:
        raise SystemExit(f"train_speed.py: {bits}-bit {'signed' if signed else 'unsigned'} grids are not mirrored here")
    target = abs(max_abs)
    if not target > 0 or not math.isfinite(target):
        return 0
    e = math.ceil(math.log2(target / hi))
    while target > math.ldexp(hi, e):
        e += 1
    while target <= math.ldexp(hi, e - 1):
        e -= 1
    return e


def level_range(bits, signed):
    if signed:
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


class FakeQuantize(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, step, lo, hi, clipped):
        ctx.clipped = clipped
        if clipped:
            ctx.save_for_backward(x)
            ctx.low, ctx.high = lo * step, hi * step
        return x.mul(1.0 / step).add_(0.5).floor_().clamp_(lo, hi).mul_(step)

    @staticmethod
    def backward(ctx, gradient):
        if ctx.clipped:
            (x,) = ctx.saved_tensors
            gradient = gradient * ((x >= ctx.low) & (x <= ctx.high)).to(gradient.dtype)
        return gradient, None, None, None, None


class Network(torch.nn.Module):
    def __init__(self, layers, generator):
        super().__init__()
        self.layers = layers
        self.weights = torch.nn.ParameterDict()
        self.running = {}
        size = None
        for layer in layers:
            kind, name = layer["type"], layer["name"]
            if kind == "input":
                size = int(np.prod(layer["shape"]))
            elif kind == "dense":
                bound = 1.0 / math.sqrt(size)
                units = layer["units"]
                self.weights[name + "_w"] = torch.nn.Parameter(torch.empty(units, size).uniform_(-bound, bound, generator=generator))
                if layer.get("bias", True):
                    self.weights[name + "_b"] = torch.nn.Parameter(torch.empty(units).uniform_(-bound, bound, generator=generator))
                size = units
            elif kind == "batchnorm":
                self.weights[name + "_gamma"] = torch.nn.Parameter(torch.ones(size))
                self.weights[name + "_beta"] = torch.nn.Parameter(torch.zeros(size))
                self.register_buffer(name + "_mean", torch.zeros(size))
                self.register_buffer(name + "_var", torch.ones(size))
            elif kind not in ("relu", "quant", "dropout", "flatten"):
                raise SystemExit(f"train_speed.py: layer type {kind} is not supported here")

    def activation(self, layer, x):
        bits = layer.get("bits", 0)
        if bits == 0:
            return x
        signed = layer.get("signed", True)
        if "scale_log2" in layer:
            e = layer["scale_log2"]
        else:
            with torch.no_grad():
                batch_max = (x.abs().max() if signed else x.max().clamp_min(0)).item()
            previous = self.running.get(layer["name"])
            average = batch_max if previous is None else 0.9 * previous + 0.1 * batch_max
            self.running[layer["name"]] = average
            e = choose_scale_log2(np.float32(average), bits, signed)
        lo, hi = level_range(bits, signed)
        return FakeQuantize.apply(x, math.ldexp(1.0, e), lo, hi, x.requires_grad)

    def weight(self, layer):
        w = self.weights[layer["name"] + "_w"]
        bits = layer.get("weight_bits", 0)
        if bits == 0:
            return w
        signed = layer.get("weight_signed", True)
        with torch.no_grad():
            e = choose_scale_log2(w.abs().max().item(), bits, signed)
        lo, hi = level_range(bits, signed)
        return FakeQuantize.apply(w, math.ldexp(1.0, e), lo, hi, False)

    def forward(self, x):
        for layer in self.layers:
            kind, name = layer["type"], layer["name"]
            if kind in ("input", "quant"):
                x = self.activation(layer, x)
            elif kind == "dense":
                x = F.linear(x, self.weight(layer), self.weights[name + "_b"] if name + "_b" in self.weights else None)
            elif kind == "batchnorm":
                x = F.batch_norm(x, getattr(self, name + "_mean"), getattr(self, name + "_var"),
                                 self.weights[name + "_gamma"], self.weights[name + "_beta"], self.training, 0.1, 1e-5)
            elif kind == "relu":
                x = torch.relu(x)
        return x


def read_mnist_images(path, count):
    with gzip.open(path, "rb") as f:
        data = f.read()
    images = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(-1, 784)[:count]
    return torch.from_numpy(images.astype(np.float32) / 255.0)


def read_mnist_labels(path, count):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return torch.from_numpy(np.frombuffer(data, dtype=np.uint8, offset=8)[:count].astype(np.int64))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--samples", type=int, default=30000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    with open(args.network) as f:
        network = json.load(f)
    features = read_mnist_images(os.path.join(args.data_dir, "train-images-idx3-ubyte.gz"), args.samples)
    labels = read_mnist_labels(os.path.join(args.data_dir, "train-labels-idx1-ubyte.gz"), args.samples)
    count = features.shape[0]

    generator = torch.Generator().manual_seed(args.seed)
    model = Network(network["layers"], generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    shuffling = torch.Generator().manual_seed(args.seed ^ 0x9E3779B97F4A7C15)
    steps = (count + args.batch - 1) // args.batch

    start = time.perf_counter()
    cpu_start = time.process_time()
    model.train()
    order = torch.randperm(count, generator=shuffling)
    loss_sum = 0.0
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = args.lr * 0.5 * (1.0 + math.cos(math.pi * step / steps))
        batch = order[step * args.batch:(step + 1) * args.batch]
        logits = model(features.index_select(0, batch))
        loss = F.cross_entropy(logits, labels.index_select(0, batch))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * batch.shape[0]
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(json.dumps({"samples": count, "seconds": seconds, "samples_per_second": count / seconds,
                      "cpu_seconds": cpu_seconds, "samples_per_cpu_second": count / cpu_seconds,
                      "loss": loss_sum / count, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
