#include "core/output_path.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {
namespace fs = std::filesystem;

namespace {

void require_writable(std::string_view option, const fs::path& path, const fs::path& dir) {
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw InputError(fmt::format("{} {}: cannot write in {} ({})", option, path.string(), dir.string(),
                                 std::strerror(errno)));
}

}  // namespace

void require_writable_file(std::string_view option, const fs::path& path) {
  if (path.empty()) throw InputError(fmt::format("{}: empty path", option));
  std::error_code error;
  if (fs::is_directory(path, error))
    throw InputError(fmt::format("{} {}: is a directory, expected a file", option, path.string()));
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, error))
    throw InputError(fmt::format("{} {}: the directory {} does not exist", option, path.string(), dir.string()));
  require_writable(option, path, dir);
}

void require_writable_directory(std::string_view option, const fs::path& path) {
  if (path.empty()) throw InputError(fmt::format("{}: empty path", option));
  std::error_code error;
  fs::create_directories(path, error);
  if (error || !fs::is_directory(path, error))
    throw InputError(fmt::format("{} {}: cannot create the directory ({})", option, path.string(),
                                 error ? error.message() : std::string("a file of that name exists")));
  require_writable(option, path, path);
}

void require_readable_file(std::string_view option, const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) throw InputError(fmt::format("{} {}: no such file", option, path.string()));
  if (!fs::is_regular_file(path, error))
    throw InputError(fmt::format("{} {}: not a regular file", option, path.string()));
  if (access(path.c_str(), R_OK) != 0)
    throw InputError(fmt::format("{} {}: cannot read it ({})", option, path.string(), std::strerror(errno)));
}

}  // namespace codse
