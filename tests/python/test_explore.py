"""codse.explore: the co-exploration from Python (a dict config), its hints as objects, the stored
study read back, and Ctrl-C leaving a store that resumes."""

import os
import signal
import subprocess
import sys
import time

import pytest

import codse


def digits_config(repo, shared_data, networks):
    return {
        "name": "digits_py",
        "seed": 1,
        "dataset": {"name": f"csv:{shared_data / 'sklearn-digits' / 'digits.csv.gz'}", "validation_fraction": 0.15,
                    "test_fraction": 0.25},
        "networks": [str(repo / "examples/networks/digits_mlp_w2a2.json")],
        "training": {"epochs": 2, "batch_size": 32, "learning_rate": 0.01, "threads": 1},
        "ml_knobs": {"morphisms": ["widen", "lower_bits", "raise_sparsity"], "max_params": 20000, "min_bits": 1},
        "hardware": {"devices": ["iCE40UP5K"], "templates": ["folded"], "mappings_per_network": 3},
        "objectives": ["error:min", "lut:min", "latency_us:min"],
        "constraints": ["fits"],
        "budget": {"networks": networks},
        "fidelity": "analytic",
        "lemonade": {"generated": 6, "accepted": 2},
    }


def test_explore_from_a_dict_gives_trials_front_and_hints(repo, shared_data, tmp_path):
    db = tmp_path / "digits.sqlite"
    result = codse.explore(digits_config(repo, shared_data, 4), db=str(db))
    assert result.trained_networks == 4 and result.store == str(db)
    assert len(result.trials) >= 4 and 1 <= len(result.front) <= len(result.trials)
    assert all(t["status"] == "complete" for t in result.front)
    assert all(isinstance(h, codse.Hint) and h.text for h in result.hints)
    assert result.hypervolume > 0
    stored = codse.load_study(str(db))
    assert len(stored.trials) == len(result.trials)
    assert sorted(stored.front) == sorted(t["number"] for t in result.front)
    pandas = pytest.importorskip("pandas")
    frame = stored.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and frame["on_front"].sum() == len(result.front)
    with pytest.raises(codse.InputError, match="already holds study 'digits_py'"):
        codse.explore(digits_config(repo, shared_data, 4), db=str(db))
    again = codse.explore(digits_config(repo, shared_data, 4), db=str(db), resume=True)
    assert again.resumed_networks == 4 and again.trained_networks == 0


def test_bad_explore_config_raises_input_error(repo, shared_data, tmp_path):
    config = digits_config(repo, shared_data, 2)
    config["objectives"] = ["error:min", "luts:min"]
    with pytest.raises(codse.InputError, match="luts"):
        codse.explore(config, db=str(tmp_path / "x.sqlite"))


SCRIPT = """
import sys, codse
sys.path.insert(0, {tests!r})
from test_explore import digits_config
import pathlib
print("started", flush=True)
codse.explore(digits_config(pathlib.Path({repo!r}), pathlib.Path({data!r}), 200), db={db!r}, resume=True)
print("finished", flush=True)
"""


def test_ctrl_c_stops_explore_and_the_store_resumes(repo, shared_data, tmp_path):
    db = tmp_path / "interrupted.sqlite"
    script = SCRIPT.format(tests=str(repo / "tests/python"), repo=str(repo), data=str(shared_data), db=str(db))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(os.path.dirname(os.path.dirname(codse.__file__)))]))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)
    deadline = time.time() + 300
    while time.time() < deadline and child.poll() is None:  # until a first network is stored
        time.sleep(0.5)
        if db.exists() and len(codse.load_study(str(db), "digits_py").trials) >= 2:
            break
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=300)
    assert child.returncode != 0 and "KeyboardInterrupt" in err, err
    assert "finished" not in out
    kept = len(codse.load_study(str(db), "digits_py").trials)
    assert kept >= 2
    assert kept < 200 * 3, "the run was stopped, not finished"
    config = digits_config(repo, shared_data, 200)
    config["budget"] = {"networks": 200}
    resumed = codse.explore(config, db=str(db), resume=True)
    numbers = [t["number"] for t in resumed.trials]
    assert numbers == sorted(set(numbers)), "every trial recorded once"
    assert resumed.resumed_networks >= 1 and resumed.trained_networks + resumed.resumed_networks == 200
