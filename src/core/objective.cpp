#include "core/objective.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse {

Objective Objective::parse(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    throw InputError(fmt::format("objective '{}': expected NAME:min or NAME:max", text));
  const auto sense = text.substr(colon + 1);
  Objective objective{std::string(text.substr(0, colon)), Sense::minimize};
  if (sense == "max")
    objective.sense = Sense::maximize;
  else if (sense != "min")
    throw InputError(fmt::format("objective '{}': sense '{}' is neither min nor max", text, sense));
  return objective;
}

std::string Objective::to_string() const {
  return metric + (sense == Sense::minimize ? ":min" : ":max");
}

MetricBound MetricBound::parse(std::string_view text) {
  for (const std::string_view op : {"<=", ">="}) {
    const auto at = text.find(op);
    if (at == std::string_view::npos || at == 0) continue;
    const auto number = text.substr(at + 2);
    MetricBound bound{std::string(text.substr(0, at)), 0.0, op == "<="};
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), bound.bound);
    if (ec != std::errc() || end != number.data() + number.size())
      throw InputError(fmt::format("constraint '{}': '{}' is not a number", text, number));
    if (!std::isfinite(bound.bound))
      throw InputError(fmt::format("constraint '{}': the bound must be a finite number", text));
    return bound;
  }
  throw InputError(fmt::format("constraint '{}': expected NAME<=VALUE or NAME>=VALUE", text));
}

std::string MetricBound::to_string() const {
  return fmt::format("{}{}{}", metric, upper ? "<=" : ">=", bound);
}

void require_distinct_objectives(const std::vector<Objective>& objectives, std::string_view where) {
  for (std::size_t i = 0; i < objectives.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (objectives[i].metric == objectives[j].metric)
        throw InputError(fmt::format("{}: the metric {} is an objective twice ({} and {})", where,
                                     objectives[i].metric, objectives[j].to_string(), objectives[i].to_string()));
}

}  // namespace codse
