#include "python/interrupt_scope.hpp"

#include "core/interrupt.hpp"

namespace codse::python {

InterruptScope::InterruptScope() {
  sigaction(SIGINT, nullptr, &previous_int_);
  sigaction(SIGTERM, nullptr, &previous_term_);
  set_interrupt_for_testing(0);  // a signal of an earlier call is spent
  install_interrupt_handlers();
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
}

}  // namespace codse::python
