#pragma once
// JSON values between C++ (nlohmann) and Python (dict, list, str, float, int, bool, None), through
// Python's json module: these cross the boundary once per call, never in a hot loop.

#include <nlohmann/json.hpp>
#include <pybind11/pybind11.h>

namespace codse::python {

pybind11::object to_python(const nlohmann::ordered_json& value);
pybind11::object to_python(const nlohmann::json& value);
/// InputError naming `what` when the object is not JSON-serialisable.
nlohmann::ordered_json from_python(pybind11::handle object, const char* what);

}  // namespace codse::python
