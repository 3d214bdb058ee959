"""Hardware from Python: the same numbers as the command line, many estimates in one call, the HAL's
front, and bad input raising (never crashing)."""

import warnings

import numpy
import pytest

import codse

TOTALS = ("lut", "ff", "dsp", "bram18", "uram", "lutram")


@pytest.fixture(scope="module")
def mlp(repo):
    return codse.Network.load(str(repo / "examples/networks/mnist_mlp_w4a4.json"))


def test_devices_hold_the_builtin_catalog():
    names = [d.name for d in codse.devices()]
    assert "XC7Z020" in names and "iCE40UP5K" in names
    zynq = next(d for d in codse.devices() if d.name == "XC7Z020")
    assert (zynq.lut, zynq.dsp, zynq.bram18) == (53200, 220, 280)


@pytest.mark.parametrize("args", [
    ["--mapping", "examples/mappings/mnist_mlp_w4a4.json"],
    ["--target-fps", "10000"],
    [],
])
def test_estimate_equals_codse_hw_estimate(repo, mlp, cli_estimate, args):
    cli = cli_estimate("--network", "examples/networks/mnist_mlp_w4a4.json", "--device", "XC7Z020", *args)
    kwargs = {}
    if args and args[0] == "--mapping":
        kwargs["mapping"] = str(repo / args[1])
    elif args:
        kwargs["target_fps"] = float(args[1])
    est = codse.estimate(mlp, "xc7z020", **kwargs)
    for name in TOTALS:
        assert getattr(est, name) == cli["total"][name], name
    assert est.fps == pytest.approx(cli["total"]["fps"], rel=1e-12)
    assert est.to_dict()["total"]["lut"] == cli["total"]["lut"]
    assert [row["name"] for row in est.layers] == [row["name"] for row in cli["layers"]]
    assert est.mapping.to_dict()["layers"] == cli["mapping"]["layers"]
    if not args:
        assert "smallest folding" in est.mapping_source
    assert "total: LUT" in str(est)


@pytest.mark.parametrize("cost_model", ["calibrated", "published"])
def test_the_cost_model_is_the_command_lines(repo, mlp, cli_estimate, cost_model):
    mapping = "examples/mappings/mnist_mlp_w4a4.json"
    cli = cli_estimate("--network", "examples/networks/mnist_mlp_w4a4.json", "--device", "XC7Z020",
                       "--mapping", mapping, "--cost-model", cost_model)
    assert cli["calibrated"] == (cost_model == "calibrated")
    est = codse.estimate(mlp, "XC7Z020", str(repo / mapping), cost_model=cost_model)
    built = codse.Estimator(mlp, "XC7Z020", cost_model=cost_model).estimate(str(repo / mapping))
    for name in TOTALS:
        assert getattr(est, name) == cli["total"][name] == getattr(built, name), name
    if cost_model == "calibrated":  # the default
        assert codse.estimate(mlp, "XC7Z020", str(repo / mapping)).lut == est.lut
    with pytest.raises(ValueError, match="cost_model 'fitted': expected calibrated or published"):
        codse.estimate(mlp, "XC7Z020", str(repo / mapping), cost_model="fitted")


def test_estimate_many_equals_one_estimate_each(mlp):
    base = codse.estimate(mlp, "XC7Z020", target_fps=5000).mapping
    mappings = [base.with_layer("fc1", pe=pe, simd=simd) for pe in (1, 2, 4, 8) for simd in (1, 7, 14, 28)]
    batch = codse.estimate_many(mlp, "XC7Z020", mappings)
    assert set(batch) == set(codse.ESTIMATE_MANY_METRICS)
    assert isinstance(batch["lut"], numpy.ndarray) and batch["lut"].shape == (16,)
    for i, mapping in enumerate(mappings):
        one = codse.estimate(mlp, "XC7Z020", mapping)
        assert batch["lut"][i] == one.lut and batch["dsp"][i] == one.dsp and batch["fps"][i] == one.fps
        assert batch["fits"][i] == float(one.fits)
    # Wider input lanes make fc1 faster: the throughput never drops along simd.
    assert list(batch["fps"][:4]) == sorted(batch["fps"][:4])


def test_a_batch_gives_the_same_numbers_and_is_validated_once(mlp, repo):
    estimator = codse.Estimator(mlp, "XC7Z020")
    base = codse.Mapping.load(str(repo / "examples/mappings/mnist_mlp_w4a4.json"))
    knobs = {"fc1.pe": numpy.array([1, 2, 4, 8]), "fc1.simd": [7, 14, 28, 49], "fc2.storage": ["bram", "lutram", "bram", "logic"]}
    batch = estimator.batch(base, knobs)
    as_list = [base.with_layer("fc1", pe=pe, simd=simd).with_layer("fc2", storage=st)
               for pe, simd, st in zip([1, 2, 4, 8], [7, 14, 28, 49], ["bram", "lutram", "bram", "logic"])]
    assert len(batch) == 4 and batch[2] == as_list[2]
    from_batch, from_list = estimator.estimate_many(batch), estimator.estimate_many(as_list)
    for name in codse.ESTIMATE_MANY_METRICS:
        assert list(from_batch[name]) == list(from_list[name]), name
    with pytest.raises(codse.InputError, match="batch: mapping 1: layer fc1: PE 3"):
        estimator.batch(base, {"fc1.pe": [1, 3]})
    with pytest.raises(codse.InputError, match="has 1 values, the others 2"):
        estimator.batch(base, {"fc1.pe": [1, 2], "fc1.simd": [7]})
    with pytest.raises(codse.InputError, match="'fc1.width'"):
        estimator.batch(base, {"fc1.width": [1]})
    # A batch validated for another network is checked again, never trusted.
    other = codse.Estimator(codse.Network.load(str(repo / "examples/networks/sfc_w1a1.json")), "XC7Z020")
    with pytest.raises(codse.InputError, match="mappings\\[0\\]"):
        other.estimate_many(batch)


def test_map_gives_a_front_of_valid_mappings(mlp):
    front = codse.map(mlp, "XC7Z020", objectives=["lut:min", "fps:max"], constraints=["fps>=1000"])
    assert len(front) >= 5 and front.method.startswith("layerwise")
    points = [(e.lut, e.fps) for e in front]
    for a in points:
        assert a[1] >= 1000
        assert not any(b[0] <= a[0] and b[1] >= a[1] and b != a for b in points), f"{a} is dominated"
    for e in front:  # every point is the estimator's own number for its mapping
        assert codse.estimate(mlp, "XC7Z020", e.mapping).lut == e.lut
    records = front.to_records()
    assert records[0]["fc1.pe"] >= 1 and "lut" in records[0]
    pandas = pytest.importorskip("pandas")
    frame = front.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == len(front)


def test_wrong_device_raises_with_the_known_names(mlp):
    with pytest.raises(codse.InputError, match="XC9Z999.*XC7Z020"):
        codse.estimate(mlp, "XC9Z999", target_fps=100)


def test_a_mapping_of_another_network_raises(repo, mlp):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(codse.InputError, match="fc1|layer"):
            codse.estimate(mlp, "XC7Z020", str(repo / "examples/mappings/cnv_w1a1.json"))
    assert any("written for network 'cnv_w1a1'" in str(w.message) for w in caught)


def test_a_knob_value_outside_its_values_raises(mlp):
    mapping = codse.estimate(mlp, "XC7Z020", target_fps=1000).mapping
    with pytest.raises(codse.InputError, match="fc1: PE 3 does not divide 256"):
        codse.estimate(mlp, "XC7Z020", mapping.with_layer("fc1", pe=3))
    with pytest.raises(codse.InputError, match="storage 'flash'"):
        mapping.with_layer("fc1", storage="flash")
    with pytest.raises(codse.InputError, match="mappings\\[1\\]"):
        codse.estimate_many(mlp, "XC7Z020", [mapping, mapping.with_layer("fc2", simd=5)])
    with pytest.raises(codse.InputError, match="mappings\\[0\\] is a dict"):
        codse.estimate_many(mlp, "XC7Z020", [{"layers": []}])
    with pytest.raises(codse.InputError, match="no layer 'fc9'"):
        mapping.with_layer("fc9", pe=2)


def test_mapping_from_a_dict_and_back(repo):
    mapping = codse.Mapping.load(str(repo / "examples/mappings/mnist_mlp_w4a4.json"))
    assert mapping.network == "mnist_mlp_w4a4"
    again = codse.Mapping.from_json(mapping.to_dict())
    assert again == mapping and again.layers[0]["layer"] == "fc1"
    with pytest.raises(codse.InputError):
        codse.Mapping.from_json({"template": "folded", "layers": [{"layer": "fc1", "pe": "many"}]})
