#pragma once
// The Explorer interface: an explorer chooses the designs to evaluate, with ask/tell (what Optuna
// calls a sampler). An explorer never evaluates anything itself, so the same explorer runs inline,
// on threads or across machines, and a study resumes it by replaying stored trials: explorers are
// deterministic functions of their seed and of the trials told, in order. The registered
// explorers and their options: explorer_registry.hpp.

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

class ExplorerOptions;  // search/explorer_options.hpp

/// Names of the registered explorers (search/explorer_registry.hpp), in the order the CLI lists them.
const std::vector<std::string>& explorer_names();
/// The explorer registered as name, with its default options. Throws InputError listing
/// explorer_names() if name is unknown.
std::unique_ptr<Explorer> make_explorer(std::string_view name, const ExplorerSetup& setup);
/// The same with options by name, checked against the explorer's declared options: InputError
/// names an unknown key (listing the known ones) or an ill-typed or out-of-range value.
std::unique_ptr<Explorer> make_explorer(std::string_view name, const ExplorerSetup& setup,
                                        const ExplorerOptions& options);

}  // namespace codse
