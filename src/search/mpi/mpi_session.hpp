#pragma once
// MPI for the length of codse's main. codse started by mpirun or srun (several ranks) initialises
// MPI; rank 0 runs the study and owns the store, every other rank evaluates the jobs it is sent
// (MpiExecutor, MpiWorkerLink). Started any other way, codse never touches MPI, so a plain run
// needs no MPI runtime configuration.

namespace codse {

class MpiSession {
 public:
  /// Initialises MPI when the environment says a launcher started this process as one of its
  /// ranks (OMPI_COMM_WORLD_SIZE from mpirun, PMIX_RANK / PMI_RANK from srun).
  static void start(int* argc, char*** argv);
  /// MPI_Finalize when start initialised it (every rank must reach it).
  static void finish();
  /// Initialised and more than one rank.
  static bool active();
  static int rank();
  static int size();
};

}  // namespace codse
