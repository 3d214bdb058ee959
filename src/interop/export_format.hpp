#pragma once
// The export formats: the only list of what `codse export` can write for one design. Each format
// registers a name (what --format takes), a one-line description, when it applies to a design
// and a writer; the command, its help and the README it writes read this list.
//
// Adding a format (e.g. "onnx", "qonnx"): write src/interop/NAME_export.cpp defining
// `ExportFormat NAME_export_format()` (its writer may call a lower room's, e.g. nn/onnx: add that
// room to interop's line in scripts/check_layers.py and its library to interop's DEPENDS in
// src/CMakeLists.txt), then add NAME to CODSE_EXPORT_FORMATS below. Nothing else changes.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hw/model/device.hpp"
#include "hw/model/mapping.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/network.hpp"
#include "nn/ir/weights.hpp"

namespace codse::interop {

/// One design to export: a trained network, and how hardware computes it when that is known.
struct ExportedDesign {
  nn::Network network;
  nn::Weights weights;
  /// The bit-exact integer model, when the network can be exported to one (fully quantized);
  /// integer_model_error says why not otherwise.
  std::optional<nn::IntegerModel> integer_model;
  std::string integer_model_error;
  std::optional<hw::Mapping> mapping;
  std::optional<hw::Device> device;  ///< the target, when known (a study's trial names it)
  std::string source;                ///< where the design came from, in words (for the README)
  /// The `codse eval` options that evaluate it on the data it was trained on (a study's dataset,
  /// split fractions and seed), or empty when unknown.
  std::string eval_options;
};

struct ExportFormat {
  std::string name;
  std::string description;  ///< one line, for help texts and the README
  /// The files it writes, relative to the export directory (for help and the README).
  std::vector<std::string> files;
  /// Why the format cannot be written for this design (e.g. FINN's config needs a folded
  /// mapping), or empty when it can.
  std::function<std::string(const ExportedDesign&)> why_not;
  /// Writes the format's files into dir (which exists), each atomically.
  std::function<void(const ExportedDesign&, const std::filesystem::path& dir)> write;
};

/// For a writer that cannot write atomically itself: it writes a temporary beside the file, which
/// is then renamed over it, so a stopped export never leaves half a file under the final name.
template <class Save>
void save_through_temporary(const std::filesystem::path& path, Save save) {
  const auto temporary = path.string() + ".tmp";
  save(temporary);
  std::filesystem::rename(temporary, path);
}

/// Every registered format, in the order of CODSE_EXPORT_FORMATS (the order files are written).
const std::vector<ExportFormat>& export_formats();
/// The format registered as name, or nullptr.
const ExportFormat* find_export_format(std::string_view name);
/// The format registered as name; throws InputError "unknown export format 'NAME' (known: ...)".
const ExportFormat& export_format(std::string_view name);
/// The registered names joined by ", " (for messages and help).
std::string export_format_names();

// The registered formats, in the order they are written. NAME's entry is NAME_export_format(),
// defined in NAME_export.cpp. This line is the registration: add a name here, nothing else.
#define CODSE_EXPORT_FORMATS(X) \
  X(network) X(weights) X(integer_model) X(mapping) X(onnx) X(qonnx) X(finn) X(hls4ml) X(readme)

#define CODSE_DECLARE_EXPORT_FORMAT(name) ExportFormat name##_export_format();
CODSE_EXPORT_FORMATS(CODSE_DECLARE_EXPORT_FORMAT)
#undef CODSE_DECLARE_EXPORT_FORMAT

}  // namespace codse::interop
