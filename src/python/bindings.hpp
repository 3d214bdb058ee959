#pragma once
// The Python module codse (its compiled part, codse._codse): one bind_* function per area, each in
// its own file. The pure-Python part (python/codse: from_torch, codse.torch, pandas helpers,
// type stubs) builds on these names; docs/PYTHON.md documents the whole API.

#include <pybind11/pybind11.h>

namespace codse::python {

void bind_errors(pybind11::module_& m);
void bind_network(pybind11::module_& m);
void bind_hardware(pybind11::module_& m);
void bind_study(pybind11::module_& m);
void bind_explore(pybind11::module_& m);

}  // namespace codse::python
