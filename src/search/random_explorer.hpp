#pragma once
// Random sampling without replacement: the baseline every other explorer is measured against.

#include <vector>

#include "search/explorer.hpp"
#include "search/observations.hpp"

namespace codse {

class RandomExplorer final : public Explorer {
 public:
  explicit RandomExplorer(const ExplorerSetup& setup);
  std::string_view name() const override { return "random"; }
  std::vector<Design> ask(std::size_t n) override;
  void tell(const Trial& trial) override;
  bool done() const override { return observations_.open_count() == 0; }

 private:
  Observations observations_;
  std::vector<std::size_t> order_;  ///< a seeded permutation of the pool
  std::size_t next_ = 0;
};

}  // namespace codse
