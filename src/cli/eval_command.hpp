#pragma once

#include <CLI/CLI.hpp>

namespace codse {

/// `codse eval`: the accuracy of a network with its weights on a dataset (the reference forward
/// and the integer model), with codse train's dataset names, split and input normalisation.
void add_eval_command(CLI::App& app);

}  // namespace codse
