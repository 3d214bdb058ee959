"""PyTorch side of codse: the hardware cost of a model while it is being developed.

    import codse.torch as ct
    model = torch.nn.Sequential(...)            # or with ct.QuantLinear / ct.QuantReLU for QAT
    ct.hardware_report(model, torch.zeros(1, 1, 28, 28), device="XC7Z020", target_fps=10_000)

    monitor = ct.HardwareMonitor(torch.zeros(1, 1, 28, 28), device="XC7Z020", target_fps=10_000)
    for epoch in range(epochs):
        train_one_epoch(model)
        monitor(model, epoch)                   # prints how the cost moved, keeps .history

Quantization-aware layers (QuantIdentity, QuantLinear, QuantConv2d, QuantReLU) fake-quantize with a
power-of-two scale per tensor, the number format codse's hardware computes in (FINN's and hls4ml's
too), train with a straight-through gradient, and export as QONNX Quant nodes, which
codse.from_torch, FINN and hls4ml read.
"""

from __future__ import annotations

import math

import torch
from torch import nn

import codse

__all__ = ["QuantIdentity", "QuantReLU", "QuantLinear", "QuantConv2d", "HardwareReport", "hardware_report",
           "HardwareMonitor"]


class _Quant(torch.autograd.Function):
    """Round to nearest (ties to even, QONNX's ROUND) on the grid scale * [lo, hi]; straight-through gradient inside the range."""

    @staticmethod
    def forward(ctx, x, scale, bits, signed, narrow):
        lo, hi = _levels(bits, signed, narrow)
        scaled = x / scale
        ctx.save_for_backward((scaled >= lo) & (scaled <= hi))
        return torch.clamp(torch.round(scaled), lo, hi) * scale

    @staticmethod
    def backward(ctx, grad):
        (inside,) = ctx.saved_tensors
        return grad * inside, None, None, None, None

    @staticmethod
    def symbolic(g, x, scale, bits, signed, narrow):
        def const(value):
            return g.op("Constant", value_t=torch.tensor(value, dtype=torch.float32))

        quantized = g.op("qonnx.custom_op.general::Quant", x, const(scale), const(0.0), const(float(bits)),
                         signed_i=int(signed), narrow_i=int(narrow), rounding_mode_s="ROUND")
        quantized.setType(x.type())  # same shape and type as its input: ONNX's shape inference needs to know
        return quantized


def _levels(bits, signed, narrow):
    if signed:
        return -(2 ** (bits - 1)) + (1 if narrow else 0), 2 ** (bits - 1) - 1
    return 0, 2**bits - 1 - (1 if narrow else 0)


def _power_of_two_scale(max_abs, top_level):
    """The smallest power of two s with max_abs <= s * top_level (codse's number format)."""
    if max_abs <= 0.0:
        return 1.0
    return 2.0 ** math.ceil(math.log2(max_abs / top_level))


def _quantize(x, scale, bits, signed, narrow=False):
    return _Quant.apply(x, float(scale), int(bits), bool(signed), bool(narrow))


class QuantIdentity(nn.Module):
    """Quantizes its input to `bits` with a fixed power-of-two scale 2**scale_log2.

    The default (8 bits unsigned, scale 2**-8) is the network input of an image in [0, 1], as
    torchvision's ToTensor gives it: codse records it as an 8-bit unsigned input.
    """

    def __init__(self, bits=8, signed=False, scale_log2=-8):
        super().__init__()
        self.bits, self.signed, self.scale = bits, signed, 2.0**scale_log2

    def forward(self, x):
        return _quantize(x, self.scale, self.bits, self.signed)


class QuantReLU(nn.Module):
    """An unsigned `bits`-bit activation: ReLU and quantization in one (the grid starts at 0).

    The power-of-two scale follows the largest activation seen in training (a running maximum),
    and is frozen in eval mode and in the exported model.
    """

    def __init__(self, bits=4, momentum=0.1):
        super().__init__()
        self.bits, self.momentum = bits, momentum
        self.register_buffer("running_max", torch.tensor(0.0))

    def scale(self):
        return _power_of_two_scale(float(self.running_max), 2**self.bits - 1)

    def forward(self, x):
        if self.training:
            seen = float(x.detach().max())
            if float(self.running_max) == 0.0:
                self.running_max.fill_(seen)
            else:
                self.running_max.mul_(1 - self.momentum).add_(self.momentum * seen)
        return _quantize(x, self.scale(), self.bits, False)


class _QuantWeights:
    """Weights fake-quantized to weight_bits (signed, narrow range) with a power-of-two scale per tensor."""

    def quantized_weight(self):
        top = 2 ** (self.weight_bits - 1) - 1
        scale = _power_of_two_scale(float(self.weight.detach().abs().max()), top)
        return _quantize(self.weight, scale, self.weight_bits, True, narrow=True)


class QuantLinear(nn.Linear, _QuantWeights):
    """torch.nn.Linear with weight_bits-bit weights."""

    def __init__(self, in_features, out_features, bias=True, weight_bits=4):
        super().__init__(in_features, out_features, bias=bias)
        self.weight_bits = weight_bits

    def forward(self, x):
        return nn.functional.linear(x, self.quantized_weight(), self.bias)


class QuantConv2d(nn.Conv2d, _QuantWeights):
    """torch.nn.Conv2d with weight_bits-bit weights."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True, weight_bits=4):
        super().__init__(in_channels, out_channels, kernel_size, stride=stride, padding=padding, bias=bias)
        self.weight_bits = weight_bits

    def forward(self, x):
        return self._conv_forward(x, self.quantized_weight(), self.bias)


class HardwareReport:
    """The hardware cost of a model as it is now: the network codse saw, its estimate and one row per unit."""

    def __init__(self, network, estimate):
        self.network = network
        self.estimate = estimate
        layers = {layer["name"]: layer for layer in network.layers}
        self.rows = []
        for unit in estimate.layers:
            layer = layers.get(unit["name"], {})
            self.rows.append({
                "layer": unit["name"], "unit": unit["unit"], "lut": unit["lut"], "lut_share": unit["lut_share"],
                "ff": unit["ff"], "dsp": unit["dsp"], "bram18": unit["bram18"], "cycles": unit["cycles"],
                "ii_share": unit["ii_share"], "bottleneck": unit["bottleneck"], "limiter": unit["limiter"],
                "weight_bits": layer.get("weight_bits"), "output_bits": layer.get("output_bits"),
                "sparsity": layer.get("sparsity", 0.0),
            })

    @property
    def totals(self):
        """lut, ff, dsp, bram18, uram, lutram, fps, latency_us, power_w, ... (Estimate.metrics())."""
        return self.estimate.metrics()

    def to_pandas(self):
        import pandas

        return pandas.DataFrame(self.rows)

    def __str__(self):
        e = self.estimate
        lines = [f"{self.network.name} on {e.device}: {e.lut:.0f} LUT, {e.ff:.0f} FF, {e.dsp:.0f} DSP, "
                 f"{e.bram18:.0f} BRAM18, {e.fps:.1f} fps, {e.power_w:.3f} W, fits {'yes' if e.fits else 'no'} "
                 f"(mapping: {e.mapping_source})",
                 f"  {'layer':<12} {'unit':<13} {'bits w/a':>8} {'sparsity':>8} {'LUT':>9} {'% LUT':>6} {'DSP':>5} "
                 f"{'BRAM18':>6} {'% II':>6}"]
        for r in self.rows:
            bits = f"{r['weight_bits'] if r['weight_bits'] is not None else '-'}/{r['output_bits'] or 'f'}"
            lines.append(f"{'*' if r['bottleneck'] else ' '} {r['layer']:<12} {r['unit']:<13} {bits:>8} "
                         f"{r['sparsity']:>8.2f} {r['lut']:>9.0f} {100 * r['lut_share']:>6.1f} {r['dsp']:>5.0f} "
                         f"{r['bram18']:>6.0f} {100 * r['ii_share']:>6.1f}")
        lines.append(f"bottleneck * {e.bottleneck} ({e.limiter})")
        return "\n".join(lines)


def hardware_report(model, example_input, device="XC7Z020", *, target_fps=None, mapping=None, clock_mhz=None,
                    name=None, catalog=None, verbose=True):
    """The per-layer hardware cost of a PyTorch model as it is now (bits, sparsity, cost share, bottleneck).

    The model goes through codse.from_torch; the mapping is the given one (a codse.Mapping, path or
    dict), else the fewest-LUT mapping reaching target_fps, else the smallest folding. Prints the
    table unless verbose=False, and returns a HardwareReport (.totals, .rows, .to_pandas()).
    """
    network = codse.from_torch(model, example_input, name=name)
    estimate = codse.estimate(network, device, mapping, target_fps=target_fps, clock_mhz=clock_mhz, catalog=catalog)
    report = HardwareReport(network, estimate)
    if verbose:
        print(report)
    return report


class HardwareMonitor:
    """Follows the hardware cost of a model during training: call it once per epoch (or step).

    Each call exports the model as it is (its bits and its pruned weights), estimates it on the
    device with a fixed mapping, or with the cheapest one reaching target_fps, and records one row in
    .history: the totals and each layer's share of the LUTs. It prints what moved since the first call
    ("LAYER now costs S% of the LUTs (was S0%)", for shares that moved by share_change or more)
    unless verbose=False.
    """

    def __init__(self, example_input, device="XC7Z020", *, target_fps=None, mapping=None, name=None, catalog=None,
                 verbose=True, share_change=0.05):
        self.example_input = example_input
        self.device, self.target_fps, self.mapping = device, target_fps, mapping
        self.name, self.catalog, self.verbose, self.share_change = name, catalog, verbose, share_change
        self.history = []
        self.reports = []

    def __call__(self, model, step=None):
        report = hardware_report(model, self.example_input, self.device, target_fps=self.target_fps,
                                 mapping=self.mapping, name=self.name, catalog=self.catalog, verbose=False)
        row = {"step": step if step is not None else len(self.history)}
        row.update({k: report.totals[k] for k in ("lut", "ff", "dsp", "bram18", "fps", "latency_us", "power_w")})
        for r in report.rows:
            row[f"{r['layer']}.lut_share"] = r["lut_share"]
        self.history.append(row)
        self.reports.append(report)
        if self.verbose:
            print(self.describe_last())
        return report

    def describe_last(self):
        """One line on the last call: totals, change since the first, and layers whose LUT share moved."""
        last, first = self.history[-1], self.history[0]
        change = "" if len(self.history) == 1 or first["lut"] == 0 else \
            f" ({100 * (last['lut'] - first['lut']) / first['lut']:+.1f}% since step {first['step']})"
        text = f"step {last['step']}: {last['lut']:.0f} LUT{change}, {last['dsp']:.0f} DSP, " \
               f"{last['bram18']:.0f} BRAM18, {last['fps']:.0f} fps"
        moved = []
        for key, share in last.items():
            if key.endswith(".lut_share") and key in first and abs(share - first[key]) >= self.share_change:
                moved.append(f"{key[:-len('.lut_share')]} now costs {100 * share:.0f}% of the LUTs "
                             f"(was {100 * first[key]:.0f}%)")
        return text + ("; " + "; ".join(moved) if moved else "")

    def to_pandas(self):
        import pandas

        return pandas.DataFrame(self.history)
