#include "search/observations.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

Observations::Observations(const CandidatePool& pool, std::vector<Objective> objectives)
    : pool_(&pool),
      objectives_(std::move(objectives)),
      state_(pool.size(), State::open),
      open_count_(pool.size()) {}

void Observations::mark_pending(std::size_t i) {
  if (state_[i] != State::open)
    throw std::logic_error(fmt::format("candidate {} asked twice", i));
  state_[i] = State::pending;
  --open_count_;
}

std::size_t Observations::record(const Trial& trial) {
  const auto index = pool_->index_of(trial.design);
  if (!index)
    throw std::invalid_argument(fmt::format("trial {}: design {} is not a candidate of this explorer",
                                            trial.number, pool_->space().describe(trial.design)));
  const auto i = *index;
  if (state_[i] == State::told || state_[i] == State::failed)
    throw std::logic_error(fmt::format("trial {}: design told twice", trial.number));
  if (state_[i] == State::open) --open_count_;  // told without being asked: accepted (warm start)
  if (trial.status == TrialStatus::failed) {
    state_[i] = State::failed;
    return i;
  }
  std::vector<double> y;
  for (const auto& objective : objectives_)
    y.push_back(objective.minimised(trial.metrics.at(objective.metric)));
  state_[i] = State::told;
  complete_.push_back(i);
  values_.push_back(std::move(y));
  return i;
}

Eigen::MatrixXd Observations::values() const {
  Eigen::MatrixXd y(static_cast<Eigen::Index>(values_.size()),
                    static_cast<Eigen::Index>(objectives_.size()));
  for (std::size_t r = 0; r < values_.size(); ++r)
    for (std::size_t c = 0; c < objectives_.size(); ++c)
      y(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = values_[r][c];
  return y;
}

}  // namespace codse
