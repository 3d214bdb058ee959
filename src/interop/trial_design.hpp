#pragma once
// The design one trial of a co-exploration study (codse explore) recorded: its network and mapping
// from the trial's artifacts, its weights from the artifacts directory beside the store.

#include <cstddef>

#include "interop/export_format.hpp"
#include "store/study_journal.hpp"

namespace codse::interop {

/// The design of trial `number`. InputError naming the store, the study and the trial when the
/// study has no such trial (with the range it has), when the trial recorded no network (a `codse
/// dse` study's trials hold knob values only) or when its weights file is missing.
ExportedDesign trial_design(const StudyJournal& journal, std::size_t number);

}  // namespace codse::interop
