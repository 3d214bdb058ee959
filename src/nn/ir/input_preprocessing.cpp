#include "nn/ir/input_preprocessing.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::nn {
namespace {

double per_channel(const std::vector<double>& values, int channel) {
  if (values.size() == 1) return values.front();
  return values.at(static_cast<std::size_t>(channel));
}

void check_count(const std::vector<double>& values, const char* field, int channels, const std::string& context) {
  if (values.size() != 1 && values.size() != static_cast<std::size_t>(channels))
    throw InputError(fmt::format("{}: preprocessing field '{}': expected {} (the input has {} channel{}), got {} values",
                                 context, field, channels == 1 ? "1 value" : fmt::format("1 or {} values", channels),
                                 channels, channels == 1 ? "" : "s", values.size()));
}

}  // namespace

double InputPreprocessing::mean_of(int channel) const { return per_channel(mean, channel); }
double InputPreprocessing::std_of(int channel) const { return per_channel(std, channel); }

void InputPreprocessing::validate(int channels, const std::string& context) const {
  if (!(std::isfinite(scale) && scale > 0))
    throw InputError(fmt::format("{}: preprocessing field 'scale': expected a positive number, got {}", context, scale));
  check_count(mean, "mean", channels, context);
  check_count(std, "std", channels, context);
  for (const double m : mean)
    if (!std::isfinite(m))
      throw InputError(fmt::format("{}: preprocessing field 'mean': expected finite numbers, got {}", context, m));
  for (const double s : std)
    if (!(std::isfinite(s) && s > 0))
      throw InputError(fmt::format("{}: preprocessing field 'std': expected positive numbers, got {}", context, s));
}

}  // namespace codse::nn
