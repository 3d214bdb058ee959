// Hardware from Python: the device catalog, mappings, the analytic Estimator (one call, or many
// mappings in one call without the GIL) and the HAL's front of mappings (codse.map).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "core/error.hpp"
#include "hw/estimate/estimate_json.hpp"
#include "hw/estimate/estimate_table.hpp"
#include "hw/estimate/estimator.hpp"
#include "hw/estimate/mapping_check.hpp"
#include "hw/map/hal.hpp"
#include "hw/map/mapping_choice.hpp"
#include "hw/model/device_catalog.hpp"
#include "hw/templates/mapping_file.hpp"
#include "python/bindings.hpp"
#include "python/interrupt_scope.hpp"
#include "python/json_bridge.hpp"
#include "python/python_mapping.hpp"

namespace py = pybind11;

namespace codse::python {
namespace {

/// The catalog compiled into codse, parsed once: a single estimate must not pay for its JSON.
const hw::DeviceCatalog& builtin_catalog() {
  static const auto builtin = hw::DeviceCatalog::builtin();
  return builtin;
}

/// The built-in catalog, extended by the files in `catalog` (a path or a list of paths), as
/// --devices does on the command line.
hw::DeviceCatalog catalog_of(const py::object& catalog) {
  auto devices = builtin_catalog();
  if (catalog.is_none()) return devices;
  const auto paths = py::isinstance<py::str>(catalog) ? std::vector<std::string>{catalog.cast<std::string>()}
                                                      : catalog.cast<std::vector<std::string>>();
  for (const auto& path : paths) devices.extend(hw::DeviceCatalog::load(path));
  return devices;
}

/// A device given by name (looked up in the catalog, with its calibration) or as a Device.
struct ResolvedDevice {
  hw::Device device;
  hw::Calibration calibration;
};

/// cost_model=: "calibrated" or "published", as --cost-model.
hw::CostModel cost_model_of(const std::string& name) {
  if (const auto model = hw::cost_model_named(name)) return *model;
  throw InputError(fmt::format("cost_model '{}': expected calibrated or published", name));
}

ResolvedDevice resolve_device(const py::object& device, const py::object& catalog, const std::string& cost_model) {
  std::optional<hw::DeviceCatalog> extended;
  if (!catalog.is_none()) extended = catalog_of(catalog);
  const auto& devices = extended ? *extended : builtin_catalog();
  const auto name = py::isinstance<hw::Device>(device) ? device.cast<const hw::Device&>().name
                                                       : device.cast<std::string>();
  const auto& found = devices.find(name);
  if (cost_model_of(cost_model) == hw::CostModel::published) return {found, hw::Calibration{}};
  return {found, devices.calibration(found.name)};
}

PyMapping mapping_from(const py::object& mapping) {
  if (py::isinstance<PyMapping>(mapping)) return mapping.cast<PyMapping>();
  if (py::isinstance<py::str>(mapping)) {
    const auto path = mapping.cast<std::string>();
    return {hw::load_mapping(path), hw::mapping_file_network(path)};
  }
  const auto document = from_python(mapping, "mapping");
  auto parsed = hw::parse_mapping(document.dump(), "<mapping dict>");
  return {std::move(parsed), document.is_object() ? document.value("network", "") : ""};
}

/// Warns (Python's warnings) when the mapping was written for another network: its layers are
/// matched by name, which is right for a renamed copy and wrong for another network (then the
/// validation that follows refuses it, naming the layer).
void check_written_for(const PyMapping& mapping, const nn::Network& network) {
  if (mapping.network.empty() || mapping.network == network.name()) return;
  const auto message = fmt::format("the mapping was written for network '{}', not '{}'; its layers are matched by name",
                                   mapping.network, network.name());
  py::module_::import("warnings").attr("warn")(message, py::module_::import("builtins").attr("UserWarning"), 3);
}

py::list layer_mappings(const hw::Mapping& mapping) {
  py::list rows;
  for (const auto& l : mapping.layers) {
    py::dict row;
    row["layer"] = l.layer;
    row["pe"] = l.pe;
    row["simd"] = l.simd;
    row["reuse"] = l.reuse;
    row["storage"] = std::string(hw::to_string(l.storage));
    row["multipliers"] = std::string(hw::to_string(l.multipliers));
    rows.append(row);
  }
  return rows;
}

PyMapping with_layer(const PyMapping& base, const std::string& layer, std::optional<int> pe, std::optional<int> simd,
                     std::optional<int> reuse, std::optional<std::string> storage,
                     std::optional<std::string> multipliers) {
  auto copy = base;
  auto it = std::find_if(copy.mapping.layers.begin(), copy.mapping.layers.end(),
                         [&](const hw::LayerMapping& l) { return l.layer == layer; });
  if (it == copy.mapping.layers.end()) {
    std::vector<std::string> names;
    for (const auto& l : copy.mapping.layers) names.push_back(l.layer);
    throw InputError(fmt::format("Mapping.with_layer: no layer '{}' (the mapping has {})", layer, fmt::join(names, ", ")));
  }
  auto positive = [&](const char* what, std::optional<int> value, int& field) {
    if (!value) return;
    if (*value < 1) throw InputError(fmt::format("Mapping.with_layer: layer '{}': {} {} must be at least 1", layer, what, *value));
    field = *value;
  };
  positive("pe", pe, it->pe);
  positive("simd", simd, it->simd);
  positive("reuse", reuse, it->reuse);
  if (storage) {
    const auto parsed = hw::weight_storage_from_string(*storage);
    if (!parsed)
      throw InputError(fmt::format("Mapping.with_layer: storage '{}': expected {}", *storage, hw::weight_storage_list()));
    it->storage = *parsed;
  }
  if (multipliers) {
    const auto parsed = hw::multiplier_style_from_string(*multipliers);
    if (!parsed)
      throw InputError(fmt::format("Mapping.with_layer: multipliers '{}': expected {}", *multipliers,
                                   hw::multiplier_style_list()));
    it->multipliers = *parsed;
  }
  return copy;
}

py::dict resources_dict(const hw::Resources& r) {
  py::dict d;
  d["lut"] = r.lut;
  d["ff"] = r.ff;
  d["dsp"] = r.dsp;
  d["bram18"] = r.bram18;
  d["uram"] = r.uram;
  d["lutram"] = r.lutram;
  return d;
}

/// One row per unit, with the share of the network's LUTs and of its initiation interval that
/// the unit takes (what hardware_report prints).
py::list layer_rows(const hw::Estimate& e) {
  py::list rows;
  for (const auto& l : e.layers) {
    py::dict row = resources_dict(l.resources);
    row["name"] = l.name;
    row["unit"] = l.unit;
    row["cycles"] = l.cycles;
    row["latency_cycles"] = l.latency_cycles;
    row["power_w"] = l.power_w;
    row["limiter"] = std::string(hw::to_string(l.limiter));
    row["bottleneck"] = l.bottleneck;
    row["lut_share"] = e.total.lut > 0 ? l.resources.lut / e.total.lut : 0.0;
    row["ii_share"] = e.ii_cycles > 0 ? static_cast<double>(l.cycles) / static_cast<double>(e.ii_cycles) : 0.0;
    rows.append(row);
  }
  return rows;
}

EstimateResult estimate_with(const hw::Estimator& estimator, const nn::Network& network, const py::object& mapping,
                             std::optional<double> target_fps, std::optional<double> clock_mhz,
                             const std::string& template_name) {
  EstimateResult result{{}, {}, estimator.device(), "given"};
  if (!mapping.is_none()) {
    if (target_fps) throw InputError("estimate: give mapping or target_fps, not both");
    result.mapping = mapping_from(mapping);
    check_written_for(result.mapping, network);
  } else {
    hw::MappingRequest request;
    request.target_fps = target_fps.value_or(0.0);
    request.clock_mhz = clock_mhz.value_or(0.0);
    request.template_name = template_name;
    auto chosen = hw::choose_mapping(estimator, request);
    result.mapping = {std::move(chosen.mapping), network.name()};
    result.mapping_source = chosen.how;
  }
  result.estimate = estimator.estimate(result.mapping.mapping);
  return result;
}

/// The metrics estimate_many returns, one array each.
const std::vector<std::string>& batch_metrics() {
  static const std::vector<std::string> names{"lut",        "ff",  "dsp",     "bram18",  "uram",      "lutram", "ii_cycles",
                                              "latency_us", "fps", "power_w", "energy_uj", "fits"};
  return names;
}

/// Mappings held in C++, validated once for one estimator (Estimator.batch): estimating a batch is
/// the estimator's hot loop and nothing else, as fast as C++ calling it.
struct MappingBatch {
  std::vector<hw::Mapping> mappings;
  std::uint64_t estimator_id = 0;  // the estimator it was validated for
};

/// The totals of every mapping as {metric: numpy array}; with validate, each mapping is checked
/// first (the hot path checks nothing: a wrong mapping must raise, never read out of bounds).
py::dict estimate_all(const hw::Estimator& estimator, const std::vector<const hw::Mapping*>& mappings, bool validate) {
  const auto& names = batch_metrics();
  const auto n = static_cast<py::ssize_t>(mappings.size());
  const auto k = static_cast<py::ssize_t>(names.size());
  // One row per mapping, written contiguously; the columns handed out are views of it.
  py::array_t<double> table({n, k});
  double* rows = table.mutable_data();
  std::string invalid;
  std::size_t invalid_index = 0;
  {
    py::gil_scoped_release release;
    hw::Estimate e;
    for (std::size_t i = 0; i < mappings.size(); ++i) {
      if (validate && !(invalid = hw::why_invalid(estimator.workload(), *mappings[i], estimator.device())).empty()) {
        invalid_index = i;
        break;
      }
      estimator.estimate_into(*mappings[i], e);
      const auto& t = e.total;
      const double values[] = {t.lut,         t.ff,  t.dsp,     t.bram18,   t.uram, t.lutram, static_cast<double>(e.ii_cycles),
                               e.latency_us, e.fps, e.power_w, e.energy_uj, e.fits ? 1.0 : 0.0};
      std::copy(std::begin(values), std::end(values), rows + i * names.size());
    }
  }
  if (!invalid.empty()) throw InputError(fmt::format("estimate_many: mappings[{}]: {}", invalid_index, invalid));
  py::dict result;
  const py::object whole = table;
  for (py::ssize_t c = 0; c < k; ++c)
    result[py::str(names[static_cast<std::size_t>(c)])] = whole[py::make_tuple(py::slice(0, n, 1), c)];
  return result;
}

/// The C++ mappings of a list of codse.Mapping (InputError naming the first item that is not one).
std::vector<const hw::Mapping*> mapping_pointers(const py::sequence& mappings, const char* what) {
  std::vector<const hw::Mapping*> pointers;
  const auto count = py::len(mappings);
  pointers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const py::object item = mappings[i];
    try {
      pointers.push_back(&item.cast<const PyMapping&>().mapping);
    } catch (const py::cast_error&) {
      throw InputError(fmt::format("{}: mappings[{}] is a {}, not a codse.Mapping", what, i,
                                   py::str(py::type::of(item).attr("__name__")).cast<std::string>()));
    }
  }
  return pointers;
}

/// A batch from a base mapping and per-knob arrays: {"fc1.pe": [...], "fc1.simd": [...],
/// "fc2.storage": ["bram", ...]}, each as long as the batch; every mapping validated.
std::vector<hw::Mapping> batch_from_knobs(const hw::Estimator& estimator, const PyMapping& base, const py::dict& knobs) {
  std::size_t n = 0;
  bool sized = false;
  std::vector<hw::Mapping> mappings;
  for (const auto& [key_object, values] : knobs) {
    const auto key = py::str(key_object).cast<std::string>();
    const auto dot = key.rfind('.');
    const auto layer = key.substr(0, dot == std::string::npos ? 0 : dot);
    const auto field = dot == std::string::npos ? key : key.substr(dot + 1);
    const auto index = std::find_if(base.mapping.layers.begin(), base.mapping.layers.end(),
                                    [&](const hw::LayerMapping& l) { return l.layer == layer; }) - base.mapping.layers.begin();
    if (static_cast<std::size_t>(index) == base.mapping.layers.size())
      throw InputError(fmt::format("batch: knob '{}': expected LAYER.FIELD with a layer of the base mapping", key));
    const auto list = py::cast<py::sequence>(values);
    if (!sized) {
      n = py::len(list);
      sized = true;
      mappings.assign(n, base.mapping);
    } else if (py::len(list) != n) {
      throw InputError(fmt::format("batch: knob '{}' has {} values, the others {}", key, py::len(list), n));
    }
    const auto layer_index = static_cast<std::size_t>(index);
    for (std::size_t i = 0; i < n; ++i) {
      auto& l = mappings[i].layers[layer_index];
      if (field == "pe" || field == "simd" || field == "reuse") {
        const auto value = py::cast<long long>(list[i]);
        if (value < 1 || value > (1LL << 30))
          throw InputError(fmt::format("batch: {}[{}] = {}: must be at least 1", key, i, value));
        (field == "pe" ? l.pe : field == "simd" ? l.simd : l.reuse) = static_cast<int>(value);
      } else if (field == "storage") {
        const auto text = py::cast<std::string>(list[i]);
        const auto parsed = hw::weight_storage_from_string(text);
        if (!parsed) throw InputError(fmt::format("batch: {}[{}] = '{}': expected {}", key, i, text, hw::weight_storage_list()));
        l.storage = *parsed;
      } else if (field == "multipliers") {
        const auto text = py::cast<std::string>(list[i]);
        const auto parsed = hw::multiplier_style_from_string(text);
        if (!parsed)
          throw InputError(fmt::format("batch: {}[{}] = '{}': expected {}", key, i, text, hw::multiplier_style_list()));
        l.multipliers = *parsed;
      } else {
        throw InputError(fmt::format("batch: knob '{}': field '{}' is not pe, simd, reuse, storage or multipliers", key, field));
      }
    }
  }
  for (std::size_t i = 0; i < mappings.size(); ++i)
    if (const auto why = hw::why_invalid(estimator.workload(), mappings[i], estimator.device()); !why.empty())
      throw InputError(fmt::format("batch: mapping {}: {}", i, why));
  return mappings;
}

struct PyMapResult {
  std::vector<EstimateResult> points;
  std::vector<std::string> objectives;
  std::string method;
  double space_size = 0.0;
  std::size_t estimated = 0;
  double seconds = 0.0;
};

py::list map_records(const PyMapResult& result) {
  py::list records;
  for (const auto& point : result.points) {
    py::dict row;
    const auto metrics = point.estimate.to_metrics();
    for (const auto& [name, value] : metrics.values) row[py::str(name)] = value;
    for (const auto& l : point.mapping.mapping.layers) {
      for (const auto& [field, value] : {std::pair{"pe", l.pe}, {"simd", l.simd}, {"reuse", l.reuse}})
        row[py::str(l.layer + "." + field)] = value;
      row[py::str(l.layer + ".storage")] = std::string(hw::to_string(l.storage));
    }
    row["clock_mhz"] = point.mapping.mapping.clock_mhz;
    row["template"] = point.mapping.mapping.accelerator;
    records.append(row);
  }
  return records;
}

PyMapResult map_front(const nn::Network& network, const py::object& device, const std::vector<std::string>& objectives,
                      const std::vector<std::string>& constraints, const std::string& template_name,
                      std::vector<double> clocks, bool allow_overflow, const std::string& explorer, std::size_t budget,
                      std::uint64_t seed, const py::object& catalog, const std::string& cost_model) {
  const auto resolved = resolve_device(device, catalog, cost_model);
  const hw::Estimator estimator(network, resolved.device, resolved.calibration);
  std::vector<Objective> parsed;
  for (const auto& text : objectives) parsed.push_back(Objective::parse(text));
  require_distinct_objectives(parsed, "objectives");
  std::vector<MetricBound> bounds;
  for (const auto& text : constraints) bounds.push_back(MetricBound::parse(text));
  hw::MapOptions options;
  if (clocks.empty()) clocks.push_back(resolved.device.default_clock_mhz);
  options.spaces = hw::template_spaces(template_name, clocks);
  options.must_fit = !allow_overflow;
  options.explorer = explorer;
  options.budget = budget;
  options.seed = seed;
  hw::MapResult found;
  {
    InterruptScope interrupts;
    py::gil_scoped_release release;
    found = hw::map_network(estimator, parsed, bounds, options);
  }
  PyMapResult result{{}, objectives, found.method, found.space_size, found.estimated, found.seconds};
  for (auto& point : found.front)
    result.points.push_back({std::move(point.estimate), {std::move(point.mapping), network.name()}, resolved.device,
                             "the HAL's front"});
  return result;
}

void bind_device(py::module_& m) {
  py::class_<hw::Device>(m, "Device", "A target FPGA: capacities, clock limits, power coefficients (codse.devices()).")
      .def_readonly("name", &hw::Device::name)
      .def_readonly("board", &hw::Device::board)
      .def_readonly("part", &hw::Device::part)
      .def_readonly("family", &hw::Device::family)
      .def_readonly("description", &hw::Device::description)
      .def_readonly("lut", &hw::Device::lut)
      .def_readonly("ff", &hw::Device::ff)
      .def_property_readonly("dsp", [](const hw::Device& d) { return d.dsp.count; })
      .def_property_readonly("bram18", [](const hw::Device& d) { return d.bram.count; })
      .def_property_readonly("uram", [](const hw::Device& d) { return d.uram.count; })
      .def_readonly("max_clock_mhz", &hw::Device::max_clock_mhz)
      .def_readonly("default_clock_mhz", &hw::Device::default_clock_mhz)
      .def_readonly("offchip_gbps", &hw::Device::offchip_gbps)
      .def_readonly("static_power_w", &hw::Device::static_power_w)
      .def("__repr__", [](const hw::Device& d) {
        return fmt::format("<codse.Device {} ({}): {} LUT, {} FF, {} DSP, {} BRAM18>", d.name, d.board, d.lut, d.ff,
                           d.dsp.count, d.bram.count);
      });
  m.def(
      "devices", [](const py::object& catalog) { return catalog_of(catalog).devices(); }, py::arg("catalog") = py::none(),
      "The devices codse knows: the built-in catalog, extended by catalog (a JSON file or a list of them, as --devices).");
}

void bind_mapping(py::module_& m) {
  py::class_<PyMapping>(m, "Mapping", R"(How hardware computes a network: per layer with weights, its parallelism
(pe and simd for the folded template, reuse for the unrolled one), weight storage and multiplier style,
plus the clock. Load with Mapping.load or Mapping.from_json; derive variants with with_layer.)")
      .def_static("load", [](const std::string& path) { return mapping_from(py::str(path)); }, py::arg("path"),
                  "Reads a mapping file (docs/MAPPING.md). InputError names the file and field.")
      .def_static("from_json", [](const py::object& document) {
            if (py::isinstance<py::str>(document)) {
              const auto text = document.cast<std::string>();
              return PyMapping{hw::parse_mapping(text, "<mapping text>"),
                               nlohmann::json::parse(text, nullptr, false).value("network", "")};
            }
            return mapping_from(document);
          }, py::arg("document"), "A mapping from its JSON text or the equivalent dict.")
      .def_property("network", [](const PyMapping& p) { return p.network; },
                    [](PyMapping& p, std::string name) { p.network = std::move(name); },
                    "The network the mapping was written for ('' when unknown).")
      .def_property_readonly("template", [](const PyMapping& p) { return p.mapping.accelerator; })
      .def_property("clock_mhz", [](const PyMapping& p) { return p.mapping.clock_mhz; },
                    [](PyMapping& p, double clock) {
                      if (!(clock > 0.0)) throw InputError(fmt::format("Mapping.clock_mhz {}: must be positive", clock));
                      p.mapping.clock_mhz = clock;
                    })
      .def_property_readonly("layers", [](const PyMapping& p) { return layer_mappings(p.mapping); })
      .def("with_layer", &with_layer, py::arg("layer"), py::kw_only(), py::arg("pe") = py::none(),
           py::arg("simd") = py::none(), py::arg("reuse") = py::none(), py::arg("storage") = py::none(),
           py::arg("multipliers") = py::none(), "A copy with one layer's knobs changed.")
      .def("to_json", [](const PyMapping& p) { return hw::mapping_json_text(p.mapping); })
      .def("to_dict", [](const PyMapping& p) { return to_python(hw::mapping_to_json(p.mapping)); })
      .def("save", [](const PyMapping& p, const std::string& path) { hw::save_mapping(p.mapping, path); }, py::arg("path"))
      .def("__eq__", [](const PyMapping& a, const PyMapping& b) { return a.mapping == b.mapping; })
      .def("__repr__", [](const PyMapping& p) {
        return fmt::format("<codse.Mapping {} at {} MHz, {} layers>", p.mapping.accelerator, p.mapping.clock_mhz,
                           p.mapping.layers.size());
      });
}

void bind_estimate(py::module_& m) {
  py::class_<EstimateResult>(m, "Estimate", R"(The analytic cost of a mapping of a network on a device:
totals (lut, ff, dsp, bram18, fps, latency_us, power_w, ...), per-unit rows (layers), the mapping it
costs and how that mapping was chosen. print() shows the table `codse hw estimate` prints.)")
#define CODSE_TOTAL(name) .def_property_readonly(#name, [](const EstimateResult& r) { return r.estimate.total.name; })
      CODSE_TOTAL(lut) CODSE_TOTAL(ff) CODSE_TOTAL(dsp) CODSE_TOTAL(bram18) CODSE_TOTAL(uram) CODSE_TOTAL(lutram)
#undef CODSE_TOTAL
#define CODSE_FIELD(name) .def_property_readonly(#name, [](const EstimateResult& r) { return r.estimate.name; })
      CODSE_FIELD(network) CODSE_FIELD(device) CODSE_FIELD(clock_mhz) CODSE_FIELD(ii_cycles) CODSE_FIELD(latency_cycles)
      CODSE_FIELD(latency_us) CODSE_FIELD(fps) CODSE_FIELD(power_w) CODSE_FIELD(power_static_w)
      CODSE_FIELD(power_dynamic_w) CODSE_FIELD(energy_uj) CODSE_FIELD(offchip_gbps) CODSE_FIELD(fits) CODSE_FIELD(overflow)
#undef CODSE_FIELD
      .def_property_readonly("template", [](const EstimateResult& r) { return r.estimate.accelerator; })
      .def_property_readonly("fidelity", [](const EstimateResult& r) { return std::string(to_string(r.estimate.fidelity)); })
      .def_property_readonly("bottleneck", [](const EstimateResult& r) {
        return r.estimate.layers.empty() ? std::string() : r.estimate.layers[r.estimate.bottleneck].name;
      }, "The unit that limits the throughput.")
      .def_property_readonly("limiter", [](const EstimateResult& r) { return std::string(hw::to_string(r.estimate.limiter)); })
      .def_property_readonly("utilisation", [](const EstimateResult& r) {
        py::dict d;
        for (const auto& kind : hw::resource_kinds()) d[kind.name] = r.estimate.utilisation.*kind.share;
        return d;
      }, "Fraction of the device each resource takes.")
      .def_property_readonly("layers", [](const EstimateResult& r) { return layer_rows(r.estimate); })
      .def_property_readonly("mapping", [](const EstimateResult& r) { return r.mapping; })
      .def_property_readonly("mapping_source", [](const EstimateResult& r) { return r.mapping_source; },
                             "'given', or how codse chose the mapping ('fewest LUTs reaching 1000 fps', ...).")
      .def("metrics", [](const EstimateResult& r) { return r.estimate.to_metrics().values; },
           "The totals as the metrics a trial records (lut, ..., fits, lut_util, ...).")
      .def("to_dict", [](const EstimateResult& r) { return to_python(hw::estimate_to_json(r.estimate)); },
           "The JSON form `codse hw estimate --json` prints.")
      .def("__str__", [](const EstimateResult& r) {
        return hw::estimate_table_text(r.estimate, r.mapping.mapping, r.device);
      })
      .def("__repr__", [](const EstimateResult& r) {
        const auto& t = r.estimate.total;
        return fmt::format("<codse.Estimate {} on {}: {:.0f} LUT, {:.0f} FF, {:.0f} DSP, {:.0f} BRAM18, {:.1f} fps, fits {}>",
                           r.estimate.network, r.estimate.device, t.lut, t.ff, t.dsp, t.bram18, r.estimate.fps,
                           r.estimate.fits ? "yes" : "no");
      });
}

void bind_estimator(py::module_& m) {
  struct PyEstimator {
    nn::Network network;
    hw::Estimator estimator;
    std::uint64_t id;  // what a MappingBatch was validated for
  };
  static std::uint64_t next_estimator_id = 1;
  py::class_<MappingBatch>(m, "MappingBatch", R"(Mappings held in C++ and validated once for one Estimator
(Estimator.batch): estimate_many over a batch is the estimator's own loop.)")
      .def("__len__", [](const MappingBatch& b) { return b.mappings.size(); })
      .def("__getitem__", [](const MappingBatch& b, std::size_t i) {
        if (i >= b.mappings.size()) throw py::index_error("MappingBatch index out of range");
        return PyMapping{b.mappings[i], ""};
      });
  py::class_<PyEstimator>(m, "Estimator", R"(The analytic estimator of one network on one device, built once
(the workload and the units without knobs are computed here) for many estimates.)")
      .def(py::init([](const nn::Network& network, const py::object& device, const py::object& catalog,
                       const std::string& cost_model) {
             const auto resolved = resolve_device(device, catalog, cost_model);
             return PyEstimator{network, hw::Estimator(network, resolved.device, resolved.calibration), next_estimator_id++};
           }),
           py::arg("network"), py::arg("device"), py::kw_only(), py::arg("catalog") = py::none(),
           py::arg("cost_model") = "calibrated")
      .def_property_readonly("device", [](const PyEstimator& e) { return e.estimator.device(); })
      .def(
          "estimate",
          [](const PyEstimator& e, const py::object& mapping, std::optional<double> target_fps,
             std::optional<double> clock_mhz, const std::string& template_name) {
            return estimate_with(e.estimator, e.network, mapping, target_fps, clock_mhz, template_name);
          },
          py::arg("mapping") = py::none(), py::kw_only(), py::arg("target_fps") = py::none(),
          py::arg("clock_mhz") = py::none(), py::arg("template") = "folded",
          "As codse.estimate, reusing this estimator.")
      .def(
          "batch",
          [](const PyEstimator& e, const py::object& base, const py::object& knobs) {
            MappingBatch batch{{}, e.id};
            if (knobs.is_none()) {  // base is a list of Mappings
              for (const auto* mapping : mapping_pointers(base, "batch")) batch.mappings.push_back(*mapping);
              for (std::size_t i = 0; i < batch.mappings.size(); ++i)
                if (const auto why = hw::why_invalid(e.estimator.workload(), batch.mappings[i], e.estimator.device()); !why.empty())
                  throw InputError(fmt::format("batch: mappings[{}]: {}", i, why));
            } else {
              batch.mappings = batch_from_knobs(e.estimator, base.cast<const PyMapping&>(), knobs.cast<py::dict>());
            }
            return batch;
          },
          py::arg("base"), py::arg("knobs") = py::none(),
          R"(A MappingBatch validated for this estimator: from a list of Mappings, or from a base Mapping and
per-knob sequences {"fc1.pe": [...], "fc1.simd": [...], "fc2.storage": [...]} of one length (numpy
arrays work). InputError names the first invalid mapping.)")
      .def("_time_estimate_into",
           [](const PyEstimator& e, const MappingBatch& batch) {
             // bench/python: the C++ estimator's own loop over the same mappings, in the same process,
             // the baseline estimate_many is compared with (no validation, no arrays).
             py::gil_scoped_release release;
             hw::Estimate out;
             double sink = 0.0;
             const auto start = std::chrono::steady_clock::now();
             for (const auto& mapping : batch.mappings) {
               e.estimator.estimate_into(mapping, out);
               sink += out.power_w;
             }
             const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
             return std::pair{took.count(), sink};
           })
      .def("estimate_many",
           [](const PyEstimator& e, const py::object& mappings) {
             if (py::isinstance<MappingBatch>(mappings)) {
               const auto& batch = mappings.cast<const MappingBatch&>();
               std::vector<const hw::Mapping*> pointers;
               pointers.reserve(batch.mappings.size());
               for (const auto& mapping : batch.mappings) pointers.push_back(&mapping);
               // A batch of another estimator was validated for another network or device.
               return estimate_all(e.estimator, pointers, batch.estimator_id != e.id);
             }
             return estimate_all(e.estimator, mapping_pointers(mappings, "estimate_many"), true);
           },
           py::arg("mappings"),
           "Estimates every mapping in one call, without holding the GIL: a list of Mappings (each validated) or "
           "a MappingBatch of this estimator (validated when built). Returns {metric: numpy array}: "
           "lut, ff, dsp, bram18, uram, lutram, ii_cycles, latency_us, fps, power_w, energy_uj, fits (0/1). "
           "InputError names the first invalid mapping.");
  m.attr("ESTIMATE_MANY_METRICS") = batch_metrics();
}

void bind_map(py::module_& m) {
  py::class_<PyMapResult>(m, "MapFront", R"(The Pareto-optimal mappings of a network on a device (codse.map):
a sequence of Estimate, each with its mapping; to_records() / to_pandas() give one row per mapping.)")
      .def("__len__", [](const PyMapResult& r) { return r.points.size(); })
      .def("__getitem__", [](const PyMapResult& r, py::ssize_t i) {
        const auto n = static_cast<py::ssize_t>(r.points.size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) throw py::index_error("MapFront index out of range");
        return r.points[static_cast<std::size_t>(i)];
      })
      .def("__iter__", [](const PyMapResult& r) { return py::iter(py::cast(r.points)); })
      .def_readonly("objectives", &PyMapResult::objectives)
      .def_readonly("method", &PyMapResult::method, "How the front was found: layerwise (exact), exhaustive, explorer:NAME.")
      .def_readonly("space_size", &PyMapResult::space_size)
      .def_readonly("estimated", &PyMapResult::estimated)
      .def_readonly("seconds", &PyMapResult::seconds)
      .def("to_records", &map_records, "One dict per mapping: every metric and every layer's knobs (fc1.pe, ...).")
      .def("to_pandas", [](const PyMapResult& r) {
        return py::module_::import("pandas").attr("DataFrame")(map_records(r));
      }, "The records as a pandas DataFrame (needs python3-pandas).")
      .def("__repr__", [](const PyMapResult& r) {
        return fmt::format("<codse.MapFront: {} mappings, {} of {:.3g} estimated, {}>", r.points.size(), r.estimated,
                           r.space_size, r.method);
      });
  m.def("map", &map_front, py::arg("network"), py::arg("device"), py::kw_only(),
        py::arg("objectives") = std::vector<std::string>{"lut:min", "bram18:min", "dsp:min", "fps:max"},
        py::arg("constraints") = std::vector<std::string>{}, py::arg("template") = "folded",
        py::arg("clocks_mhz") = std::vector<double>{}, py::arg("allow_overflow") = false, py::arg("explorer") = "nsga2",
        py::arg("budget") = 3000, py::arg("seed") = 1, py::arg("catalog") = py::none(),
        py::arg("cost_model") = "calibrated",
        R"(The hardware abstraction layer: the Pareto-optimal mappings of network on device.

objectives   "METRIC:min|max" (metrics of Estimate.metrics())
constraints  "METRIC<=VALUE" or "METRIC>=VALUE", e.g. "fps>=1000"
template     "folded" (FINN-style), "unrolled" (hls4ml-style) or "both"
clocks_mhz   clocks to consider (default: the device's)
cost_model   "calibrated" (the catalog's calibration where it has one) or "published" (FINN-R's formulas)
Same as `codse hw map`; Ctrl-C interrupts it.)");
}

}  // namespace

void bind_hardware(py::module_& m) {
  bind_device(m);
  bind_mapping(m);
  bind_estimate(m);
  bind_estimator(m);
  bind_map(m);
  m.def(
      "estimate",
      [](const nn::Network& network, const py::object& device, const py::object& mapping, std::optional<double> target_fps,
         std::optional<double> clock_mhz, const std::string& template_name, const py::object& catalog,
         const std::string& cost_model) {
        const auto resolved = resolve_device(device, catalog, cost_model);
        const hw::Estimator estimator(network, resolved.device, resolved.calibration);
        return estimate_with(estimator, network, mapping, target_fps, clock_mhz, template_name);
      },
      py::arg("network"), py::arg("device"), py::arg("mapping") = py::none(), py::kw_only(),
      py::arg("target_fps") = py::none(), py::arg("clock_mhz") = py::none(), py::arg("template") = "folded",
      py::arg("catalog") = py::none(), py::arg("cost_model") = "calibrated",
      R"(The analytic hardware cost of network on device, as `codse hw estimate`.

network     a codse.Network
device      a device name ("XC7Z020", case-insensitive) or a codse.Device
mapping     a codse.Mapping, a mapping file's path, or its dict; or else
target_fps  the fewest-LUT mapping that fits and reaches this throughput (the HAL's front)
            without either: every layer at PE = SIMD = 1 (the smallest folding; mapping_source says so)
clock_mhz   with target_fps or neither: the clock (default: the device's)
template    "folded" or "unrolled" (or "both" with target_fps)
catalog     extra device catalog file(s), as --devices
cost_model  "calibrated": the catalog's calibration against Yosys where it has one (XC7Z020,
            iCE40UP5K, ...; `codse hw devices` shows which); "published": the templates' published
            formulas (FINN-R's) for every device, as --cost-model

Returns an Estimate; print() it for the per-layer table. Raises codse.InputError (a ValueError) for a
wrong device, a mapping of another network or an invalid knob value, with the CLI's message.)");
}

}  // namespace codse::python
