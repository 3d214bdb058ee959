#pragma once
// Checks of the paths a command writes and reads, made before its expensive work starts (a Yosys
// run of 90 s must not end in "cannot write --out"). Each throws InputError naming the option.

#include <filesystem>
#include <string_view>

namespace codse {

/// `option PATH`: an output file. Its directory must exist and be writable, and PATH must not be
/// a directory.
void require_writable_file(std::string_view option, const std::filesystem::path& path);

/// `option PATH`: an output directory, created when missing (with its parents). It must be a
/// writable directory.
void require_writable_directory(std::string_view option, const std::filesystem::path& path);

/// `option PATH`: an input file that must exist, be a regular file and be readable.
void require_readable_file(std::string_view option, const std::filesystem::path& path);

}  // namespace codse
