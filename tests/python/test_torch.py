"""codse.torch: a PyTorch model's hardware cost equals the codse network it is, and follows pruning."""

import pytest

torch = pytest.importorskip("torch")

import codse  # noqa: E402
import codse.torch as ct  # noqa: E402


class MnistMlpW4A4(torch.nn.Module):
    """examples/networks/mnist_mlp_w4a4.json written in PyTorch with codse.torch's quantized layers."""

    def __init__(self):
        super().__init__()
        self.inp = ct.QuantIdentity(bits=8, signed=False)
        self.fc1 = ct.QuantLinear(784, 256, bias=False, weight_bits=4)
        self.bn1 = torch.nn.BatchNorm1d(256)
        self.act1 = ct.QuantReLU(bits=4)
        self.fc2 = ct.QuantLinear(256, 256, bias=False, weight_bits=4)
        self.bn2 = torch.nn.BatchNorm1d(256)
        self.act2 = ct.QuantReLU(bits=4)
        self.fc3 = ct.QuantLinear(256, 10, bias=True, weight_bits=4)

    def forward(self, x):
        x = self.inp(x).flatten(1)
        x = self.act1(self.bn1(self.fc1(x)))
        x = self.act2(self.bn2(self.fc2(x)))
        return self.fc3(x)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    m = MnistMlpW4A4()
    m.train()
    m(torch.rand(64, 1, 28, 28))  # the activations' running maxima
    return m.eval()


def test_the_torch_model_is_the_codse_network(repo, model):
    net = codse.from_torch(model, torch.zeros(1, 1, 28, 28), name="mnist_mlp_w4a4")
    reference = codse.Network.load(str(repo / "examples/networks/mnist_mlp_w4a4.json"))
    weighted = [(l["name"], l["units"], l["weight_bits"]) for l in net.layers if l["weight_bits"] is not None]
    assert weighted == [(l["name"], l["units"], l["weight_bits"]) for l in reference.layers if l["weight_bits"]]
    assert (net.params, net.macs, net.weight_bits) == (reference.params, reference.macs, reference.weight_bits)


@pytest.mark.parametrize("args", [["--target-fps", "10000"], ["--mapping", "examples/mappings/mnist_mlp_w4a4.json"]])
def test_hardware_report_gives_the_totals_of_codse_hw_estimate(repo, model, cli_estimate, args, capsys):
    cli = cli_estimate("--network", "examples/networks/mnist_mlp_w4a4.json", "--device", "XC7Z020", *args)
    kwargs = {"target_fps": 10000.0} if args[0] == "--target-fps" else {"mapping": str(repo / args[1])}
    report = ct.hardware_report(model, torch.zeros(1, 1, 28, 28), device="XC7Z020", name="mnist_mlp_w4a4", **kwargs)
    for name in ("lut", "ff", "dsp", "bram18", "uram", "lutram", "fps", "latency_us", "power_w"):
        assert report.totals[name] == pytest.approx(cli["total"][name], rel=1e-12), name
    printed = capsys.readouterr().out
    assert "fc1" in printed and "% LUT" in printed
    assert [r["layer"] for r in report.rows] == ["fc1", "fc2", "fc3"]
    assert sum(r["lut_share"] for r in report.rows) <= 1.0 + 1e-9


def test_hardware_monitor_follows_pruning_and_bits(model, capsys):
    import copy

    m = copy.deepcopy(model)
    # The unrolled template with reuse 1 spends LUTs per non-zero weight: pruning shows at once.
    monitor = ct.HardwareMonitor(torch.zeros(1, 1, 28, 28), device="XC7Z020", target_fps=None,
                                 mapping=None, name="mnist_mlp_w4a4")
    net = codse.from_torch(m, torch.zeros(1, 1, 28, 28), name="mnist_mlp_w4a4")
    mapping = codse.map(net, "XC7Z020", objectives=["lut:min", "fps:max"], template="unrolled",
                        allow_overflow=True)[0].mapping
    for layer in ("fc1", "fc2", "fc3"):  # multipliers in LUTs
        mapping = mapping.with_layer(layer, multipliers="lut")
    # fc2 fully unrolled: its weights are constants in logic, one multiplier per non-zero weight.
    monitor.mapping = mapping.with_layer("fc2", reuse=1, storage="logic")
    monitor(m, 0)
    with torch.no_grad():
        weight = m.fc2.weight
        weight[weight.abs() < weight.abs().median()] = 0.0  # half of fc2 pruned
    monitor(m, 1)
    m.fc1.weight_bits = 2
    monitor(m, 2)
    lut = [row["lut"] for row in monitor.history]
    assert lut[1] < lut[0], "pruning fc2 must cost fewer LUTs"
    assert lut[2] < lut[1], "2-bit weights in fc1 must cost fewer LUTs"
    assert monitor.history[1]["fc2.lut_share"] < monitor.history[0]["fc2.lut_share"]
    out = capsys.readouterr().out
    assert "step 1:" in out and "since step 0" in out


def test_a_model_codse_cannot_represent_raises_input_error():
    class Odd(torch.nn.Module):
        def forward(self, x):
            return torch.sin(x)

    with pytest.raises(codse.InputError, match="Sin"):
        codse.from_torch(Odd(), torch.zeros(1, 4))
