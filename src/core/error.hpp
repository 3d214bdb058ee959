#pragma once
// Error types shared by every module. The command line maps InputError to exit code 2
// (bad usage or bad input) and every other exception to exit code 1 (failure while running).

#include <stdexcept>
#include <string>

namespace codse {

/// Bad input from the user: a file, a column, an option, a field. The message names it.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace codse
