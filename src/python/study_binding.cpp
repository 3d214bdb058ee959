// Studies from Python, Optuna's ask-and-tell: codse.Study over a space given as a dict (knob name ->
// list of values, with constraints) or over a table of evaluated designs (Study.from_table), with
// the same explorers and the same SQLite store as `codse dse`, so either resumes the other's
// studies; codse.load_study reads any stored study (also `codse explore`'s) with its front.

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "core/content_hash.hpp"
#include "core/knob_expression.hpp"
#include "core/error.hpp"
#include <Eigen/Core>

#include "core/pareto_front.hpp"
#include "core/table_space.hpp"
#include "core/trial_journal.hpp"
#include "report/report_data.hpp"
#include "report/trial_table.hpp"
#include "search/ask_tell_study.hpp"
#include "search/candidate_pool.hpp"
#include "search/explorer.hpp"
#include "search/explorer_options.hpp"
#include "store/store.hpp"
#include "store/table_study_config.hpp"
#include "python/bindings.hpp"
#include "python/json_bridge.hpp"

namespace py = pybind11;

namespace codse::python {
namespace {

/// One trial as Python sees it: its knob values by name, its metrics, its status.
struct PyTrial {
  std::size_t number = 0;
  py::dict params;
  std::vector<double> design;
  std::string status = "pending";
  std::map<std::string, double> values;
  std::string error;
  double seconds = 0.0;
  std::string artifacts_json;
};

/// A knob's value as Python sees it: a label knob's label, a boolean, or the number (an int when
/// whole, as the user wrote it).
py::object knob_value(const Knob& knob, double value) {
  if (knob.kind() == KnobKind::boolean) return py::bool_(value != 0.0);
  if (auto text = knob.format(value); text != fmt::format("{}", value)) return py::str(text);  // a label
  if (std::floor(value) == value) return py::int_(static_cast<long long>(value));
  return py::float_(value);
}

py::dict params_of(const Space& space, const Design& design) {
  py::dict params;
  for (std::size_t k = 0; k < space.dimension() && k < design.values.size(); ++k)
    params[py::str(space.knobs()[k].name())] = knob_value(space.knobs()[k], design.values[k]);
  return params;
}

/// A finished trial with its knob values named by params.
PyTrial finished_trial(const Trial& trial, py::dict params) {
  PyTrial t;
  t.number = trial.number;
  t.params = std::move(params);
  t.design = trial.design.values;
  t.status = std::string(to_string(trial.status));
  t.values = trial.metrics.values;
  t.error = trial.error;
  t.seconds = trial.metrics.seconds;
  t.artifacts_json = trial.artifacts_json;
  return t;
}

PyTrial to_py(const Space& space, const Trial& trial) { return finished_trial(trial, params_of(space, trial.design)); }

std::vector<Objective> parse_objectives(const py::object& objectives) {
  std::vector<Objective> parsed;
  if (py::isinstance<py::dict>(objectives)) {
    for (const auto& [name, sense] : objectives.cast<py::dict>())
      parsed.push_back(Objective::parse(fmt::format("{}:{}", py::str(name).cast<std::string>(),
                                                    py::str(sense).cast<std::string>())));
  } else if (py::isinstance<py::str>(objectives)) {
    parsed.push_back(Objective::parse(objectives.cast<std::string>()));
  } else {
    for (const auto& text : objectives) parsed.push_back(Objective::parse(py::str(text).cast<std::string>()));
  }
  if (parsed.empty()) throw InputError("objectives: give at least one, as \"NAME:min\" or \"NAME:max\"");
  require_distinct_objectives(parsed, "objectives");
  return parsed;
}

/// A knob from a Python list: numbers (a choice; whole numbers stay integers) or strings (labels).
Knob knob_from(const std::string& name, const py::handle& values) {
  if (!py::isinstance<py::sequence>(values) || py::isinstance<py::str>(values))
    throw InputError(fmt::format("space: knob '{}': expected a list of values, got {}", name,
                                 py::str(py::repr(values)).cast<std::string>()));
  const auto list = values.cast<py::sequence>();
  if (py::len(list) == 0) throw InputError(fmt::format("space: knob '{}': the list of values is empty", name));
  if (py::isinstance<py::str>(list[0])) {
    std::vector<std::string> labels;
    for (const auto& v : list) {
      if (!py::isinstance<py::str>(v))
        throw InputError(fmt::format("space: knob '{}': mixes labels and numbers", name));
      labels.push_back(v.cast<std::string>());
    }
    return Knob::labels(name, labels);
  }
  std::vector<double> numbers;
  for (const auto& v : list) {
    if (py::isinstance<py::bool_>(v) || !(py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v)))
      throw InputError(fmt::format("space: knob '{}': value {} is not a number (or give only strings, as labels)", name,
                                   py::str(py::repr(v)).cast<std::string>()));
    numbers.push_back(v.cast<double>());
    if (!std::isfinite(numbers.back()))
      throw InputError(fmt::format("space: knob '{}': value {} is not finite", name, numbers.back()));
  }
  return Knob::choice(name, numbers);
}

/// Everything the study explores, and what identifies it in the store.
struct StudySpace {
  Space space;
  std::vector<Design> designs;
  nlohmann::json config;
  std::shared_ptr<TableSpace> table;  // a table study's rows (for lookups)
};

/// Constraints given as expressions ("pe * width <= 64", the form of codse dse's space files),
/// parsed over the knobs' names; a parse error names the constraint and the column.
std::vector<KnobExpression> constraint_expressions(const py::object& constraint, const Space& space) {
  std::vector<std::string> texts;
  if (py::isinstance<py::str>(constraint)) texts.push_back(constraint.cast<std::string>());
  else if (py::isinstance<py::list>(constraint) || py::isinstance<py::tuple>(constraint))
    for (const auto& item : constraint) {
      if (!py::isinstance<py::str>(item))
        throw InputError("constraints: give a callable(params) -> bool, an expression, or a list of expressions");
      texts.push_back(item.cast<std::string>());
    }
  std::vector<std::string> names;
  for (const auto& knob : space.knobs()) names.push_back(knob.name());
  std::vector<KnobExpression> parsed;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    try {
      parsed.push_back(KnobExpression::parse(texts[i], names));
    } catch (const InputError& error) {
      throw InputError(fmt::format("constraints[{}] '{}': {}", i, texts[i], error.what()));
    }
  }
  return parsed;
}

StudySpace dict_space(const py::dict& knobs, const py::object& constraint) {
  std::vector<Knob> list;
  nlohmann::json described = nlohmann::json::object();
  for (const auto& [name, values] : knobs) {
    list.push_back(knob_from(py::str(name).cast<std::string>(), values));
    described[list.back().name()] = from_python(values, "space");
  }
  if (list.empty()) throw InputError("space: give at least one knob, as {\"name\": [values, ...]}");
  Space bare(list);
  const bool callable = !constraint.is_none() && PyCallable_Check(constraint.ptr());
  const auto expressions = callable || constraint.is_none() ? std::vector<KnobExpression>{}
                                                            : constraint_expressions(constraint, bare);
  std::vector<Design> designs;
  const double count = bare.cardinality();
  if (count > 2e6)
    throw InputError(fmt::format("space: {:.3g} knob combinations; at most 2,000,000 can be enumerated", count));
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    auto design = bare.decode(i);
    if (!std::all_of(expressions.begin(), expressions.end(),
                     [&](const KnobExpression& e) { return e.holds(design.values); }))
      continue;
    if (callable) {
      const auto holds = constraint(params_of(bare, design));
      if (!py::isinstance<py::bool_>(holds) && !py::isinstance<py::int_>(holds))
        throw InputError(fmt::format("constraints: returned {} for {}; expected True or False",
                                     py::str(py::repr(holds)).cast<std::string>(), bare.describe(design)));
      if (!holds.cast<bool>()) continue;
    }
    designs.push_back(std::move(design));
  }
  if (designs.empty()) throw InputError("space: the constraints rule out every design");
  // The designs themselves identify the space: a changed constraint that changes which designs
  // are legal is refused on resume, whatever form the constraint takes.
  ContentHash hash;
  for (const auto& d : designs) hash.update(design_key_hex(d));
  return {std::move(bare), std::move(designs),
          {{"command", "python"}, {"space", described}, {"designs", designs.size()}, {"designs_sha256", hash.hex()}},
          nullptr};
}

class PyStudy {
 public:
  PyStudy(StudySpace space, std::vector<Objective> objectives, const std::string& explorer, std::uint64_t seed,
          const py::object& storage, const std::string& name, std::size_t batch,
          std::function<nlohmann::json(nlohmann::json)> upgrade = {})
      : space_(std::move(space)), objectives_(std::move(objectives)), name_(name) {
    pool_ = std::make_unique<CandidatePool>(space_.space, space_.designs);
    explorer_ = make_explorer(explorer, {pool_.get(), objectives_, seed});
    if (storage.is_none()) {
      journal_ = std::make_unique<MemoryJournal>();
    } else {
      store_ = std::make_unique<Store>(py::str(storage).cast<std::string>());
      journal_ = std::make_unique<StudyJournal>(upgrade ? store_->open_study(name, space_.config, upgrade)
                                                        : store_->open_study(name, space_.config));
    }
    study_ = std::make_unique<AskTellStudy>(*explorer_, *journal_, batch);
  }

  PyTrial ask(std::size_t limit) {
    const auto asked = study_->ask(limit);
    if (!asked) throw py::stop_iteration("the explorer has nothing more to ask (it stopped by itself or the space is exhausted)");
    PyTrial trial;
    trial.number = asked->number;
    trial.params = params_of(space_.space, asked->design);
    trial.design = asked->design.values;
    return trial;
  }

  PyTrial tell(const py::object& trial, const py::object& values, const std::optional<std::string>& error) {
    const auto number = py::isinstance<PyTrial>(trial) ? trial.cast<const PyTrial&>().number : trial.cast<std::size_t>();
    if (error) return to_py(space_.space, study_->tell_failed(number, *error));
    if (values.is_none()) throw InputError(fmt::format("tell: trial {}: give values, or error=\"why it failed\"", number));
    return to_py(space_.space, study_->tell(number, metrics_from(values, number)));
  }

  /// ask, func(trial), tell, until budget trials exist (resumed ones count) or the explorer stops.
  void optimize(const py::function& func, std::size_t budget, const py::object& catch_types) {
    if (!study_->pending().empty())
      throw InputError(fmt::format("optimize: trials {} are pending from an earlier ask(); tell them first",
                                   fmt::join(study_->pending(), ", ")));
    while (study_->asked_count() < budget || study_->has_unasked()) {
      const auto asked = study_->ask(budget - study_->asked_count());
      if (!asked) break;
      PyTrial trial{asked->number, params_of(space_.space, asked->design), asked->design.values, "running", {}, {}, 0.0, {}};
      py::object result;
      try {
        result = func(trial);
      } catch (py::error_already_set& e) {
        // A listed exception records a failed trial; anything else (Ctrl-C included) propagates and
        // leaves the trial unrecorded, so a resumed study evaluates it again.
        if (!catch_types.is_none() && e.matches(catch_types)) {
          study_->tell_failed(asked->number, py::str(e.value()).cast<std::string>());
          continue;
        }
        throw;
      }
      study_->tell(asked->number, metrics_from(result, asked->number));
    }
  }

  std::vector<PyTrial> trials() const {
    std::vector<PyTrial> list;
    for (const auto& t : study_->trials()) list.push_back(to_py(space_.space, t));
    return list;
  }

  /// The complete trials no other complete trial dominates in the objectives.
  std::vector<PyTrial> best_trials() const {
    std::vector<const Trial*> complete;
    std::vector<std::vector<double>> rows;
    for (const auto& t : study_->trials()) {
      if (t.status != TrialStatus::complete) continue;
      std::vector<double> p;
      bool finite = true;
      for (const auto& o : objectives_) {
        const auto it = t.metrics.values.find(o.metric);
        finite = finite && it != t.metrics.values.end() && std::isfinite(it->second);
        p.push_back(finite ? o.minimised(it->second) : 0.0);
      }
      if (!finite) continue;
      complete.push_back(&t);
      rows.push_back(std::move(p));
    }
    Eigen::MatrixXd points(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(objectives_.size()));
    for (std::size_t r = 0; r < rows.size(); ++r)
      for (std::size_t c = 0; c < objectives_.size(); ++c)
        points(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c];
    std::vector<PyTrial> best;
    for (const auto index : pareto_front(points)) best.push_back(to_py(space_.space, *complete[index]));
    return best;
  }

  /// A table study's metrics of the trial's design (its row).
  std::map<std::string, double> table_metrics(const py::object& trial) const {
    if (!space_.table) throw InputError("table_metrics: this study is not over a table (Study.from_table)");
    const auto& t = trial.cast<const PyTrial&>();
    const auto row = space_.table->find(Design{t.design});
    if (!row) throw InputError(fmt::format("table_metrics: trial {} is not a row of the table", t.number));
    return space_.table->metrics(*row).values;
  }

  const std::string& name() const { return name_; }
  std::vector<std::string> objectives() const {
    std::vector<std::string> list;
    for (const auto& o : objectives_) list.push_back(o.to_string());
    return list;
  }
  std::vector<std::size_t> pending() const { return study_->pending(); }
  std::size_t replayed() const { return study_->replayed_count(); }
  std::vector<std::string> knob_names() const {
    std::vector<std::string> names;
    for (const auto& k : space_.space.knobs()) names.push_back(k.name());
    return names;
  }
  std::size_t space_size() const { return space_.designs.size(); }

 private:
  Metrics metrics_from(const py::object& values, std::size_t number) const {
    Metrics metrics;
    metrics.fidelity = Fidelity::analytic;
    if (py::isinstance<py::dict>(values)) {
      for (const auto& [key, value] : values.cast<py::dict>()) {
        const auto name = py::str(key).cast<std::string>();
        try {
          metrics.values[name] = value.cast<double>();
        } catch (const py::cast_error&) {
          throw InputError(fmt::format("tell: trial {}: metric '{}' = {} is not a number", number, name,
                                       py::str(py::repr(value)).cast<std::string>()));
        }
      }
    } else if (py::isinstance<py::float_>(values) || py::isinstance<py::int_>(values)) {
      if (objectives_.size() != 1)
        throw InputError(fmt::format("tell: trial {}: one value for {} objectives; give a list or a dict", number,
                                     objectives_.size()));
      metrics.values[objectives_[0].metric] = values.cast<double>();
    } else {
      const auto list = values.cast<std::vector<double>>();
      if (list.size() != objectives_.size())
        throw InputError(fmt::format("tell: trial {}: {} values for {} objectives ({})", number, list.size(),
                                     objectives_.size(), fmt::join(objectives(), ", ")));
      for (std::size_t i = 0; i < list.size(); ++i) metrics.values[objectives_[i].metric] = list[i];
    }
    for (const auto& o : objectives_) {
      const auto it = metrics.values.find(o.metric);
      if (it == metrics.values.end())
        throw InputError(fmt::format("tell: trial {}: no value for objective '{}'", number, o.metric));
      if (!std::isfinite(it->second))
        throw InputError(fmt::format("tell: trial {}: objective '{}' = {} is not finite; tell a failure with "
                                     "error=\"why\" instead",
                                     number, o.metric, it->second));
    }
    return metrics;
  }

  StudySpace space_;
  std::vector<Objective> objectives_;
  std::unique_ptr<CandidatePool> pool_;
  std::unique_ptr<Explorer> explorer_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<TrialJournal> journal_;
  std::unique_ptr<AskTellStudy> study_;
  std::string name_;
};

std::unique_ptr<PyStudy> table_study(const std::string& table, const py::object& objectives, const std::string& knobs,
                                     const std::string& explorer, std::uint64_t seed, const py::object& storage,
                                     const std::optional<std::string>& name, std::size_t batch) {
  auto rows = std::make_shared<TableSpace>(TableSpace::load(table, knobs));
  auto parsed = parse_objectives(objectives);
  for (const auto& o : parsed) rows->require_numeric(o.metric);
  const TableStudySettings settings{table, knobs, parsed, explorer, seed, batch};
  const auto hashes = hash_table(table);
  StudySpace space{rows->space(), rows->designs(), table_study_config(settings, hashes, *rows), rows};
  const auto config = space.config;
  return std::make_unique<PyStudy>(
      std::move(space), std::move(parsed), explorer, seed, storage, name.value_or(default_table_study_name(settings)),
      batch, [hashes, config](nlohmann::json stored) { return upgrade_table_study_config(std::move(stored), hashes, config); });
}

/// A stored study, read only: its trials, front and configuration (codse.load_study).
struct StoredStudy {
  report::ReportData data;
  std::vector<std::string> knobs;
};

/// A stored trial: its values named by the knobs the report finds (x0, x1, ... past them).
PyTrial stored_trial(const StoredStudy& s, const Trial& trial) {
  py::dict params;
  for (std::size_t k = 0; k < trial.design.values.size(); ++k)
    params[py::str(k < s.knobs.size() ? s.knobs[k] : fmt::format("x{}", k))] = trial.design.values[k];
  return finished_trial(trial, std::move(params));
}

StoredStudy load_study(const std::string& path, const std::optional<std::string>& name) {
  const Store store(path, StoreAccess::read_only);
  const auto names = store.study_names();
  if (!name && names.size() != 1)
    throw InputError(fmt::format("{}: holds {} studies ({}); pass name=", path, names.size(), fmt::join(names, ", ")));
  const auto journal = store.study(name.value_or(names.empty() ? std::string() : names.front()));
  auto data = report::collect_report_data(journal);
  auto knobs = data.knobs;
  return {std::move(data), std::move(knobs)};
}

void bind_trial(py::module_& m) {
  py::class_<PyTrial>(m, "Trial", "One evaluated (or asked) design: its number, knob values, metrics and status.")
      .def_readonly("number", &PyTrial::number, "Position in the explorer's ask order, stable across resumes.")
      .def_readonly("params", &PyTrial::params, "Knob values by name.")
      .def_readonly("status", &PyTrial::status, "'pending', 'running', 'complete' or 'failed'.")
      .def_readonly("values", &PyTrial::values, "Every metric told or measured.")
      .def_readonly("error", &PyTrial::error, "Why a failed trial failed.")
      .def_readonly("seconds", &PyTrial::seconds)
      .def_property_readonly("artifacts", [](const PyTrial& t) {
        return t.artifacts_json.empty() ? py::object(py::dict()) : to_python(nlohmann::json::parse(t.artifacts_json));
      })
      .def("__repr__", [](const PyTrial& t) {
        return fmt::format("<codse.Trial {} {} {}>", t.number, t.status, py::repr(t.params).cast<std::string>());
      });
}

void bind_study_class(py::module_& m) {
  py::class_<PyStudy>(m, "Study", R"(A study: an explorer proposes designs, you evaluate them (ask and tell, as in Optuna).

Study(space, objectives, explorer="atne", seed=1, storage=None, name=None, constraints=None, batch=1)
  space        {knob: [values]} (numbers, or strings as labels)
  objectives   ["lut:min", "fmax:max"] or {"lut": "min", "fmax": "max"}
  explorer     "atne", "epal", "nsga2", "random", "grid" (codse dse --explorer)
  storage      an SQLite file: every told trial is stored; the same call resumes it
  constraints  an expression over the knobs ("pe * width <= 64", as in codse dse space files), a
               list of them (all must hold), or a callable(params) -> bool
  batch        designs asked at a time (ask() refuses more until they are told)

study.ask() -> Trial; study.tell(trial, {"lut": 120, "fmax": 95.0}) or tell(trial, error="why");
study.optimize(func, budget) calls func(trial) -> values.)")
      .def(py::init([](const py::dict& space, const py::object& objectives, const std::string& explorer, std::uint64_t seed,
                       const py::object& storage, const std::optional<std::string>& name, const py::object& constraints,
                       std::size_t batch) {
             auto parsed = parse_objectives(objectives);
             return std::make_unique<PyStudy>(dict_space(space, constraints), std::move(parsed), explorer, seed, storage,
                                              name.value_or(fmt::format("python-{}-seed{}", explorer, seed)), batch);
           }),
           py::arg("space"), py::arg("objectives"), py::kw_only(), py::arg("explorer") = "atne", py::arg("seed") = 1,
           py::arg("storage") = py::none(), py::arg("name") = py::none(), py::arg("constraints") = py::none(),
           py::arg("batch") = 1)
      .def_static("from_table", &table_study, py::arg("table"), py::arg("objectives"), py::kw_only(),
                  py::arg("knobs") = "knob_*", py::arg("explorer") = "atne", py::arg("seed") = 1,
                  py::arg("storage") = py::none(), py::arg("name") = py::none(), py::arg("batch") = 1,
                  "A study over the rows of a CSV of evaluated designs, stored exactly as `codse dse --table` "
                  "stores it (same default name TABLE-EXPLORER-seedS), so either resumes the other. "
                  "table_metrics(trial) looks a trial's design up.")
      .def("ask", &PyStudy::ask, py::arg("limit") = std::numeric_limits<std::size_t>::max(),
           "The next design to evaluate. StopIteration when the explorer has nothing more.")
      .def("tell", &PyStudy::tell, py::arg("trial"), py::arg("values") = py::none(), py::kw_only(),
           py::arg("error") = py::none(),
           "Records the result of an asked trial (a Trial or its number): values as {metric: number}, a list "
           "in objective order, or one number; or error=\"why\" for a failed evaluation.")
      .def("optimize", &PyStudy::optimize, py::arg("func"), py::arg("budget"), py::kw_only(),
           py::arg("catch") = py::none(),
           "Asks, calls func(trial) -> values and tells, until budget trials (resumed ones count). An "
           "exception of a type in catch records a failed trial; any other stops, leaving that trial unrecorded.")
      .def("table_metrics", &PyStudy::table_metrics, py::arg("trial"), "A table study's row of the trial's design.")
      .def_property_readonly("trials", &PyStudy::trials, "Every finished trial, by number.")
      .def_property_readonly("best_trials", &PyStudy::best_trials, "The Pareto front of the objectives.")
      .def_property_readonly("pending", &PyStudy::pending)
      .def_property_readonly("name", &PyStudy::name)
      .def_property_readonly("objectives", &PyStudy::objectives)
      .def_property_readonly("knobs", &PyStudy::knob_names)
      .def_property_readonly("space_size", &PyStudy::space_size, "Legal designs.")
      .def_property_readonly("resumed_trials", &PyStudy::replayed, "Trials read back from storage.");
}

void bind_stored_study(py::module_& m) {
  py::class_<StoredStudy>(m, "StoredStudy", "A study read from a store (codse.load_study).")
      .def_property_readonly("name", [](const StoredStudy& s) { return s.data.study; })
      .def_property_readonly("config", [](const StoredStudy& s) { return to_python(s.data.config); })
      .def_property_readonly("objectives", [](const StoredStudy& s) {
        std::vector<std::string> list;
        for (const auto& o : s.data.objectives) list.push_back(o.to_string());
        return list;
      })
      .def_property_readonly("knobs", [](const StoredStudy& s) { return s.knobs; })
      .def_property_readonly("trials", [](const StoredStudy& s) {
        std::vector<PyTrial> list;
        for (const auto& t : s.data.trials) list.push_back(stored_trial(s, t));
        return list;
      })
      .def_property_readonly("front", [](const StoredStudy& s) { return s.data.front; },
                             "Numbers of the trials on the Pareto front of the objectives.")
      .def_property_readonly("hints", [](const StoredStudy& s) { return to_python(s.data.hints); })
      .def("to_records", [](const StoredStudy& s) {
        const auto table = report::trial_table(s.data, false);
        py::list rows;
        for (const auto& row : table.rows) rows.append(to_python(row));
        return rows;
      }, "One dict per trial: knobs, objectives, metrics, status and 'on_front' (on the Pareto front), "
         "the columns of `codse export --trials`.")
      .def("to_pandas", [](const StoredStudy& s) {
        const auto table = report::trial_table(s.data, false);
        py::list rows;
        for (const auto& row : table.rows) rows.append(to_python(row));
        return py::module_::import("pandas").attr("DataFrame")(rows, py::arg("columns") = table.columns);
      }, "to_records() as a pandas DataFrame (python3-pandas).")
      .def("__repr__", [](const StoredStudy& s) {
        return fmt::format("<codse.StoredStudy '{}': {} trials, front of {}>", s.data.study, s.data.trials.size(),
                           s.data.front.size());
      });
  m.def("load_study", &load_study, py::arg("path"), py::arg("name") = py::none(),
        "Reads a stored study (from codse dse, codse explore or codse.Study) with its trials and front. "
        "name may be left out when the store holds one study.");
}

}  // namespace

void bind_study(py::module_& m) {
  bind_trial(m);
  bind_study_class(m);
  bind_stored_study(m);
}

}  // namespace codse::python
