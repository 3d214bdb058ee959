#pragma once
// The held-out test error of the final front, measured once at the end of a co-exploration. The
// search chooses by the validation error (the `error` objective), so the test set never takes part
// in a choice; only the designs it returns are scored on it. Several joint designs share one
// network, so each front network is evaluated once (its weights read back from the artifacts).
// The values are the study document "test_error" (store/test_error_document.hpp), holding exactly
// the front's trials; a resumed run reuses the values stored for a trial (or another trial of the
// same network) instead of evaluating again.

#include <cstddef>
#include <map>
#include <vector>

#include "core/trial.hpp"
#include "explore/explore_context.hpp"
#include "store/study_journal.hpp"

namespace codse::explore {

/// The test error of each front trial (front: indices into trials), by trial number, stored in
/// journal as the document "test_error". Empty (and nothing stored) when the dataset has no test
/// split. Throws what reading the stored document or the weights throws.
std::map<std::size_t, double> measure_front_test_error(const ExploreContext& context, const std::vector<Trial>& trials,
                                                       const std::vector<std::size_t>& front, StudyJournal& journal);

}  // namespace codse::explore
