// The "finn" export format: finn/folding_config.json for FINN's build_dataflow (finn_folding.hpp).

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "interop/export_format.hpp"
#include "interop/finn_folding.hpp"

namespace codse::interop {

ExportFormat finn_export_format() {
  return {"finn",
          fmt::format("FINN {} folding config: PE, SIMD, ram_style, resType, mem_mode per dataflow node", finn_version),
          {"finn/folding_config.json"},
          [](const ExportedDesign& design) -> std::string {
            if (!design.mapping) return "the design has no mapping";
            if (design.mapping->accelerator != "folded")
              return fmt::format("the mapping's template is '{}'; FINN builds folded mappings only",
                                 design.mapping->accelerator);
            return {};
          },
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            const auto config = finn_folding_config(finn_dataflow_nodes(design.network, *design.mapping));
            std::filesystem::create_directories(dir / "finn");
            write_file_atomically(dir / "finn" / "folding_config.json", config.dump(2) + "\n");
          }};
}

}  // namespace codse::interop
