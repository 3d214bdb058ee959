#pragma once
// The bookkeeping every pool explorer shares: which candidates are evaluated, pending or failed,
// and the objective values told so far in minimisation form.

#include <cstddef>
#include <vector>

#include <Eigen/Core>

#include "core/objective.hpp"
#include "core/trial.hpp"
#include "search/candidate_pool.hpp"

namespace codse {

class Observations {
 public:
  Observations(const CandidatePool& pool, std::vector<Objective> objectives);

  const CandidatePool& pool() const { return *pool_; }
  const std::vector<Objective>& objectives() const { return objectives_; }
  std::size_t objective_count() const { return objectives_.size(); }

  /// Marks candidate i as asked and not yet told.
  void mark_pending(std::size_t i);
  /// Records a told trial; returns its candidate index. Throws std::invalid_argument if the design
  /// is not in the pool, and InputError naming the metric if a complete trial lacks an objective.
  std::size_t record(const Trial& trial);

  bool is_pending(std::size_t i) const { return state_[i] == State::pending; }
  bool is_told(std::size_t i) const { return state_[i] == State::told || state_[i] == State::failed; }
  bool is_failed(std::size_t i) const { return state_[i] == State::failed; }
  /// Neither told nor pending.
  bool is_open(std::size_t i) const { return state_[i] == State::open; }
  std::size_t open_count() const { return open_count_; }

  /// Candidate indices of the complete trials, in the order they were told.
  const std::vector<std::size_t>& complete() const { return complete_; }
  /// complete().size() x objective_count() matrix of minimised objective values, rows in the
  /// order of complete().
  Eigen::MatrixXd values() const;
  /// Minimised objective values of the k-th complete trial.
  const std::vector<double>& value(std::size_t k) const { return values_[k]; }

 private:
  enum class State : unsigned char { open, pending, told, failed };
  const CandidatePool* pool_;
  std::vector<Objective> objectives_;
  std::vector<State> state_;
  std::size_t open_count_ = 0;
  std::vector<std::size_t> complete_;
  std::vector<std::vector<double>> values_;
};

}  // namespace codse
