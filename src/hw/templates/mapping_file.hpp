#pragma once
// Mapping files (docs/MAPPING.md): JSON with the template, the clock, the off-chip bandwidth and
// one entry per layer with weights. The template's own parallelism knobs are written (pe and
// simd for folded, reuse for unrolled); a template's former name ("dataflow_folded") is read as
// the template.

#include <string>
#include <string_view>

#include "hw/model/mapping.hpp"

namespace codse::hw {

/// Reads a mapping file; throws InputError naming the file and the field.
Mapping load_mapping(const std::string& path);
/// Parses mapping text; source names it in messages.
Mapping parse_mapping(std::string_view text, const std::string& source);
/// The "network" field of a mapping file (the network it was written for; informative, as
/// layers are matched by name); empty when absent. Throws as load_mapping for a bad file.
std::string mapping_file_network(const std::string& path);
/// The file text: one layer per line, readable and diffable.
std::string mapping_json_text(const Mapping& mapping);
/// Writes the file atomically (write_file_atomically: a full disk never leaves half a mapping).
void save_mapping(const Mapping& mapping, const std::string& path);

}  // namespace codse::hw
