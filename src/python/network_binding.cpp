// codse.Network: what a network computes (the network IR, nn/ir), loaded from codse's JSON or
// YAML, from ONNX / QONNX (nn/onnx), or from PyTorch through ONNX in memory (codse.from_torch,
// in python/codse/__init__.py).

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/ir/network.hpp"
#include "nn/ir/network_io.hpp"
#include "nn/onnx/onnx_import.hpp"
#include "python/bindings.hpp"
#include "python/json_bridge.hpp"

namespace py = pybind11;

namespace codse::python {
namespace {

py::list shape_list(const nn::Shape& shape) {
  py::list list;
  list.append(shape.channels);
  list.append(shape.height);
  list.append(shape.width);
  return list;
}

/// One row per layer: what the layer is and what it costs in parameters and operations.
py::list layer_rows(const nn::Network& network) {
  const auto stats = network.stats();
  py::list rows;
  for (std::size_t i = 0; i < network.layers().size(); ++i) {
    const auto& layer = network.layers()[i];
    const auto& s = stats.layers[i];
    py::dict row;
    row["name"] = layer.name;
    row["kind"] = nn::to_string(layer.kind);
    row["inputs"] = network.input_indices(i).empty() ? py::list() : py::cast([&] {
      std::vector<std::string> names;
      for (const auto index : network.input_indices(i)) names.push_back(network.layers()[index].name);
      return names;
    }());
    row["output_shape"] = shape_list(s.output);
    row["units"] = layer.units;
    row["weight_bits"] = layer.has_weights() ? py::cast(layer.weight_quant.bits) : py::none();
    const auto out = network.output_quant(i);
    row["output_bits"] = out.bits;
    row["sparsity"] = layer.sparsity.target;
    row["params"] = s.params;
    row["nonzero_params"] = s.nonzero_params;
    row["macs"] = s.macs;
    rows.append(row);
  }
  return rows;
}

nn::Network with_sparsity(const nn::Network& network, const std::map<std::string, double>& fractions) {
  auto layers = network.layers();
  for (const auto& [name, fraction] : fractions) {
    const auto index = network.index_of(name);
    if (!layers[index].has_weights())
      throw InputError(fmt::format("with_sparsity: layer '{}' is a {} layer, it has no weights to prune", name,
                                   nn::to_string(layers[index].kind)));
    if (!(fraction >= 0.0 && fraction < 1.0))
      throw InputError(fmt::format("with_sparsity: layer '{}': sparsity {} outside [0, 1)", name, fraction));
    layers[index].sparsity.target = fraction;
  }
  nn::Network changed(network.name(), std::move(layers));
  changed.set_preprocessing(network.preprocessing());
  return changed;
}

nn::OnnxImportOptions import_options(const std::string& name) {
  nn::OnnxImportOptions options;
  options.name = name;
  return options;
}

}  // namespace

void bind_network(py::module_& m) {
  py::class_<nn::Network>(m, "Network", R"(A network: what is computed, layer by layer, with its bit widths and sparsity.

How hardware computes it is a separate object, a Mapping. Load one with Network.load (codse JSON or
YAML), Network.from_onnx (ONNX, QCDQ or QONNX), or codse.from_torch (a torch.nn.Module).)")
      .def_static("load", [](const std::string& path) { return nn::load_network(path); }, py::arg("path"),
                  "Reads a codse network file (.json, .yaml). InputError names the file, layer and field.")
      .def_static(
          "from_onnx", [](const std::string& path, const std::string& name) {
            return nn::import_onnx(path, import_options(name)).network;
          },
          py::arg("path"), py::arg("name") = "",
          "Imports an ONNX model: float (torch.onnx.export), QCDQ or QONNX (Quant, BipolarQuant, Trunc). "
          "name: the network's name (default: the graph's name, else the file's stem).")
      .def_static(
          "from_onnx_bytes", [](const py::bytes& bytes, const std::string& name, const std::string& source) {
            return nn::import_onnx_bytes(std::string(bytes), source, import_options(name)).network;
          },
          py::arg("data"), py::arg("name") = "", py::arg("source") = "model.onnx",
          "Imports a serialised ONNX model held in memory (what codse.from_torch exports).")
      .def_static(
          "from_json", [](const py::object& document) {
            if (py::isinstance<py::str>(document))
              return nn::parse_network_json(document.cast<std::string>(), "<json text>");
            return nn::network_from_json(from_python(document, "Network.from_json"), "<dict>");
          },
          py::arg("document"), "A network from its JSON text or the equivalent dict.")
      .def_property_readonly("name", &nn::Network::name)
      .def_property_readonly("layers", &layer_rows,
                             "One dict per layer: name, kind, inputs, output_shape [C, H, W], units, weight_bits, "
                             "output_bits, sparsity, params, nonzero_params, macs.")
      .def_property_readonly("params", [](const nn::Network& n) { return n.stats().params; },
                             "Weights and biases (and batchnorm scale and shift).")
      .def_property_readonly("nonzero_params", [](const nn::Network& n) { return n.stats().nonzero_params; })
      .def_property_readonly("macs", [](const nn::Network& n) { return n.stats().macs; },
                             "Multiply-accumulates per inference.")
      .def_property_readonly("weight_bits", [](const nn::Network& n) { return n.stats().weight_bits; },
                             "Bits of all non-zero weights.")
      .def_property_readonly("input_shape", [](const nn::Network& n) { return shape_list(n.input_shape()); })
      .def_property_readonly("output_shape", [](const nn::Network& n) { return shape_list(n.output_shape()); })
      .def("with_sparsity", &with_sparsity, py::arg("fractions"),
           "A copy with the given layers' sparsity (fraction of zero weights) set: {layer name: fraction}.")
      .def("to_json", &nn::format_network_json, "The codse network file's JSON text.")
      .def("to_dict", [](const nn::Network& n) { return to_python(nn::network_to_json(n)); })
      .def("save", [](const nn::Network& n, const std::string& path) { nn::save_network(n, path); }, py::arg("path"))
      .def("__eq__", [](const nn::Network& a, const nn::Network& b) {
        return a.name() == b.name() && a.layers() == b.layers();
      })
      .def("__repr__", [](const nn::Network& n) {
        const auto s = n.stats();
        return fmt::format("<codse.Network '{}': {} layers, {} params, {} MACs>", n.name(), n.layers().size(), s.params,
                           s.macs);
      });
}

}  // namespace codse::python
