#pragma once
// What an IntegerOp's derived fields (shape, exponent, bound, bits) must be, given its parameters
// and its inputs. The exporter fills them with these rules and the model checks them on
// construction, so a model read from a file is as consistent as one just exported.

#include <cstdint>
#include <vector>

#include "nn/integer/integer_model.hpp"

namespace codse::nn {

struct OpDerived {
  Shape shape;
  int scale_log2 = 0;
  std::int64_t min = 0;
  std::int64_t max = 0;
  int bits = 0;
};

/// The derived fields of ops[index]; checks its parameters against its inputs (earlier ops, taken
/// as valid). Throws InputError "op 3 (fc1, dense): weights has 10 values, expected 12".
OpDerived derive_op(const std::vector<IntegerOp>& ops, std::size_t index);

/// derive_op, then records the derived fields in ops[index] (the exporter's way; the shape of a
/// requantize or add op stays as given).
void fill_derived_fields(std::vector<IntegerOp>& ops, std::size_t index);

/// derive_op, then requires the op's recorded derived fields to equal the derived ones.
void check_op(const std::vector<IntegerOp>& ops, std::size_t index);

}  // namespace codse::nn
