#include "search/mpi/mpi_executor.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "core/interrupt.hpp"
#include "search/mpi/mpi_messages.hpp"
#include "search/mpi/mpi_session.hpp"

namespace codse {

MpiExecutor::MpiExecutor() {
  if (!MpiSession::active() || MpiSession::rank() != 0)
    throw std::logic_error("an MpiExecutor runs on rank 0 of several MPI ranks");
  busy_.resize(static_cast<std::size_t>(MpiSession::size() - 1));
}

MpiExecutor::~MpiExecutor() {
  // An idle rank reads the stop message at once; one abandoned after a signal was stopped by the
  // same signal (the launcher forwards it) or reads it once its evaluation is over.
  for (std::size_t worker = 0; worker < busy_.size(); ++worker)
    mpi::send_text(stop_message(), static_cast<int>(worker + 1), mpi::job_tag);
}

std::vector<Executor::Outcome> MpiExecutor::run(const std::vector<EvaluationJob>& jobs, const Finished& finished) {
  std::vector<Outcome> outcomes(jobs.size());
  const auto order = start_order(jobs);
  std::size_t next = 0;  // into order
  std::size_t running = 0;
  const auto assign = [&](std::size_t worker) {
    if (next >= jobs.size() || interrupted()) return;
    const auto job = order[next++];
    mpi::send_text(job_message(job, jobs[job]), static_cast<int>(worker + 1), mpi::job_tag);
    busy_[worker] = job;
    ++running;
  };
  for (std::size_t worker = 0; worker < busy_.size(); ++worker) assign(worker);
  while (running > 0) {
    const auto message = mpi::receive_text(mpi::any_rank, mpi::reply_tag);
    if (!message) return outcomes;  // SIGINT/SIGTERM: the running evaluations are abandoned
    const auto worker = static_cast<std::size_t>(message->second - 1);
    auto reply = parse_reply(message->first);
    if (worker >= busy_.size() || busy_[worker] != reply.slot)
      throw std::runtime_error(fmt::format("MPI rank {} answered for a job it was not given", message->second));
    if (!reply.error.empty())
      throw std::runtime_error(fmt::format("MPI rank {} could not evaluate trial {}: {}", message->second,
                                           jobs[reply.slot].number, reply.error));
    busy_[worker].reset();
    --running;
    outcomes[reply.slot] = std::move(reply.trials);
    assign(worker);  // the rank starts its next job while this one is recorded and told
    finished(reply.slot, *outcomes[reply.slot]);
  }
  return outcomes;
}

std::optional<std::string> MpiWorkerLink::receive() {
  auto message = mpi::receive_text(0, mpi::job_tag);
  if (!message) return std::nullopt;
  return std::move(message->first);
}

void MpiWorkerLink::send(const std::string& message) { mpi::send_text(message, 0, mpi::reply_tag); }

}  // namespace codse
