#pragma once
// The study a command reads from a store: the one --study names, or the store's only study.

#include <string>

#include "store/store.hpp"

namespace codse {

/// The named study, or the only one in the store; several without a name is an InputError that
/// lists them (so the user can pick with --study), none an InputError naming the store.
StudyJournal chosen_study(const Store& store, const std::string& name);

/// The store at path opened read-only (nothing created, upgraded or written); InputError naming
/// `option` and the path when there is no such file.
Store read_only_store(const std::string& option, const std::string& path);

}  // namespace codse
