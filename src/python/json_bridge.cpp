#include "python/json_bridge.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace py = pybind11;

namespace codse::python {

py::object to_python(const nlohmann::ordered_json& value) {
  return py::module_::import("json").attr("loads")(value.dump());
}

py::object to_python(const nlohmann::json& value) {
  return py::module_::import("json").attr("loads")(value.dump());
}

nlohmann::ordered_json from_python(py::handle object, const char* what) {
  std::string text;
  try {
    text = py::module_::import("json").attr("dumps")(object).cast<std::string>();
  } catch (const py::error_already_set& error) {
    throw InputError(fmt::format("{}: not a JSON value (dict, list, str, number, bool or None): {}", what,
                                 error.what()));
  }
  return nlohmann::ordered_json::parse(text);
}

}  // namespace codse::python
