#pragma once
// The MPI transport of worker_protocol.hpp's messages: text as MPI_CHAR, one tag per direction.
// Waits poll (MPI_Iprobe and a short sleep) instead of blocking in MPI_Recv, because OpenMPI's
// blocking receive spins a core, and a rank waiting for work must leave the cores to the ranks
// that train; polling also lets a wait notice SIGINT/SIGTERM.

#include <optional>
#include <string>

namespace codse::mpi {

inline constexpr int job_tag = 1;
inline constexpr int reply_tag = 2;
inline constexpr int any_rank = -1;

void send_text(const std::string& text, int rank, int tag);
/// The next message with tag from rank (any_rank: from anyone) and the rank it came from, or
/// nothing when SIGINT/SIGTERM arrived first.
std::optional<std::pair<std::string, int>> receive_text(int rank, int tag);

}  // namespace codse::mpi
