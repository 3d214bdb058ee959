#pragma once
// Network files: JSON (read and written) and YAML (read; for networks people write by hand),
// both of the one schema documented in docs/FORMATS.md, "Network files". Unknown and ill-typed
// fields are InputErrors naming the file, the layer and the field; a network that parses but is
// not valid (shapes, bit widths, names) fails in the Network constructor, prefixed with the file.
// Writing a network and reading it back gives an equal Network.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "nn/ir/network.hpp"

namespace codse::nn {

/// A network from its JSON document; `source` names the document in errors (a path).
Network network_from_json(const nlohmann::ordered_json& document, const std::string& source);
/// The JSON document of a network; fields a layer leaves at their defaults are omitted.
nlohmann::ordered_json network_to_json(const Network& network);

/// Parses the text of a JSON or YAML network file.
Network parse_network_json(const std::string& text, const std::string& source);
Network parse_network_yaml(const std::string& text, const std::string& source);

/// The JSON text of a network, one layer per line.
std::string format_network_json(const Network& network);

/// Reads a network file, JSON (.json) or YAML (.yaml, .yml) by its extension.
Network load_network(const std::filesystem::path& path);
/// Writes a network as JSON.
void save_network(const Network& network, const std::filesystem::path& path);

}  // namespace codse::nn
