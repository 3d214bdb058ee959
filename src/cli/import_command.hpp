#pragma once
// `codse import MODEL.onnx --out DIR`: an ONNX model (float, QCDQ or QONNX) as DIR/network.json,
// DIR/weights.bin and, for a quantized model, DIR/integer_model.json, ready for every other command.

#include <CLI/CLI.hpp>

namespace codse {

/// Adds the import subcommand to app.
void add_import_command(CLI::App& app);

}  // namespace codse
