#pragma once
// The joint objectives of a co-exploration as points for fronts and hypervolumes: error (or
// accuracy) as it is, hardware metrics through log10, every one in minimisation form. The log
// makes a factor of 10 in LUTs or latency count the same wherever it happens, which is how the
// front spans orders of magnitude of hardware cost.

#include <optional>
#include <vector>

#include "core/objective.hpp"
#include "core/trial.hpp"

namespace codse::explore {

class JointSpace {
 public:
  explicit JointSpace(std::vector<Objective> objectives);
  const std::vector<Objective>& objectives() const { return objectives_; }

  /// The point of a complete trial; none when a metric is missing or not finite.
  std::optional<std::vector<double>> point(const Trial& trial) const;
  /// Indices (into trials) of the complete trials on the Pareto front, ascending.
  std::vector<std::size_t> front(const std::vector<Trial>& trials) const;
  /// The hypervolume reference: error 1 (accuracy 0), each hardware metric one decade worse than
  /// the worst of the given trials (the starting networks' designs).
  std::vector<double> reference(const std::vector<Trial>& first) const;
  /// Hypervolume of the trials' points against reference.
  double hypervolume(const std::vector<Trial>& trials, const std::vector<double>& reference) const;

 private:
  std::vector<Objective> objectives_;
};

}  // namespace codse::explore
