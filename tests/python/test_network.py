"""codse.Network: loading, ONNX import, statistics and bad input."""

import json

import pytest

import codse


def test_load_gives_the_statistics_of_the_network_file(repo):
    net = codse.Network.load(str(repo / "examples/networks/mnist_mlp_w4a4.json"))
    assert net.name == "mnist_mlp_w4a4"
    assert [layer["name"] for layer in net.layers] == ["in", "fc1", "bn1", "act1", "fc2", "bn2", "act2", "fc3"]
    # 784*256 + 256*256 + 256*10 weights, fc3's 10 biases, two batchnorms of 256 (scale and shift).
    assert net.params == 784 * 256 + 256 * 256 + 256 * 10 + 10 + 2 * 2 * 256
    assert net.macs == 784 * 256 + 256 * 256 + 256 * 10
    fc1 = net.layers[1]
    assert (fc1["kind"], fc1["units"], fc1["weight_bits"], fc1["output_shape"]) == ("dense", 256, 4, [256, 1, 1])
    assert net.layers[3]["output_bits"] == 4


def test_json_round_trip_gives_an_equal_network(repo):
    net = codse.Network.load(str(repo / "examples/networks/mnist_resmlp_w4a4.json"))
    again = codse.Network.from_json(net.to_json())
    assert again == net
    assert codse.Network.from_json(json.loads(net.to_json())) == net


def test_with_sparsity_changes_the_nonzero_parameters(repo):
    net = codse.Network.load(str(repo / "examples/networks/mnist_mlp_w4a4.json"))
    pruned = net.with_sparsity({"fc1": 0.5})
    assert pruned.layers[1]["sparsity"] == 0.5
    assert net.nonzero_params - pruned.nonzero_params == 784 * 256 // 2
    with pytest.raises(codse.InputError, match="bn1.*no weights"):
        net.with_sparsity({"bn1": 0.5})
    with pytest.raises(codse.InputError, match=r"outside \[0, 1\)"):
        net.with_sparsity({"fc1": 1.5})


def test_from_onnx_reads_a_torch_export(tmp_path):
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(8 * 14 * 14, 10))
    path = tmp_path / "cnn.onnx"
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), str(path), opset_version=13)
    net = codse.Network.from_onnx(str(path), name="cnn")
    assert net.name == "cnn"
    assert net.macs == 28 * 28 * 8 * 9 + 8 * 14 * 14 * 10
    assert net.params == 8 * 9 + 8 + 8 * 14 * 14 * 10 + 10
    assert [layer["kind"] for layer in net.layers if layer["weight_bits"] is not None] == ["conv2d", "dense"]
    assert net.output_shape == [10, 1, 1]


def test_bad_network_input_raises_input_error_with_the_cli_message(tmp_path):
    with pytest.raises(codse.InputError, match="no-such.json"):
        codse.Network.load(str(tmp_path / "no-such.json"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "x", "layers": [{"name": "in", "type": "input", "shape": [4]}, '
                   '{"name": "fc", "type": "dense", "units": -3}]}')
    with pytest.raises(ValueError, match="fc.*units"):
        codse.Network.load(str(bad))
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"not a protobuf")
    with pytest.raises(codse.InputError, match="not a valid ONNX model"):
        codse.Network.from_onnx(str(garbage))
