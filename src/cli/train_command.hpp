#pragma once
// `codse train`: train a network file on a dataset (quantization-aware, with the pruning the
// network asks for) and write DIR/weights.bin, DIR/integer_model.json and DIR/metrics.json.

#include <CLI/CLI.hpp>

namespace codse {

/// Adds the train subcommand to app; its callback runs the training.
void add_train_command(CLI::App& app);

}  // namespace codse
