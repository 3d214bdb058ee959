// The "hls4ml" export format: hls4ml/config.yml for `hls4ml convert` (hls4ml_config.hpp).

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "interop/export_format.hpp"
#include "interop/hls4ml_config.hpp"

namespace codse::interop {

ExportFormat hls4ml_export_format() {
  return {"hls4ml", "hls4ml config: per-layer ReuseFactor, Strategy and Precision (ap_fixed / ap_int)",
          {"hls4ml/config.yml"},
          [](const ExportedDesign& design) -> std::string {
            if (!design.mapping) return "the design has no mapping";
            if (design.mapping->accelerator != "unrolled")
              return fmt::format("the mapping's template is '{}'; hls4ml builds unrolled mappings only",
                                 design.mapping->accelerator);
            return {};
          },
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            Hls4mlInputs inputs;
            inputs.network = &design.network;
            inputs.mapping = &*design.mapping;
            inputs.integer_model = design.integer_model ? &*design.integer_model : nullptr;
            inputs.device = design.device ? &*design.device : nullptr;
            // hls4ml reads the model through its ONNX frontend; a QONNX writer registers "qonnx".
            if (const auto* qonnx = find_export_format("qonnx"); qonnx && !qonnx->files.empty())
              inputs.model_file = qonnx->files.front();
            std::filesystem::create_directories(dir / "hls4ml");
            write_file_atomically(dir / "hls4ml" / "config.yml", hls4ml_config_yaml(inputs));
          }};
}

}  // namespace codse::interop
