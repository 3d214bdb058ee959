// The "readme" export format: README.md of an export directory, saying what each file is and how
// to build the design with FINN or hls4ml.

#include <fmt/format.h>

#include "core/atomic_file.hpp"
#include "interop/export_format.hpp"
#include "interop/finn_folding.hpp"

namespace codse::interop {
namespace {

std::string file_list(const ExportedDesign& design) {
  std::string text;
  for (const auto& format : export_formats()) {
    if (!format.why_not(design).empty()) continue;
    for (const auto& file : format.files) text += fmt::format("- `{}`: {} (format `{}`)\n", file, format.description, format.name);
  }
  return text;
}

std::string model_file_hint() {
  for (const char* name : {"qonnx", "onnx"})
    if (const auto* format = find_export_format(name); format && !format->files.empty())
      return fmt::format("`{}` (`codse export --format {}`)", format->files.front(), name);
  return "an ONNX/QONNX export of `network.json` with `weights.bin` (codse has no ONNX writer in this build)";
}

std::string finn_section(const ExportedDesign& design) {
  if (!find_export_format("finn")->why_not(design).empty()) return {};
  const bool xilinx = !design.device || design.device->family == "xc7" || design.device->family == "xcup";
  const std::string note = xilinx ? "" : fmt::format("\nNote: FINN builds for AMD/Xilinx parts only; device {} is {}.\n",
                                                     design.device->name, design.device->description);
  return fmt::format(R"(
## Build with FINN ({0})

`finn/folding_config.json` sets each node's PE, SIMD, ram_style, resType and mem_mode. Its keys
are the names FINN's GiveUniqueNodeNames gives the nodes of the dataflow partition (OpType_k, k
counting the nodes of that type in graph order), as predicted from the network; check them against
`intermediate_models/` of your build when the graph differs (docs/FORMATS.md of codse). Build with
`build_dataflow` from the model {1}, e.g. in Python:

```python
from finn.builder.build_dataflow import build_dataflow_cfg
import finn.builder.build_dataflow_config as build_cfg
cfg = build_cfg.DataflowBuildConfig(
    output_dir="finn_build", folding_config_file="finn/folding_config.json",
    synth_clk_period_ns={2:.4g}, fpga_part="{3}",
    generate_outputs=[build_cfg.DataflowOutputType.ESTIMATE_REPORTS, build_cfg.DataflowOutputType.STITCHED_IP])
build_dataflow_cfg("MODEL.onnx", cfg)
```
)",
                     finn_version, model_file_hint(), 1000.0 / design.mapping->clock_mhz,
                     design.device ? design.device->part : "YOUR_PART") +
         note;
}

std::string hls4ml_section(const ExportedDesign& design) {
  if (!find_export_format("hls4ml")->why_not(design).empty()) return {};
  return fmt::format(R"(
## Build with hls4ml

`hls4ml/config.yml` sets each layer's ReuseFactor, Strategy and Precision. Point its `OnnxModel`
at the model {0} and run, from this directory:

```sh
hls4ml convert -c hls4ml/config.yml && hls4ml build -p hls4ml_prj -a
```
)",
                     model_file_hint());
}

std::string readme_text(const ExportedDesign& design) {
  return fmt::format(R"(# {0}: a design exported by codse

Source: {1}.

## Files

{2}
Check the network's accuracy with `codse eval --network network.json --weights weights.bin {3}`{6}.
{4}{5})",
                     design.network.name(), design.source, file_list(design),
                     design.eval_options.empty() ? "--dataset NAME" : design.eval_options, finn_section(design),
                     hls4ml_section(design),
                     design.eval_options.find("--split validation") == std::string::npos
                         ? ""
                         : " (the accuracy the trial recorded; `--split test` for the held-out test set)");
}

}  // namespace

ExportFormat readme_export_format() {
  return {"readme", "what each file is and how to build the design with FINN or hls4ml", {"README.md"},
          [](const ExportedDesign&) { return std::string(); },
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            write_file_atomically(dir / "README.md", readme_text(design));
          }};
}

}  // namespace codse::interop
