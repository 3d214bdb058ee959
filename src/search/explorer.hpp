#pragma once
// The Explorer interface: a search strategy with ask/tell (as Optuna's samplers). An explorer
// never evaluates anything itself, so the same explorer runs inline, on threads or across
// machines, and a study resumes it by replaying stored trials: explorers are deterministic
// functions of their seed and of the trials told, in order.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/design.hpp"
#include "core/objective.hpp"
#include "core/trial.hpp"
#include "search/candidate_pool.hpp"

namespace codse {

class Explorer {
 public:
  virtual ~Explorer() = default;
  virtual std::string_view name() const = 0;
  /// Up to n designs to evaluate next, none asked before. Fewer (or none) when the explorer has
  /// nothing more worth evaluating. Designs asked and not yet told are "pending".
  virtual std::vector<Design> ask(std::size_t n) = 0;
  /// The result of a design asked earlier. Failed trials are told too (the design is then
  /// known to be infeasible).
  virtual void tell(const Trial& trial) = 0;
  /// True when the explorer has decided to stop by itself (self-stopping explorers).
  virtual bool done() const = 0;
};

/// What every explorer is built from.
struct ExplorerSetup {
  const CandidatePool* pool = nullptr;
  std::vector<Objective> objectives;
  std::uint64_t seed = 0;
};

/// Names accepted by make_explorer, in the order the CLI lists them.
const std::vector<std::string>& explorer_names();
/// Throws InputError listing explorer_names() if name is unknown.
std::unique_ptr<Explorer> make_explorer(std::string_view name, const ExplorerSetup& setup);

}  // namespace codse
