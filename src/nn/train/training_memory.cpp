#include "nn/train/training_memory.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/memory_limit.hpp"

namespace codse::nn {
namespace {

constexpr double float_bytes = 4.0;
constexpr double copies_per_parameter = 6.0;  // weight, gradient, Adam m and v, fake-quantized, mask
constexpr double copies_per_activation = 3.0; // output, fake-quantized output, gradient

}  // namespace

std::uint64_t training_memory_bytes(const Network& network, const TrainOptions& options, std::size_t samples) {
  // In double: the point is to catch sizes whose byte counts overflow 64-bit products.
  const NetworkStats stats = network.stats();
  double activations = 0.0;
  for (const Shape& shape : network.shapes()) activations += static_cast<double>(shape.size());
  const double input = static_cast<double>(network.shapes().front().size());
  const double batch = std::min<double>(options.batch_size, static_cast<double>(std::max<std::size_t>(samples, 1)));
  const double bytes = float_bytes * (copies_per_parameter * static_cast<double>(stats.params) +
                                      copies_per_activation * activations * batch +
                                      input * static_cast<double>(samples));
  return bytes >= 1.8e19 ? std::uint64_t{18'000'000'000'000'000'000u} : static_cast<std::uint64_t>(bytes);
}

void check_training_memory(const Network& network, const TrainOptions& options, std::size_t samples) {
  const std::uint64_t needed = training_memory_bytes(network, options, samples);
  const MemoryLimit limit = memory_limit();
  if (needed <= limit.bytes) return;
  throw InputError(fmt::format(
      "training network {} needs at least {} of memory ({} parameters, batch {}), but this process may use "
      "{} ({}): make the network smaller, or lower --batch",
      network.name(), format_bytes(static_cast<double>(needed)), network.stats().params, options.batch_size,
      format_bytes(static_cast<double>(limit.bytes)), limit.source));
}

}  // namespace codse::nn
