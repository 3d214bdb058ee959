#!/usr/bin/python3
"""Writes the ONNX fixtures of tests/nn/onnx and tests/cli/import_command_test.cpp at test time
(nothing binary is committed). Run with Debian's /usr/bin/python3 (python3-torch, python3-onnx):

  make_onnx_fixtures.py MNIST_DIR OUT_DIR models   # trained models, PyTorch's logits and predictions
  make_onnx_fixtures.py MNIST_DIR OUT_DIR bad      # malformed and unsupported models

models: three float networks (MLP with batchnorm and residual MLP on MNIST; CNN with batchnorm and
max-pool on Fashion-MNIST, normalised with mean 0.2860 and std 0.3530) trained for a moment and
exported by torch.onnx.export (opsets 11, 13, 17); their logits on the first 1,000 test images
(float32, <name>.logits; the images as bytes in images.u8 and fashion_images.u8). A 4-bit MLP trained with fake quantization
(torch.fake_quantize_per_tensor_affine, power-of-two scales) written as QCDQ and as QONNX with
onnx.helper, and the class the fake-quantized PyTorch model predicts for each of the 10,000 test
images (int32, qmlp.pred). An 8-bit MLP fake-quantized the same way, exported by torch.onnx.export
itself (QuantizeLinear / DequantizeLinear), and its predictions (tqmlp.pred). images.u8 holds the 1,000 test images as bytes."""

import gzip
import math
import sys
import warnings

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

warnings.filterwarnings("ignore")  # torch.onnx's notes on shape inference of constants
torch.set_num_threads(1)
torch.manual_seed(0)


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_mnist(mnist):
    train_x = read_idx(f"{mnist}/train-images-idx3-ubyte.gz")[:4000]
    train_y = read_idx(f"{mnist}/train-labels-idx1-ubyte.gz")[:4000]
    test_x = read_idx(f"{mnist}/t10k-images-idx3-ubyte.gz")
    # torchvision's ToTensor: bytes / 255 in float32, [N, 1, 28, 28].
    to_tensor = lambda x: torch.from_numpy(x.astype(np.float32)).div(255.0).unsqueeze(1)
    return to_tensor(train_x), torch.from_numpy(train_y.astype(np.int64)), to_tensor(test_x), test_x


def train(model, x, y, epochs=1):
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(epochs):
        for start in range(0, len(x), 64):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[start:start + 64]), y[start:start + 64])
            loss.backward()
            optimizer.step()
    model.eval()


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 64)
        self.bn1 = torch.nn.BatchNorm1d(64)
        self.fc2 = torch.nn.Linear(64, 32)
        self.drop = torch.nn.Dropout(0.1)
        self.fc3 = torch.nn.Linear(32, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = torch.relu(self.bn1(self.fc1(x)))
        x = self.drop(torch.relu(self.fc2(x)))
        return self.fc3(x)


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = torch.nn.BatchNorm2d(8)
        self.conv2 = torch.nn.Conv2d(8, 16, 3, stride=1)
        self.pool = torch.nn.MaxPool2d(2)
        self.fc = torch.nn.Linear(16 * 6 * 6, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(x.reshape(x.shape[0], -1))


class ResMlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 48)
        self.fc2 = torch.nn.Linear(48, 48)
        self.fc3 = torch.nn.Linear(48, 10, bias=False)

    def forward(self, x):
        h = torch.relu(self.fc1(x.view(x.shape[0], -1)))
        h = torch.relu(self.fc2(h)) + h
        return self.fc3(h)


def export(model, path, opset):
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=opset, input_names=["in"],
                      output_names=["logits"], dynamic_axes={"in": {0: "batch"}, "logits": {0: "batch"}})
    onnx.checker.check_model(onnx.load(path))


# --- the 4-bit MLP: fake quantization with power-of-two scales -------------------------------------

def pow2_scale(max_abs, top_level):
    return 2.0 ** math.ceil(math.log2(max(float(max_abs), 1e-8) / top_level))


def fq(x, scale, lo, hi):
    return torch.fake_quantize_per_tensor_affine(x, scale, 0, lo, hi)


class QuantMlp(torch.nn.Module):
    """in: unsigned 8 bits at 2^-8; weights signed 4 bits (scale covering the largest |w|, frozen at
    export); activations: unsigned 4 bits at 2^-2 after ReLU; float biases; the last layer's output
    is the logits."""
    act_scale = 0.25
    in_scale = 2.0 ** -8

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 64)
        self.fc2 = torch.nn.Linear(64, 64)
        self.fc3 = torch.nn.Linear(64, 10)
        self.scales = None

    def weight_scales(self):
        if self.scales is not None:
            return self.scales
        return [pow2_scale(fc.weight.detach().abs().max(), 7) for fc in (self.fc1, self.fc2, self.fc3)]

    def forward(self, x):
        s = self.weight_scales()
        x = fq(torch.flatten(x, 1), self.in_scale, 0, 255)
        for i, fc in enumerate((self.fc1, self.fc2)):
            x = torch.nn.functional.linear(x, fq(fc.weight, s[i], -8, 7), fc.bias)
            x = fq(torch.relu(x), self.act_scale, 0, 15)
        return torch.nn.functional.linear(x, fq(self.fc3.weight, s[2], -8, 7), self.fc3.bias)


class TorchQcdqMlp(torch.nn.Module):
    """What torch.onnx.export itself writes for fake quantization (QuantizeLinear / DequantizeLinear;
    torch exports only 8-bit grids, and (0, 127) with a Clip): signed 8-bit weights, unsigned 7-bit
    activations at 2^-4 after ReLU, unsigned 8-bit input at 2^-8."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 64)
        self.fc2 = torch.nn.Linear(64, 10)
        self.scales = None

    def weight_scales(self):
        if self.scales is not None:
            return self.scales
        return [pow2_scale(fc.weight.detach().abs().max(), 127) for fc in (self.fc1, self.fc2)]

    def forward(self, x):
        s = self.weight_scales()
        x = fq(torch.flatten(x, 1), 2.0 ** -8, 0, 255)
        x = torch.nn.functional.linear(x, fq(self.fc1.weight, s[0], -128, 127), self.fc1.bias)
        x = fq(torch.relu(x), 2.0 ** -4, 0, 127)
        return torch.nn.functional.linear(x, fq(self.fc2.weight, s[1], -128, 127), self.fc2.bias)


def const(name, array, dtype=None):
    return numpy_helper.from_array(np.asarray(array, dtype=dtype), name)


def qcdq(nodes, inits, x, out, scale, lo, hi, name):
    """QuantizeLinear -> Clip -> DequantizeLinear on int8 (signed) or uint8."""
    dtype = np.int8 if lo < 0 else np.uint8
    inits += [const(f"{name}.scale", scale, np.float32), const(f"{name}.zero_point", 0, dtype),
              const(f"{name}.lo", lo, dtype), const(f"{name}.hi", hi, dtype)]
    nodes += [helper.make_node("QuantizeLinear", [x, f"{name}.scale", f"{name}.zero_point"], [f"{name}.q"], name=f"{name}_q"),
              helper.make_node("Clip", [f"{name}.q", f"{name}.lo", f"{name}.hi"], [f"{name}.c"], name=f"{name}_clip"),
              helper.make_node("DequantizeLinear", [f"{name}.c", f"{name}.scale", f"{name}.zero_point"], [out],
                               name=name)]


def qonnx_quant(nodes, inits, x, out, scale, bits, signed, name):
    inits += [const(f"{name}.scale", scale, np.float32), const(f"{name}.zero_point", 0, np.float32),
              const(f"{name}.bit_width", bits, np.float32)]
    nodes.append(helper.make_node("Quant", [x, f"{name}.scale", f"{name}.zero_point", f"{name}.bit_width"], [out],
                                  name=name, domain="qonnx.custom_op.general", signed=int(signed), narrow=0,
                                  rounding_mode="ROUND"))


def quant_graph(model, kind):
    """The fake-quantized MLP as a QCDQ or QONNX graph (same weights, scales and structure)."""
    nodes, inits = [], []
    quantize = (lambda x, out, scale, bits, signed, name: qcdq(nodes, inits, x, out, scale,
                                                               -(1 << (bits - 1)) if signed else 0,
                                                               (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1,
                                                               name)) if kind == "qcdq" else \
        (lambda x, out, scale, bits, signed, name: qonnx_quant(nodes, inits, x, out, scale, bits, signed, name))
    nodes.append(helper.make_node("Flatten", ["in"], ["in.flat"], name="flatten", axis=1))
    quantize("in.flat", "in.quant", QuantMlp.in_scale, 8, False, "in_quant")
    x = "in.quant"
    scales = model.weight_scales()
    for i, fc in enumerate((model.fc1, model.fc2, model.fc3), start=1):
        inits += [const(f"fc{i}.weight", fc.weight.detach().numpy(), np.float32),
                  const(f"fc{i}.bias", fc.bias.detach().numpy(), np.float32)]
        quantize(f"fc{i}.weight", f"fc{i}.weight_q", scales[i - 1], 4, True, f"fc{i}_weight_quant")
        nodes.append(helper.make_node("Gemm", [x, f"fc{i}.weight_q", f"fc{i}.bias"], [f"fc{i}.out"], name=f"fc{i}",
                                      transB=1))
        x = f"fc{i}.out"
        if i < 3:
            nodes.append(helper.make_node("Relu", [x], [f"relu{i}.out"], name=f"relu{i}"))
            quantize(f"relu{i}.out", f"act{i}.out", QuantMlp.act_scale, 4, False, f"act{i}")
            x = f"act{i}.out"
    graph = helper.make_graph(nodes, f"qmlp_{kind}", [helper.make_tensor_value_info("in", TensorProto.FLOAT, [1, 1, 28, 28])],
                              [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, 10])], inits)
    opsets = [helper.make_opsetid("", 13)]
    if kind == "qonnx":
        opsets.append(helper.make_opsetid("qonnx.custom_op.general", 1))
    model_proto = helper.make_model(graph, opset_imports=opsets, producer_name="codse-tests")
    onnx.checker.check_model(model_proto)
    return model_proto


# The CNN learns Fashion-MNIST with torchvision's Normalize((0.2860,), (0.3530,)) after ToTensor: the
# import must be told (--input-mean / --input-std) and the samples fed accordingly.
FASHION_MEAN, FASHION_STD = 0.2860, 0.3530


def make_models(mnist, out):
    train_x, train_y, test_x, test_bytes = load_mnist(mnist)
    test_bytes[:1000].tofile(f"{out}/images.u8")
    f_train_x, f_train_y, f_test_x, f_test_bytes = load_mnist(f"{mnist}/../fashion-mnist")
    f_test_bytes[:1000].tofile(f"{out}/fashion_images.u8")
    normalize = lambda x: (x - FASHION_MEAN) / FASHION_STD
    labels = f"{mnist}/t10k-labels-idx1-ubyte.gz"
    f_labels = f"{mnist}/../fashion-mnist/t10k-labels-idx1-ubyte.gz"
    for name, model, opset, data in (("mlp", Mlp(), 11, (train_x, train_y, test_x, labels)),
                                     ("cnn", Cnn(), 13, (normalize(f_train_x), f_train_y, normalize(f_test_x), f_labels)),
                                     ("resmlp", ResMlp(), 17, (train_x, train_y, test_x, labels))):
        train(model, data[0], data[1])
        export(model, f"{out}/{name}.onnx", opset)
        with torch.no_grad():
            model(data[2][:1000]).numpy().astype(np.float32).tofile(f"{out}/{name}.logits")
            # PyTorch's accuracy on the whole test set, which `codse eval` must report too.
            labels = torch.from_numpy(read_idx(data[3]).astype(np.int64))
            accuracy = (model(data[2]).argmax(1) == labels).double().mean().item()
            open(f"{out}/{name}.accuracy", "w").write(f"{100.0 * accuracy:.4f}\n")
    qmlp = QuantMlp()
    train(qmlp, train_x, train_y, epochs=2)
    qmlp.scales = qmlp.weight_scales()  # frozen: the exported scales
    with torch.no_grad():
        qmlp(test_x).argmax(1).numpy().astype(np.int32).tofile(f"{out}/qmlp.pred")
    for kind in ("qcdq", "qonnx"):
        onnx.save(quant_graph(qmlp, kind), f"{out}/qmlp_{kind}.onnx")
    tq = TorchQcdqMlp()
    train(tq, train_x, train_y)
    tq.scales = tq.weight_scales()
    with torch.no_grad():
        tq(test_x).argmax(1).numpy().astype(np.int32).tofile(f"{out}/tqmlp.pred")
    export(tq, f"{out}/tqmlp.onnx", 13)


# --- bad inputs ------------------------------------------------------------------------------------

def tiny_model(nodes, inits, out="y", out_shape=(1, 4), in_shape=(1, 4), opset=13, extra_opsets=(), extra_inputs=()):
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(in_shape))] + list(extra_inputs)
    graph = helper.make_graph(nodes, "bad", inputs,
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, list(out_shape))], inits)
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, 1) for d in extra_opsets]
    return helper.make_model(graph, opset_imports=opsets)


def make_bad(out):
    w = np.ones((4, 4), np.float32) * 0.25
    gemm = helper.make_node("Gemm", ["x", "fc.weight"], ["y"], name="fc", transB=1)
    ok = tiny_model([gemm], [const("fc.weight", w)])
    data = ok.SerializeToString()
    open(f"{out}/truncated.onnx", "wb").write(data[: len(data) // 2])
    sig = tiny_model([helper.make_node("Sigmoid", ["x"], ["s"], name="squash"),
                      helper.make_node("Gemm", ["s", "fc.weight"], ["y"], name="fc", transB=1)], [const("fc.weight", w)])
    onnx.save(sig, f"{out}/unsupported_op.onnx")
    for name, attrs, weight in (("conv_groups", {"group": 2}, np.ones((4, 1, 3, 3), np.float32)),
                                ("conv_dilation", {"dilations": [2, 2]}, np.ones((4, 2, 3, 3), np.float32))):
        conv = helper.make_node("Conv", ["x", "c.weight"], ["c"], name=name, kernel_shape=[3, 3], **attrs)
        gemm = helper.make_node("Gemm", ["cf", "fc.weight"], ["y"], name="fc", transB=1)
        flat = helper.make_node("Flatten", ["c"], ["cf"], name="flat")
        size = 4 * (8 - (3 if name == "conv_groups" else 5) + 1) ** 2
        model = tiny_model([conv, flat, gemm], [const("c.weight", weight), const("fc.weight", np.ones((10, size), np.float32))],
                           out_shape=(1, 10), in_shape=(1, 2, 8, 8))
        onnx.save(model, f"{out}/{name}.onnx")
    nodes, inits = [], [const("fc.weight", w)]
    qcdq(nodes, inits, "x", "xq", 0.1, 0, 255, "in_quant")
    nodes.append(helper.make_node("Gemm", ["xq", "fc.weight"], ["y"], name="fc", transB=1))
    onnx.save(tiny_model(nodes, inits), f"{out}/qcdq_scale_not_pow2.onnx")
    # The bit width is a second graph input: known only at run time.
    bits_nodes = [helper.make_node("Quant", ["x", "q.scale", "q.zero_point", "bits"], ["xq"], name="in_quant",
                                   domain="qonnx.custom_op.general", signed=0, narrow=0),
                  helper.make_node("Gemm", ["xq", "fc.weight"], ["y"], name="fc", transB=1)]
    onnx.save(tiny_model(bits_nodes, [const("fc.weight", w), const("q.scale", 0.125, np.float32),
                                      const("q.zero_point", 0.0, np.float32)],
                         extra_opsets=["qonnx.custom_op.general"],
                         extra_inputs=[helper.make_tensor_value_info("bits", TensorProto.FLOAT, [])]),
              f"{out}/qonnx_bits_not_constant.onnx")


if __name__ == "__main__":
    mnist, out, what = sys.argv[1], sys.argv[2], sys.argv[3]
    make_models(mnist, out) if what == "models" else make_bad(out)
