#pragma once
// What the co-exploration asks networks from: an ask/tell Explorer whose Design is a candidate id
// ({id}) and which hands out the NetworkCandidate behind each id (its structure, how it came
// about and how to train it). LemonadeExplorer and RandomNetworkExplorer implement it.

#include <cstddef>
#include <stdexcept>

#include "explore/network_candidate.hpp"
#include "search/explorer.hpp"

namespace codse::explore {

class NetworkExplorer : public Explorer {
 public:
  virtual const NetworkCandidate& candidate(std::size_t id) const = 0;
  const NetworkCandidate& candidate(const Design& design) const {
    if (design.values.size() != 1) throw std::invalid_argument("a network design is {candidate id}");
    return candidate(static_cast<std::size_t>(design.values[0]));
  }
};

}  // namespace codse::explore
