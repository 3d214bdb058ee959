#pragma once
// epsilon-PAL: active learning of the epsilon-accurate Pareto set of a finite pool of designs.
// Follows Zuluaga, Krause and Püschel, "e-PAL: An Active Learning Approach to the Multi-Objective
// Optimization Problem", JMLR 17 (2016), and PAL (Zuluaga, Sergent, Krause, Püschel, ICML 2013).
//
// Each objective is modelled by an independent Gaussian process over CandidatePool::features().
// Each iteration (one per complete trial told) every remaining design gets an uncertainty box
// Q_t = mu +- sqrt(beta_t) sigma per objective, intersected with its previous box
// (R_t = R_{t-1} ∩ Q_t); an evaluated design's box is its measured value. Then, in minimisation
// form, with lower corner = optimistic and upper corner = pessimistic value:
//   - discarding: an undecided design x is dropped when some other design x' of the pessimistic
//     Pareto set (the non-dominated upper corners) has upper(x') <= lower(x) + eps;
//   - classification: an undecided x becomes Pareto when no other remaining x' has
//     lower(x') <= upper(x) - eps;
// and the next design asked is the unevaluated one in undecided ∪ Pareto with the largest box
// diagonal. The explorer stops when no design is undecided.
//
// Where it deviates from the paper, and why:
//   - Objectives whose told values are all positive are modelled as log(value) (hardware latencies
//     span six orders of magnitude and their effects are multiplicative), so eps is relative: an
//     epsilon of 0.01 means 1%, i.e. log(1.01) in the model. Other objectives are modelled as
//     they are and eps is that fraction of their range among the initial samples.
//   - Hyperparameters are refitted (maximum marginal likelihood, on at most max_fit_points
//     designs) only when the number of observations has grown by refit_growth since the last
//     fit; between refits the posterior is updated incrementally (GpCandidatePosterior).
//   - beta_t = beta_scale * 2 log(k |E| pi^2 t^2 / (6 delta)) with k objectives: the paper's
//     bound with a scale, as in its own experiments (the bound is conservative).
//   - An intersection R_{t-1} ∩ Q_t that is empty (the model changed its mind, e.g. after a
//     refit) is replaced by Q_t for that objective, and a measured value replaces the box.
//   - Once nothing is undecided, the designs classified Pareto but not yet evaluated are asked
//     too (largest box first), when evaluate_predicted_front is set: a study's result is the set
//     of evaluated designs, so a predicted front is only worth something once measured.
//   - Initial samples: a seeded maximin (farthest point) design over the features, started from
//     a random design; the paper leaves the initialisation open.
//   - Batches (ask(n) with n > 1) follow the paper's batch variant: after each pick, the other
//     designs' variances are reduced as if the pick had been observed (a GP's variance does not
//     depend on y), and the next pick uses those boxes. Designs still pending are treated alike.
//   - A failed trial removes its design from the candidates.
// The state is a function of the seed and of the trials told, in order (an iteration runs per
// told trial, not per ask), so replaying a study's trials resumes it exactly.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "learn/gaussian_candidate_posterior.hpp"
#include "search/explorer.hpp"
#include "search/observations.hpp"

namespace codse {

struct EpalOptions {
  double epsilon = 0.01;       ///< relative accuracy per objective (see header comment)
  double delta = 0.05;         ///< confidence parameter of beta_t
  double beta_scale = 1.0 / 9.0;
  /// Designs sampled before the first model; 0 chooses automatically (see initial_sample_count).
  std::size_t initial_samples = 0;
  std::size_t max_fit_points = 256;   ///< hyperparameter fits use a random subset of this size
  double refit_growth = 2.0;          ///< refit when observations grew by this factor
  /// Upper bound of each GP's noise variance relative to the variance of the modelled values.
  double max_noise_ratio = 1.0;
  bool evaluate_predicted_front = true;
};

class EpalExplorer final : public Explorer {
 public:
  enum class Status : unsigned char { undecided, pareto, discarded };

  explicit EpalExplorer(const ExplorerSetup& setup, EpalOptions options = {});
  std::string_view name() const override { return "epal"; }
  std::vector<Design> ask(std::size_t n) override;
  void tell(const Trial& trial) override;
  bool done() const override;

  /// The number of initial samples used for a pool of this size and dimension when
  /// options.initial_samples is 0.
  static std::size_t initial_sample_count(std::size_t pool_size, std::size_t dimension);

  /// Status of every candidate (all undecided before the first model).
  const std::vector<Status>& status() const { return status_; }
  /// Candidates classified Pareto-optimal so far.
  std::vector<std::size_t> predicted_pareto() const;
  std::size_t iteration() const { return iteration_; }
  /// The boxes R_t in model units (see the header comment), candidates x objectives: lower()
  /// holds the optimistic corners, upper() the pessimistic ones. Empty before the first model.
  const Eigen::MatrixXd& lower() const { return lower_; }
  const Eigen::MatrixXd& upper() const { return upper_; }
  /// The GP of objective j (in model units); requires the first model.
  const GpCandidatePosterior& posterior(std::size_t j) const { return posteriors_[j]; }

 private:
  bool model_started() const { return !posteriors_.empty(); }
  std::vector<std::size_t> ask_initial(std::size_t n);
  std::vector<std::size_t> ask_model(std::size_t n);
  void choose_initial_samples(std::size_t count);
  bool ready_to_start() const;
  void start_model();
  void fit_models();
  void choose_transforms();
  double model_value(std::size_t objective, double minimised) const;
  void observe(std::size_t complete_index);
  void iterate();
  void update_boxes(double beta);
  void discard();
  void classify();
  bool has_undecided() const;
  /// The unevaluated designs that may still be asked: open ones in U ∪ P, or only in P once
  /// nothing is undecided.
  std::vector<std::size_t> selectable() const;

  Observations observations_;
  EpalOptions options_;
  std::uint64_t seed_;
  std::size_t fallback_next_ = 0;            ///< next position in fallback_order_
  std::vector<std::size_t> initial_;         ///< the initial samples, in ask order
  std::vector<std::size_t> fallback_order_;  ///< a seeded permutation, when more designs are needed before the model
  std::vector<Status> status_;
  std::vector<bool> log_scale_;              ///< per objective: modelled as log(value)
  Eigen::VectorXd epsilon_;                  ///< per objective, in model units
  std::vector<GpCandidatePosterior> posteriors_;
  std::size_t observed_ = 0;                 ///< complete trials given to the posteriors
  std::size_t fitted_at_ = 0;                ///< observations at the last hyperparameter fit
  std::size_t fits_ = 0;
  std::size_t iteration_ = 0;
  double beta_ = 0.0;
  Eigen::MatrixXd lower_;                    ///< R_t, candidates x objectives
  Eigen::MatrixXd upper_;
};

}  // namespace codse
