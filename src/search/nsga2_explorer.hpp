#pragma once
// NSGA-II over a candidate pool.
//
// Follows Deb, Pratap, Agarwal and Meyarivan, "A fast and elitist multiobjective genetic
// algorithm: NSGA-II", IEEE Transactions on Evolutionary Computation 6(2), 2002: a population of
// N parents; children bred by binary tournament on (non-domination rank, then crowding distance),
// crossover and mutation; the next parents are the best N of parents and children together by
// fast non-dominated sorting, the last front admitted cut by crowding distance (elitism).
//
// Genes are knob value indices (position of each value in its knob's ascending domain).
// Crossover is uniform per knob (each knob swapped between the two children with probability 1/2),
// applied with probability crossover_probability; mutation moves each knob, with probability
// 1/dimension, to a neighbouring value of its domain. A tournament pair yields two children; the
// second is kept for the next draw.
//
// Deviations from the paper, and why:
// - Repair to the pool. Pool designs need not form a full Cartesian grid (the HLS tables do not)
//   and a design must never be evaluated twice, so a child that is not an open candidate (not in
//   the pool, already evaluated, or pending) is replaced by the nearest open candidate in
//   CandidatePool::features() space (Euclidean; exact ties broken at random). Children of
//   evaluated parents therefore land on unevaluated neighbours, which keeps selection pressure
//   where the paper's duplicates would have wasted evaluations.
// - Generations of any size. ask(n) breeds children on demand, so batches of any n work. A
//   generation closes once at least N children were asked and every child asked was told; if a
//   batch asks for more than N, the generation simply has more children (still (N + lambda)
//   selection). The first generation is N random candidates (or more, likewise).
// - Failed trials (infeasible designs) rank behind every front, with crowding distance 0.
// - Children told that were never asked (warm start) join the current generation.
// Deterministic for a seed: std::mt19937_64 with hand-written draws (no std distributions).
//
// The default population is small (N = 10) because evaluations are expensive and budgets are a
// few hundred at most: on the eight HLS tables at 10% of each table (10 seeds), the mean krg ADRS
// was 2.1% with N = 10 against 3.5% with N = 20 (random sampling: 21.2%); at 5%, 5.5% against 8.5%.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "search/explorer.hpp"
#include "search/observations.hpp"

namespace codse {

struct Nsga2Options {
  std::size_t population_size = 10;  ///< N; capped at the pool size (see the note above)
  double crossover_probability = 0.9;
};

class Nsga2Explorer final : public Explorer {
 public:
  explicit Nsga2Explorer(const ExplorerSetup& setup, Nsga2Options options = {});

  std::string_view name() const override { return "nsga2"; }
  std::vector<Design> ask(std::size_t n) override;
  void tell(const Trial& trial) override;
  bool done() const override { return observations_.open_count() == 0; }

  std::size_t population_size() const { return population_size_; }
  /// Generations closed so far (environmental selections made).
  std::size_t generation() const { return generation_; }
  /// Candidate indices of the current parents, best first (empty in the first generation).
  std::vector<std::size_t> parents() const;

 private:
  struct Member {
    std::size_t candidate;
    std::size_t rank;  ///< 0 = first non-dominated front; failed trials after the last front
    double crowding;
  };
  using Genes = std::vector<std::size_t>;

  std::size_t next_candidate();
  std::size_t random_open_candidate();
  Genes breed();
  const Member& tournament();
  void mutate(Genes& genes);
  std::size_t nearest_open_candidate(const Genes& genes);
  void close_generation();
  std::vector<Member> ranked(const std::vector<std::size_t>& candidates) const;

  std::uint64_t draw_below(std::uint64_t bound) { return rng_() % bound; }
  double draw_unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }

  Observations observations_;
  Nsga2Options options_;
  std::size_t population_size_;
  std::mt19937_64 rng_;
  std::vector<Genes> genes_;                        ///< per candidate
  std::vector<std::vector<double>> knob_features_;  ///< per knob, per value index
  std::vector<std::size_t> complete_row_;           ///< per candidate, its row in observations
  std::vector<Member> parents_;
  std::vector<std::size_t> children_;  ///< candidates of the current generation, asked or told
  std::size_t children_told_ = 0;
  std::optional<Genes> spare_child_;
  std::size_t generation_ = 0;
};

}  // namespace codse
