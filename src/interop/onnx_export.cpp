// The ONNX export formats: the float network (model.onnx, what onnxruntime and PyTorch read) and
// the quantized one as QONNX (model.qonnx.onnx, Quant / BipolarQuant nodes: what FINN and hls4ml
// read). The graphs are written by nn/onnx (src/nn/onnx/onnx_export.hpp).

#include <filesystem>

#include "interop/export_format.hpp"
#include "nn/onnx/onnx_export.hpp"

namespace codse::interop {

ExportFormat onnx_export_format() {
  return {"onnx", "the float network as ONNX (opset 13), for onnxruntime and PyTorch", {"model.onnx"},
          [](const ExportedDesign&) { return std::string(); },
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            save_through_temporary(dir / "model.onnx",
                                   [&](const std::string& path) { nn::save_onnx(design.network, design.weights, path); });
          }};
}

ExportFormat qonnx_export_format() {
  return {"qonnx", "the quantized network as QONNX (Quant / BipolarQuant nodes), for FINN and hls4ml",
          {"model.qonnx.onnx"},
          [](const ExportedDesign& design) {
            return design.integer_model ? std::string()
                                        : "QONNX needs a quantized network (" + design.integer_model_error + ")";
          },
          [](const ExportedDesign& design, const std::filesystem::path& dir) {
            save_through_temporary(dir / "model.qonnx.onnx",
                                   [&](const std::string& path) { nn::save_qonnx(design.network, design.weights, path); });
          }};
}

}  // namespace codse::interop
