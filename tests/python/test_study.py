"""codse.Study: ask and tell with the CLI's explorers and store. The same seed asks the same designs in
the same order as `codse dse`, and each resumes the other's study."""

import csv

import pytest

import codse

OBJECTIVES = ["obj1:min", "obj2:min"]


def cli_order(run_codse, table, explorer, budget, tmp_path, *extra):
    log = tmp_path / f"{explorer}.log"
    run_codse("dse", "--table", table, "--objective", OBJECTIVES[0], "--objective", OBJECTIVES[1], "--explorer",
              explorer, "--budget", budget, "--seed", 3, "--log", log, *extra)
    with open(log) as f:
        return [int(row["row"]) for row in csv.DictReader(f)]


def table_rows(table):
    with open(table) as f:
        return {tuple(float(v) for k, v in row.items() if k.startswith("knob_")): i for i, row in enumerate(csv.DictReader(f))}


def python_order(study, table, budget):
    study.optimize(study.table_metrics, budget)
    rows = table_rows(table)
    return [rows[tuple(float(v) for v in t.params.values())] for t in study.trials]


@pytest.mark.parametrize("table", ["vivado_sobelx", "vivado_normals"])
@pytest.mark.parametrize("explorer", ["atne", "epal"])
def test_same_seed_same_order_as_codse_dse(shared_data, run_codse, tmp_path, table, explorer):
    path = shared_data / "hls-dse" / f"{table}.csv"
    budget = 40
    expected = cli_order(run_codse, path, explorer, budget, tmp_path)
    study = codse.Study.from_table(str(path), OBJECTIVES, explorer=explorer, seed=3)
    assert python_order(study, path, budget) == expected


def test_a_python_study_resumes_with_codse_dse_and_back(shared_data, run_codse, tmp_path):
    path = shared_data / "hls-dse" / "vivado_sobelx.csv"
    db = tmp_path / "s.sqlite"
    expected = cli_order(run_codse, path, "atne", 30, tmp_path)

    first = codse.Study.from_table(str(path), OBJECTIVES, explorer="atne", seed=3, storage=str(db))
    first.optimize(first.table_metrics, 10)  # Python stops after 10 ...
    del first
    done = run_codse("dse", "--table", path, "--objective", OBJECTIVES[0], "--objective", OBJECTIVES[1], "--explorer",
                     "atne", "--budget", 20, "--seed", 3, "--db", db)  # ... the CLI goes on to 20 ...
    assert "10 resumed" in done.stdout
    again = codse.Study.from_table(str(path), OBJECTIVES, explorer="atne", seed=3, storage=str(db))
    assert again.resumed_trials == 20
    assert python_order(again, path, 30) == expected  # ... and Python finishes: the uninterrupted order
    stored = codse.load_study(str(db))
    assert [t.number for t in stored.trials] == list(range(30))


def test_dict_space_with_constraints_and_front():
    def cost(trial):
        p = trial.params
        return {"area": p["pe"] * p["width"], "latency": 1024 / p["pe"] + p["width"]}

    space = {"pe": [1, 2, 4, 8, 16], "width": [4, 8, 12, 16]}
    study = codse.Study(space, ["area:min", "latency:min"], explorer="atne", seed=2,
                        constraints=lambda p: p["pe"] * p["width"] <= 64)
    assert study.space_size == sum(1 for pe in space["pe"] for w in space["width"] if pe * w <= 64)
    study.optimize(cost, study.space_size)
    assert len(study.trials) == study.space_size
    assert all(t.params["pe"] * t.params["width"] <= 64 for t in study.trials)
    # The front of an exhaustive run is the true front: width 4 at every pe, nothing dominated.
    best = {(t.params["pe"], t.params["width"]) for t in study.best_trials}
    assert best == {(1, 4), (2, 4), (4, 4), (8, 4), (16, 4)}


def test_expression_constraints_select_the_same_designs_as_a_callable():
    space = {"pe": [1, 2, 4, 8], "width": [4, 8, 16]}
    by_text = codse.Study(space, "x:min", constraints="pe * width <= 32 && width != 8")
    by_list = codse.Study(space, "x:min", constraints=["pe * width <= 32", "width != 8"])
    by_callable = codse.Study(space, "x:min", constraints=lambda p: p["pe"] * p["width"] <= 32 and p["width"] != 8)
    assert by_text.space_size == by_list.space_size == by_callable.space_size == 6  # width 4: pe 1-8; 16: pe 1, 2


def test_params_come_back_as_given():
    space = {"mode": ["fast", "small"], "pe": [1, 2], "scale": [0.5, 1.5]}
    study = codse.Study(space, "x:min", explorer="grid")
    study.optimize(lambda t: 1.0, study.space_size)
    seen = {(t.params["mode"], t.params["pe"], t.params["scale"]) for t in study.trials}
    assert seen == {(m, p, s) for m in space["mode"] for p in space["pe"] for s in space["scale"]}
    assert all(type(t.params["pe"]) is int and type(t.params["scale"]) is float for t in study.trials)


def test_ask_tell_with_failures_and_resume(tmp_path):
    db = str(tmp_path / "study.sqlite")
    space = {"unroll": [1, 2, 4, 8], "part": [1, 2, 4]}
    study = codse.Study(space, {"lut": "min", "fmax": "max"}, explorer="random", seed=5, storage=db, name="tool")
    told = []
    for _ in range(5):
        trial = study.ask()
        if trial.params["unroll"] == 8:
            study.tell(trial, error="synthesis timed out")
        else:
            study.tell(trial, [100.0 * trial.params["unroll"], 200.0 / trial.params["part"]])
        told.append(trial.params)
    resumed = codse.Study(space, {"lut": "min", "fmax": "max"}, explorer="random", seed=5, storage=db, name="tool")
    assert resumed.resumed_trials == 5
    assert [t.params for t in resumed.trials] == told
    assert all((t.status == "failed") == (t.params["unroll"] == 8) for t in resumed.trials)
    with pytest.raises(codse.InputError, match="differ|different"):
        codse.Study(space, {"lut": "min", "fmax": "max"}, explorer="random", seed=6, storage=db, name="tool")


def test_bad_study_input_raises():
    study = codse.Study({"pe": [1, 2, 4]}, "lut:min", explorer="random", seed=1, batch=2)
    trial = study.ask()
    study.tell(trial, 10.0)
    with pytest.raises(codse.InputError, match="already told"):
        study.tell(trial, 11.0)
    with pytest.raises(codse.InputError, match="never asked"):
        study.tell(99, 1.0)
    other = study.ask()
    with pytest.raises(codse.InputError, match="pending"):
        study.ask()
    with pytest.raises(codse.InputError, match="'lut'.*not a number"):
        study.tell(other, {"lut": "big"})
    with pytest.raises(codse.InputError, match="no value for objective 'lut'"):
        study.tell(other, {"ff": 3.0})
    with pytest.raises(codse.InputError, match="not finite"):
        study.tell(other, float("nan"))
    with pytest.raises(codse.InputError, match="knob 'pe'.*not a number"):
        codse.Study({"pe": [1, None]}, "lut:min")
    with pytest.raises(codse.InputError, match="unknown explorer|known"):
        codse.Study({"pe": [1, 2]}, "lut:min", explorer="annealing")
    with pytest.raises(codse.InputError, match="NAME:min"):
        codse.Study({"pe": [1, 2]}, "lut")
    with pytest.raises(codse.InputError, match=r"constraints\[1\] 'pe \* w <= 4'.*column"):
        codse.Study({"pe": [1, 2]}, "lut:min", constraints=["pe <= 2", "pe * w <= 4"])
    with pytest.raises(codse.InputError, match="rule out every design"):
        codse.Study({"pe": [1, 2]}, "lut:min", constraints=lambda p: False)


def test_optimize_records_caught_failures_and_leaves_others_unrecorded(tmp_path):
    db = str(tmp_path / "s.sqlite")
    space = {"x": list(range(10))}

    def evaluate(trial):
        if trial.params["x"] == 3:
            raise ArithmeticError("x = 3 does not converge")
        if trial.params["x"] == 5:
            raise KeyError("the tool crashed")
        return float(trial.params["x"])

    study = codse.Study(space, "y:min", explorer="grid", seed=1, storage=db)
    with pytest.raises(KeyError):
        study.optimize(evaluate, 10, catch=ArithmeticError)
    # The grid asks x = 0, 9, 4, 2, 6, 1, 3, 5, ...: x = 3 is recorded failed, x = 5 not at all.
    assert [t.params["x"] for t in study.trials] == [0, 9, 4, 2, 6, 1, 3]
    assert [t.error for t in study.trials if t.status == "failed"] == ["x = 3 does not converge"]
    resumed = codse.Study(space, "y:min", explorer="grid", seed=1, storage=db)
    resumed.optimize(lambda t: float(t.params["x"]), 10)
    assert [t.number for t in resumed.trials] == list(range(10))
