#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {
namespace {

std::string errno_text(int error) { return std::generic_category().message(error); }

/// Unique among the processes (pid) and the threads of this one (counter) writing the same path.
std::filesystem::path temporary_name(const std::filesystem::path& path) {
  static std::atomic<unsigned long> counter{0};
  auto temporary = path;
  temporary += fmt::format(".tmp.{}.{}", static_cast<long>(::getpid()), counter.fetch_add(1));
  return temporary;
}

/// Removes the temporary on every path out of write_file_atomically but success.
class Temporary {
 public:
  Temporary(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  const std::filesystem::path& path() const { return path_; }
  int fd() const { return fd_; }
  /// Closes the file; returns errno, 0 on success.
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }
  void commit() { committed_ = true; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Creates a fresh temporary next to path; throws InputError when the directory does not take it.
Temporary create_temporary(const std::filesystem::path& path) {
  for (;;) {
    auto name = temporary_name(path);
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return Temporary(std::move(name), fd);
    const int error = errno;
    if (error == EINTR || error == EEXIST) continue;  // EEXIST: a killed process's leftover, same pid
    throw InputError(fmt::format("{}: cannot create a file in {}: {}", path.string(),
                                 path.parent_path().empty() ? "." : path.parent_path().string(),
                                 errno_text(error)));
  }
}

[[noreturn]] void fail(const std::filesystem::path& path, const char* step, int error) {
  throw std::runtime_error(fmt::format("{}: {} failed: {}", path.string(), step, errno_text(error)));
}

/// Syncs the directory holding path so that a rename into it is durable. Best effort: some
/// file systems refuse fsync on a directory (EINVAL), which is not an error of the write.
void sync_directory(const std::filesystem::path& path) {
  const auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  if (path.empty()) throw InputError("write_file_atomically: the path is empty");
  Temporary temporary = create_temporary(path);
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const auto written = ::write(temporary.fd(), data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(path, "writing", errno);
    }
    if (written == 0) fail(path, "writing", EIO);
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (::fsync(temporary.fd()) != 0) fail(path, "flushing to disk (fsync)", errno);
  if (const int error = temporary.close(); error != 0) fail(path, "closing", error);
  if (::rename(temporary.path().c_str(), path.c_str()) != 0) fail(path, "renaming the temporary into place", errno);
  temporary.commit();
  sync_directory(path);
}

}  // namespace codse
