#include "search/worker_protocol.hpp"

#include <exception>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "search/trial_json.hpp"

namespace codse {

std::string job_message(std::size_t slot, const EvaluationJob& job) {
  return nlohmann::json{{"slot", slot}, {"job", job_to_json(job)}}.dump();
}

std::string stop_message() { return nlohmann::json{{"stop", true}}.dump(); }

std::string reply_message(const WorkerReply& reply) {
  nlohmann::json message{{"slot", reply.slot}};
  if (!reply.error.empty()) {
    message["error"] = reply.error;
  } else {
    auto trials = nlohmann::json::array();
    for (const auto& trial : reply.trials) trials.push_back(trial_to_json(trial));
    message["trials"] = std::move(trials);
  }
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

WorkerReply parse_reply(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("slot") || !json.at("slot").is_number_unsigned())
    throw InputError(fmt::format("a worker's reply is not a message of codse's protocol: {:.200}", text));
  WorkerReply reply;
  reply.slot = json.at("slot").get<std::size_t>();
  if (json.contains("error")) {
    reply.error = json.at("error").is_string() ? json.at("error").get<std::string>() : json.at("error").dump();
    return reply;
  }
  if (!json.contains("trials") || !json.at("trials").is_array())
    throw InputError(fmt::format("a worker's reply has neither trials nor an error: {:.200}", text));
  for (const auto& trial : json.at("trials")) reply.trials.push_back(trial_from_json(trial));
  return reply;
}

void serve_jobs(JobEvaluator& evaluator, WorkerLink& link) {
  while (const auto message = link.receive()) {
    const auto json = nlohmann::json::parse(*message, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.contains("stop")) return;
    if (!json.is_object() || !json.contains("slot") || !json.contains("job"))
      throw InputError(fmt::format("a coordinator's message is not a job of codse's protocol: {:.200}", *message));
    WorkerReply reply;
    reply.slot = json.at("slot").get<std::size_t>();
    try {
      reply.trials = evaluator.evaluate(job_from_json(json.at("job")));
    } catch (const std::exception& error) {
      reply.error = error.what();
    }
    throw_if_interrupted();  // the coordinator abandons a job whose worker was stopped
    link.send(reply_message(reply));
  }
}

}  // namespace codse
