// The export formats that are codse's own files: the network, its weights, its integer model and
// its mapping, in the formats codse reads back (docs/FORMATS.md, docs/MAPPING.md).

#include <filesystem>

#include "core/atomic_file.hpp"
#include "hw/templates/mapping_file.hpp"
#include "interop/export_format.hpp"
#include "nn/ir/network_io.hpp"

namespace codse::interop {
namespace {

std::string always(const ExportedDesign&) { return {}; }

}  // namespace

ExportFormat network_export_format() {
  return {"network", "the network's structure and quantization (codse network JSON)", {"network.json"}, always,
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            write_file_atomically(dir / "network.json", nn::format_network_json(design.network));
          }};
}

ExportFormat weights_export_format() {
  return {"weights", "the trained weights (codse weights file)", {"weights.bin"}, always,
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            design.weights.save((dir / "weights.bin").string());
          }};
}

ExportFormat integer_model_export_format() {
  return {"integer_model", "the bit-exact integer model (what the hardware computes)", {"integer_model.json"},
          [](const ExportedDesign& design) {
            return design.integer_model ? std::string() : "no integer model: " + design.integer_model_error;
          },
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            design.integer_model->save((dir / "integer_model.json").string());  // atomic itself
          }};
}

ExportFormat mapping_export_format() {
  return {"mapping", "the mapping: template, clock, per-layer parallelism and storage (docs/MAPPING.md)",
          {"mapping.json"},
          [](const ExportedDesign& design) { return design.mapping ? std::string() : "the design has no mapping"; },
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            hw::save_mapping(*design.mapping, (dir / "mapping.json").string());
          }};
}

}  // namespace codse::interop
