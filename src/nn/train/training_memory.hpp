#pragma once
// What training a network takes in memory, estimated before any allocation, so a network far too
// large for the machine (a 100,000 x 100,000 layer is 40 GB of weights alone) is refused with a
// message naming the network and the limit instead of a libtorch allocator failure.

#include <cstddef>
#include <cstdint>

#include "nn/ir/network.hpp"
#include "nn/train/train_options.hpp"

namespace codse::nn {

/// A lower bound on the bytes training needs: every parameter as weight, gradient, the two Adam
/// moments, the fake-quantized copy and the mask (6 floats); one batch of activations kept for the
/// backward pass (output, fake-quantized output and gradient per layer output element); the
/// training and validation samples as tensors.
std::uint64_t training_memory_bytes(const Network& network, const TrainOptions& options, std::size_t samples);

/// Throws InputError when training_memory_bytes exceeds what the process may still allocate
/// (core/memory_limit.hpp), naming the network, both amounts and the limit's source.
void check_training_memory(const Network& network, const TrainOptions& options, std::size_t samples);

}  // namespace codse::nn
