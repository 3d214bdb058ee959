#pragma once
// The study document "test_error" of a co-exploration: the held-out test error of each design of
// its final front, {"<trial number>": error, ...}, measured once at the end of the run
// (explore/front_test_error.hpp writes it; the report and the trials table read it). The search
// itself only sees validation errors, so this is the one place a test-set number appears.

#include <cstddef>
#include <map>

namespace codse {

class StudyJournal;

/// The document's key.
inline constexpr const char* test_error_key = "test_error";

/// Test error by trial number (empty when the study has no such document). Throws InputError
/// naming the store, study and entry when it is not an object of trial numbers mapped to numbers.
std::map<std::size_t, double> read_test_error(const StudyJournal& journal);

/// Replaces the document with values.
void write_test_error(StudyJournal& journal, const std::map<std::size_t, double>& values);

}  // namespace codse
