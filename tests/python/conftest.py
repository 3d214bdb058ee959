"""Shared fixtures of the Python tests: where the repository, the codse binary and the data are.

ctest runs these with PYTHONPATH=BUILD/python and CODSE_BINARY=BUILD/codse (tests/CMakeLists.txt);
by hand: PYTHONPATH=build/release/python CODSE_BINARY=build/release/codse python3 -m pytest tests/python
"""

import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED_DATA = pathlib.Path(os.environ.get("CODSE_SHARED_DATA_DIR", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data directory {SHARED_DATA} is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def codse_binary():
    path = os.environ.get("CODSE_BINARY", str(REPO / "build" / "release" / "codse"))
    assert pathlib.Path(path).is_file(), f"the codse binary {path} is not built (set CODSE_BINARY)"
    return path


@pytest.fixture(scope="session")
def run_codse(codse_binary):
    """Runs the codse command; returns its CompletedProcess (text), asserting the exit code."""

    def run(*args, expect=0, cwd=None):
        done = subprocess.run([codse_binary, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)
        assert done.returncode == expect, f"codse {' '.join(map(str, args))}: exit {done.returncode}\n{done.stderr}"
        return done

    return run


@pytest.fixture(scope="session")
def cli_estimate(run_codse, repo):
    """`codse hw estimate ... --json` parsed."""

    def estimate(*args):
        return json.loads(run_codse("hw", "estimate", *args, "--json", cwd=repo).stdout)

    return estimate
