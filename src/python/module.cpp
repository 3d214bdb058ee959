// PYBIND11_MODULE: the compiled half of `import codse`.

#include "python/bindings.hpp"

PYBIND11_MODULE(_codse, m) {
  m.doc() = "codse's C++ library (networks, hardware estimates, mappings, studies, co-exploration). "
            "Import the package `codse`, not this module.";
  codse::python::bind_errors(m);
  codse::python::bind_network(m);
  codse::python::bind_hardware(m);
  codse::python::bind_study(m);
  codse::python::bind_explore(m);
}
