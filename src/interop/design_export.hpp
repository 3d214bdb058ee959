#pragma once
// Writing one design into an export directory: which formats (export_format.hpp), checked before
// anything is written, then each format's files.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "interop/export_format.hpp"

namespace codse::interop {

/// A design from its parts; exports its integer model when the network is fully quantized
/// (otherwise integer_model_error says why not).
ExportedDesign make_exported_design(nn::Network network, nn::Weights weights, std::optional<hw::Mapping> mapping,
                                    std::optional<hw::Device> device, std::string source);

/// The named formats, each of which must exist and apply to the design (InputError naming the
/// format and why not, under `option`), or, when names is empty, every format that applies.
std::vector<const ExportFormat*> chosen_formats(const ExportedDesign& design, const std::vector<std::string>& names,
                                                const std::string& option);

/// Creates dir (InputError naming it and `option` when it is a file or cannot be created) and
/// writes each format's files into it; returns the files written, relative to dir.
std::vector<std::string> export_design(const ExportedDesign& design, const std::filesystem::path& dir,
                                       const std::vector<const ExportFormat*>& formats, const std::string& option);

}  // namespace codse::interop
