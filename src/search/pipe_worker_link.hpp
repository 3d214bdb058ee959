#pragma once
// The worker side of a ProcessPoolExecutor: messages in on file descriptor 3, out on 4 (the
// descriptors the executor gives its workers; stdout stays free for whatever the command prints).

#include <optional>
#include <string>

#include "search/line_buffer.hpp"
#include "search/worker_protocol.hpp"

namespace codse {

class PipeWorkerLink final : public WorkerLink {
 public:
  static constexpr int jobs_fd = 3;
  static constexpr int replies_fd = 4;
  /// Throws InputError when the descriptors are not open (the command was not started by an executor).
  PipeWorkerLink();
  std::optional<std::string> receive() override;
  void send(const std::string& message) override;

 private:
  LineBuffer buffer_;
};

/// Writes all of text to fd, retrying short writes and EINTR; throws std::runtime_error (with
/// strerror) when the other end has gone.
void write_all(int fd, const std::string& text);

}  // namespace codse
