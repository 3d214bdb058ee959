#pragma once
// The seeds of one network's trial, derived from the study's seed and the candidate's id, so each
// trial draws the same numbers whatever ran before it (a resumed or extended study included).

#include <cstddef>
#include <cstdint>
#include <optional>

namespace codse::explore {

/// The seed of candidate_id's training and hardware flow; with a stream, the seed of one of its
/// per-device draws (the random strategy's mappings on device `stream`).
constexpr std::uint64_t trial_seed(std::uint64_t study_seed, std::size_t candidate_id,
                                   std::optional<std::size_t> stream = std::nullopt) {
  const std::uint64_t seed = study_seed * 1'000'003 + candidate_id;
  return stream ? seed * 31 + *stream : seed;
}

}  // namespace codse::explore
