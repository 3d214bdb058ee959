#include "search/mpi/mpi_messages.hpp"

#include <mpi.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/interrupt.hpp"

namespace codse::mpi {

void send_text(const std::string& text, int rank, int tag) {
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) throw std::length_error("an MPI message of more than 2 GB");
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, rank, tag, MPI_COMM_WORLD);
}

std::optional<std::pair<std::string, int>> receive_text(int rank, int tag) {
  const int source = rank == any_rank ? MPI_ANY_SOURCE : rank;
  MPI_Status status;
  int flag = 0;
  auto pause = std::chrono::microseconds(20);
  while (true) {
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &status);
    if (flag) break;
    if (interrupted()) return std::nullopt;
    std::this_thread::sleep_for(pause);
    // Answers that come at once are picked up at once; a long evaluation is polled every 2 ms.
    pause = std::min(pause * 2, std::chrono::microseconds(2000));
  }
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string text(static_cast<std::size_t>(count), '\0');
  MPI_Recv(text.data(), count, MPI_CHAR, status.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return std::pair{std::move(text), status.MPI_SOURCE};
}

}  // namespace codse::mpi
