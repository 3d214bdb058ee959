#include "search/pipe_worker_link.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

PipeWorkerLink::PipeWorkerLink() {
  if (fcntl(jobs_fd, F_GETFD) < 0 || fcntl(replies_fd, F_GETFD) < 0)
    throw InputError("--worker-pipe: file descriptors 3 and 4 are not open; this option is for the worker processes "
                     "codse starts itself (--workers)");
}

std::optional<std::string> PipeWorkerLink::receive() {
  char chunk[65536];
  while (true) {
    if (auto line = buffer_.next_line()) return line;
    const auto got = ::read(jobs_fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return std::nullopt;  // the coordinator has gone
    buffer_.append(chunk, static_cast<std::size_t>(got));
  }
}

void PipeWorkerLink::send(const std::string& message) { write_all(replies_fd, message + '\n'); }

void write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(fmt::format("writing to a worker pipe: {}", std::strerror(errno)));
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace codse
