#pragma once
// Divisors of a whole number: the legal lane counts of a folded layer, reuse factors, ...

#include <cstdint>
#include <vector>

namespace codse {

/// Positive divisors of n in ascending order (none for n < 1).
std::vector<int> divisors(std::int64_t n);

}  // namespace codse
