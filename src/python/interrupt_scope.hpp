#pragma once
// Ctrl-C during a long call into codse (a co-exploration, a mapping search): Python's own SIGINT
// handler only sets a flag its interpreter checks between bytecodes, which never run while C++
// works. For the length of the call codse's handlers (core/interrupt.hpp) are installed instead:
// the loops stop between units of work, the store keeps what finished, and the Interrupted they
// throw becomes KeyboardInterrupt. Python's handlers are put back when the call returns.

#include <csignal>

namespace codse::python {

class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

}  // namespace codse::python
