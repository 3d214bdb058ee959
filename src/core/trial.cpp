#include "core/trial.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/trial_journal.hpp"

namespace codse {
namespace {

constexpr std::array<std::pair<Fidelity, std::string_view>, 6> fidelity_names{{
    {Fidelity::table, "table"},
    {Fidelity::analytic, "analytic"},
    {Fidelity::training, "training"},
    {Fidelity::simulation, "simulation"},
    {Fidelity::synthesis, "synthesis"},
    {Fidelity::place_and_route, "place-and-route"},
}};

}  // namespace

std::string_view to_string(Fidelity fidelity) {
  for (const auto& [value, name] : fidelity_names)
    if (value == fidelity) return name;
  return "unknown";
}

Fidelity fidelity_from_string(std::string_view text) {
  for (const auto& [value, name] : fidelity_names)
    if (name == text) return value;
  throw InputError(fmt::format("unknown fidelity '{}'", text));
}

std::string_view to_string(TrialStatus status) {
  return status == TrialStatus::complete ? "complete" : "failed";
}

TrialStatus trial_status_from_string(std::string_view text) {
  if (text == "complete") return TrialStatus::complete;
  if (text == "failed") return TrialStatus::failed;
  throw InputError(fmt::format("unknown trial status '{}'", text));
}

double Metrics::at(const std::string& name) const {
  const auto it = values.find(name);
  if (it == values.end()) throw InputError(fmt::format("metric {} is missing", name));
  return it->second;
}

std::vector<Trial> MemoryJournal::trials() const { return trials_; }

void MemoryJournal::record(const Trial& trial) {
  for (const auto& known : trials_)
    if (known.number == trial.number)
      throw std::logic_error(fmt::format("trial {} recorded twice", trial.number));
  auto at = trials_.begin();
  while (at != trials_.end() && at->number < trial.number) ++at;
  trials_.insert(at, trial);
}

}  // namespace codse
