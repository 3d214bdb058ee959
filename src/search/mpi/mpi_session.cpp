#include "search/mpi/mpi_session.hpp"

#include <mpi.h>

#include <cstdlib>

namespace codse {
namespace {

bool initialised = false;
int world_rank = 0;
int world_size = 1;

bool started_by_a_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(name)) return true;
  return false;
}

}  // namespace

void MpiSession::start(int* argc, char*** argv) {
  if (initialised || !started_by_a_launcher()) return;
  int provided = 0;
  // Only the main thread calls MPI; training threads never do.
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  initialised = true;
}

void MpiSession::finish() {
  if (!initialised) return;
  initialised = false;
  MPI_Finalize();
}

bool MpiSession::active() { return initialised && world_size > 1; }
int MpiSession::rank() { return world_rank; }
int MpiSession::size() { return world_size; }

}  // namespace codse
