// Exceptions: codse's InputError (bad input, the CLI's exit 2) is codse.InputError, a ValueError;
// an interruption (Ctrl-C inside a long call) is KeyboardInterrupt; every other failure is a
// RuntimeError with the same message the command line prints.

#include <pybind11/pybind11.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "python/bindings.hpp"

namespace py = pybind11;

namespace codse::python {

void bind_errors(py::module_& m) {
  static py::exception<InputError> input_error(m, "InputError", PyExc_ValueError);
  input_error.doc() = "Bad input (a file, a field, an argument): the message names it and says what was expected. "
                      "A ValueError, so `except ValueError` catches it.";
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const InputError& e) {
      input_error(e.what());
    } catch (const Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, ("codse stopped on " + e.signal_name()).c_str());
    }
  });
}

}  // namespace codse::python
