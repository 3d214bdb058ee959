#pragma once
// Grid search, coarse to fine: first the designs whose every knob sits at the ends of its domain,
// then those on the midpoints, then the quarter points, and so on, so that any budget gives an
// evenly spread sample rather than a corner of the space. Ties keep the pool's order. The seed is
// not used: a grid is deterministic by nature.

#include <vector>

#include "search/explorer.hpp"
#include "search/observations.hpp"

namespace codse {

class GridExplorer final : public Explorer {
 public:
  explicit GridExplorer(const ExplorerSetup& setup);
  std::string_view name() const override { return "grid"; }
  std::vector<Design> ask(std::size_t n) override;
  void tell(const Trial& trial) override;
  bool done() const override { return observations_.open_count() == 0; }

  /// Refinement level of position i in a domain of size n: 0 for both ends, 1 for the middle,
  /// 2 for the quarter points, ... (the depth at which bisection first reaches i).
  static unsigned refinement_level(std::size_t i, std::size_t n);

 private:
  Observations observations_;
  std::vector<std::size_t> order_;
  std::size_t next_ = 0;
};

}  // namespace codse
