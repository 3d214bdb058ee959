"""codse: hardware/software co-design space exploration of ML accelerators.

The same C++ library as the `codse` command, from Python:

    import codse
    net = codse.Network.load("examples/networks/mnist_mlp_w4a4.json")   # or from_onnx, from_torch
    est = codse.estimate(net, "XC7Z020", target_fps=10_000)
    print(est)                       # the per-layer table of `codse hw estimate`
    front = codse.map(net, "XC7Z020")  # the HAL's Pareto front of mappings; front.to_pandas()

    study = codse.Study({"pe": [1, 2, 4, 8], "simd": [1, 2, 4]}, ["lut:min", "latency:min"],
                        explorer="atne", storage="study.sqlite")
    study.optimize(lambda trial: run_my_flow(**trial.params), budget=20)

codse.torch holds the PyTorch side: quantized layers that export to QONNX, hardware_report and
HardwareMonitor. Bad input raises codse.InputError (a ValueError) with the command line's message.
docs/PYTHON.md in the repository documents every name.
"""

from __future__ import annotations

import io as _io
import warnings

from ._codse import (
    ESTIMATE_MANY_METRICS,
    Device,
    Estimate,
    Estimator,
    ExploreResult,
    Hint,
    InputError,
    MapFront,
    MappingBatch,
    Mapping,
    Network,
    StoredStudy,
    Study,
    Trial,
    devices,
    estimate,
    explore,
    load_study,
    map,
)

__all__ = [
    "Device", "Estimate", "Estimator", "ExploreResult", "Hint", "InputError", "MapFront", "Mapping", "MappingBatch", "Network",
    "StoredStudy", "Study", "Trial", "devices", "estimate", "estimate_many", "explore", "from_torch", "load_study",
    "map", "ESTIMATE_MANY_METRICS",
]


def estimate_many(network, device, mappings, *, catalog=None):
    """Estimates many mappings of one network in one call, without holding the GIL.

    mappings is a sequence of codse.Mapping (each validated in the call) or a MappingBatch built by
    codse.Estimator(network, device).batch(base, {"fc1.pe": [...], ...}) (validated once, the fastest
    form for many mappings). Returns {metric: numpy array} with one entry per
    mapping for each of ESTIMATE_MANY_METRICS (lut, ff, dsp, bram18, ..., fits as 0/1). Raises
    codse.InputError naming the first invalid mapping.
    """
    return Estimator(network, device, catalog=catalog).estimate_many(mappings)


def _measured_sparsity(module, network):
    """Fraction of exactly-zero weights of each torch layer that became a codse layer of the same name."""
    names = {layer["name"] for layer in network.layers if layer["weight_bits"] is not None}
    fractions = {}
    for name, parameter in module.named_parameters():
        if not name.endswith(".weight") or name[: -len(".weight")] not in names:
            continue
        zeros = float((parameter.detach() == 0).sum()) / parameter.numel()
        if zeros > 0.0:
            fractions[name[: -len(".weight")]] = min(zeros, 0.999999)
    return fractions


def from_torch(module, example_input, *, name=None, opset=13):
    """A codse.Network from a torch.nn.Module, through ONNX in memory (torch.onnx.export).

    Float layers, batchnorm, pooling and skip connections come through as ONNX ops; quantization
    as QONNX Quant nodes (codse.torch.QuantLinear, QuantReLU, ... write them) or QCDQ. Layers are
    named after the modules (fc1, layer1.conv, ...). The sparsity of each layer's weights as they
    are now (exact zeros, e.g. after torch.nn.utils.prune) is recorded, so estimates follow pruning.
    name defaults to the module's class name. Raises codse.InputError for what codse cannot represent.
    """
    import torch

    buffer = _io.BytesIO()
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # Expected while tracing codse.torch's quantizers: their power-of-two scales are read as
            # Python numbers (constants of the exported graph, which is what they are at export), and
            # torch 1.13 warns about custom-domain ops in general.
            warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
            warnings.filterwarnings("ignore", message=".*(qonnx.custom_op.general|_graph_op).*")
            torch.onnx.export(module, (example_input,), buffer, opset_version=opset, input_names=["input"],
                              output_names=["output"], custom_opsets={"qonnx.custom_op.general": 1})
    finally:
        module.train(was_training)
    network_name = name or type(module).__name__
    network = Network.from_onnx_bytes(buffer.getvalue(), name=network_name, source=f"<torch module {network_name}>")
    fractions = _measured_sparsity(module, network)
    return network.with_sparsity(fractions) if fractions else network
