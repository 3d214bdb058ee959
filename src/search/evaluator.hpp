#pragma once
// An Evaluator turns a design into metrics: a table lookup, a training run, an analytic
// estimate, a synthesis. It is the only place where designs are evaluated.

#include "core/design.hpp"
#include "core/table_space.hpp"
#include "core/trial.hpp"

namespace codse {

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  /// Metrics of the design. Throwing marks the trial failed with the exception's message.
  virtual Metrics evaluate(const Design& design) = 0;
};

/// Looks designs up in an exhaustively evaluated table (benchmarking explorers on real data).
class TableEvaluator final : public Evaluator {
 public:
  explicit TableEvaluator(const TableSpace& table) : table_(&table) {}
  Metrics evaluate(const Design& design) override;

 private:
  const TableSpace* table_;
};

}  // namespace codse
