"""Every script in examples/python runs (short settings) and prints what it promises."""

import os
import pathlib
import subprocess
import sys

import pytest

import codse


def run_example(repo, tmp_path, name, *args):
    env = dict(os.environ)
    # The module this test imported, whatever relative path found it (the example runs elsewhere).
    env["PYTHONPATH"] = str(pathlib.Path(codse.__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, str(repo / "examples/python" / name), *map(str, args)], capture_output=True,
                          text=True, timeout=900, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_example_is_tested(repo):
    tested = {"qat_mnist_front.py", "ask_tell_yosys.py"}
    assert {p.name for p in (repo / "examples/python").glob("*.py")} == tested


def test_qat_mnist_front(repo, shared_data, tmp_path):
    out = run_example(repo, tmp_path, "qat_mnist_front.py", "--data", shared_data / "mnist", "--epochs", 1,
                      "--train-limit", 10000)
    accuracy = float(out.split("test accuracy ")[1].split("%")[0])
    assert accuracy > 90.0, out
    assert "hardware front on XC7Z020" in out
    front_rows = out.split("parallelism (pe x simd per layer)\n")[1].strip().splitlines()
    assert len(front_rows) >= 3
    luts = [float(row.split()[0]) for row in front_rows]
    fps = [float(row.split()[3]) for row in front_rows]
    assert luts == sorted(luts) and fps == sorted(fps), "a front: more LUTs buy more throughput"


@pytest.mark.skipif(not os.path.exists("/usr/bin/yosys"), reason="needs yosys")
def test_ask_tell_yosys_resumes_without_synthesizing_again(repo, tmp_path, codse_binary, shared_data):
    os.environ["CODSE_BINARY"] = codse_binary
    # A relative --cache: the tools run elsewhere, codse must resolve it (it once did not).
    common = ["--db", tmp_path / "s.sqlite", "--cache", "cache", "--data-dir", shared_data / "sklearn-digits"]
    first = run_example(repo, tmp_path, "ask_tell_yosys.py", "--budget", 3, *common)
    assert first.count("trial ") == 3, first
    assert "front of 3 synthesized designs" in first
    luts = [float(line.split(":")[-1].split("LUT")[0]) for line in first.splitlines() if line.startswith("trial ")]
    assert all(lut > 50 for lut in luts), first  # real netlists, not placeholders
    second = run_example(repo, tmp_path, "ask_tell_yosys.py", "--budget", 5, *common)
    assert "resumed 3 synthesized designs" in second
    assert second.count("trial ") == 2, second  # only the two new designs were synthesized
    assert "front of 5 synthesized designs" in second
