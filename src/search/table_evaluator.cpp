#include <stdexcept>

#include <fmt/format.h>

#include "search/evaluator.hpp"

namespace codse {

Metrics TableEvaluator::evaluate(const Design& design) {
  const auto row = table_->find(design);
  if (!row)
    throw std::runtime_error(fmt::format("{}: no row for design {}", table_->path().string(),
                                         table_->space().describe(design)));
  return table_->metrics(*row);
}

}  // namespace codse
