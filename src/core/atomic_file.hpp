#pragma once
// Writing a whole file so that readers see either the old file or the new one, never a half
// written one: after a kill, a crash or a full disk the old file (or no file) is still there.
//
// write_file_atomically writes the content to a fresh temporary in the same directory (so the
// rename stays on one file system), checks every write, flushes it to disk (fsync), closes it
// (checking close too: NFS reports write errors there) and renames it over the path; then it
// syncs the directory so the rename itself survives a power cut. On any failure it removes the
// temporary and throws, naming the path and the system's reason (errno text).

#include <filesystem>
#include <string_view>

namespace codse {

/// Replaces (or creates) path with content. The new file has mode 0666 minus the umask, as a
/// file std::ofstream creates. Throws InputError when the temporary cannot be created (the
/// directory is missing or not writable: usually a bad output path from the user) and
/// std::runtime_error when writing, syncing or renaming fails (e.g. a full disk); either way the
/// old file at path is unchanged and no temporary is left behind.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace codse
