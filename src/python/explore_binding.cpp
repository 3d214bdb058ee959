// codse.explore: the co-exploration (LEMONADE x HAL) of `codse explore`, from a YAML file or the
// same configuration as a dict, into an SQLite store; it returns the front and the hints as objects.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>

#include <fmt/format.h>

#include "core/error.hpp"
#include "explore/co_exploration.hpp"
#include "explore/explore_config.hpp"
#include "explore/explore_dataset.hpp"
#include "explore/explore_study.hpp"
#include "explore/hints.hpp"
#include "nn/train/blas_runtime.hpp"
#include "python/bindings.hpp"
#include "python/interrupt_scope.hpp"
#include "python/json_bridge.hpp"
#include "store/store.hpp"

namespace py = pybind11;

namespace codse::python {
namespace {

struct PyExploreResult {
  explore::ExploreResult result;
  std::string study;
  std::string store;
  std::string artifacts;
};

explore::ExploreConfig config_from(const py::object& config) {
  if (py::isinstance<py::str>(config) || py::hasattr(config, "__fspath__"))
    return explore::load_explore_config(py::str(config).cast<std::string>());
  // JSON is YAML: the dict goes through the same parser and checks as a file. Relative paths in
  // it are relative to the working directory; the study is named after "name" (default: python).
  const auto document = from_python(config, "explore config");
  if (!document.is_object()) throw InputError("explore: config must be a YAML file's path or a dict");
  const auto name = document.value("name", std::string("python"));
  return explore::parse_explore_config(document.dump(), std::filesystem::current_path() / (name + ".yaml"));
}

PyExploreResult run_explore(const py::object& config_object, const std::optional<std::string>& db, bool resume) {
  const auto config = config_from(config_object);
  const std::filesystem::path store_path = db.value_or(config.name + ".sqlite");
  const auto data = explore::load_explore_dataset(config);
  explore::check_networks_fit(config, data);
  Store store(store_path);
  auto journal = explore::open_explore_study(store, config, resume, "resume=True");
  nn::set_blas_threads(config.training.threads);
  const auto artifacts = explore::artifacts_directory(store_path);
  explore::CoExploration exploration(config, data, artifacts);
  PyExploreResult out{{}, config.name, store_path.string(), artifacts.string()};
  {
    InterruptScope interrupts;
    py::gil_scoped_release release;
    out.result = exploration.run(journal);
  }
  return out;
}

py::dict trial_row(const Trial& t) {
  py::dict row;
  row["number"] = t.number;
  row["status"] = std::string(to_string(t.status));
  row["values"] = t.metrics.values;
  row["error"] = t.error;
  row["artifacts"] = t.artifacts_json.empty() ? py::object(py::dict()) : to_python(nlohmann::json::parse(t.artifacts_json));
  return row;
}

}  // namespace

void bind_explore(py::module_& m) {
  py::class_<explore::Hint>(m, "Hint", "Feedback derived from measured trials, with its evidence.")
      .def_readonly("kind", &explore::Hint::kind, "morphism, bottleneck, sensitivity or onto_front.")
      .def_readonly("subject", &explore::Hint::subject)
      .def_readonly("text", &explore::Hint::text)
      .def_property_readonly("evidence", [](const explore::Hint& h) { return to_python(h.evidence); })
      .def("__str__", [](const explore::Hint& h) { return h.text; })
      .def("__repr__", [](const explore::Hint& h) { return fmt::format("<codse.Hint {}: {}>", h.kind, h.text); });
  py::class_<PyExploreResult>(m, "ExploreResult", "What a co-exploration found: trials, front, hypervolume, hints.")
      .def_property_readonly("trials", [](const PyExploreResult& r) {
        py::list list;
        for (const auto& t : r.result.trials) list.append(trial_row(t));
        return list;
      }, "One dict per trial: number, status, values (metrics), error, artifacts (network, mapping, ...).")
      .def_property_readonly("front", [](const PyExploreResult& r) {
        py::list list;
        for (const auto index : r.result.front) list.append(trial_row(r.result.trials[index]));
        return list;
      }, "The trials on the Pareto front.")
      .def_property_readonly("hints", [](const PyExploreResult& r) { return r.result.hints; })
      .def_property_readonly("hypervolume", [](const PyExploreResult& r) { return r.result.hypervolume; })
      .def_property_readonly("trained_networks", [](const PyExploreResult& r) { return r.result.trained_networks; })
      .def_property_readonly("resumed_networks", [](const PyExploreResult& r) { return r.result.replayed_networks; })
      .def_readonly("study", &PyExploreResult::study)
      .def_readonly("store", &PyExploreResult::store, "The SQLite store (codse.load_study(store) reads it).")
      .def_readonly("artifacts", &PyExploreResult::artifacts)
      .def("__repr__", [](const PyExploreResult& r) {
        return fmt::format("<codse.ExploreResult '{}': {} trials, front of {}, hypervolume {:.4f}>", r.study,
                           r.result.trials.size(), r.result.front.size(), r.result.hypervolume);
      });
  m.def("explore", &run_explore, py::arg("config"), py::kw_only(), py::arg("db") = py::none(),
        py::arg("resume") = false,
        R"(Co-explores networks and hardware mappings, as `codse explore CONFIG --db DB [--resume]`.

config  a YAML file's path (examples/mnist_xc7z020.yaml) or the same configuration as a dict
db      the SQLite store (default NAME.sqlite); resume=True continues the study stored there
Returns an ExploreResult (trials, front, hints). Ctrl-C stops it between networks: what finished is
stored, and resume=True continues.)");
}

}  // namespace codse::python
