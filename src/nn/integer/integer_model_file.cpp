// IntegerModel::save and IntegerModel::load: the JSON integer model file (docs/FORMATS.md,
// "Integer model file"). Loading checks every field's presence and type here and the consistency of
// the ops (sizes, shapes, exponents, bounds) in the IntegerModel constructor.

#include <fstream>
#include <iterator>
#include <limits>
#include <type_traits>
#include <vector>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "nn/integer/integer_model.hpp"
#include "nn/ir/json_input.hpp"

namespace codse::nn {
namespace {

using nlohmann::json;

constexpr const char* format_name = "codse-integer-model";
constexpr int format_version = 1;

json quant_json(const QuantSpec& q) {
  return {{"bits", q.bits}, {"signed", q.is_signed}, {"ternary", q.ternary}};
}

json shape_json(Shape s) { return json::array({s.channels, s.height, s.width}); }

json requant_json(const Requantization& r) {
  json j = {{"channels", r.channels}, {"plane", r.plane}, {"levels", r.levels}};
  if (r.has_thresholds()) {
    const std::size_t steps = r.levels.size() - 1;
    json rows = json::array();
    for (std::size_t c = 0; c < static_cast<std::size_t>(r.channels); ++c) {
      rows.push_back(
          std::vector<std::int64_t>(r.thresholds.begin() + static_cast<std::ptrdiff_t>(c * steps),
                                    r.thresholds.begin() + static_cast<std::ptrdiff_t>((c + 1) * steps)));
    }
    j["sign"] = std::vector<int>(r.sign.begin(), r.sign.end());
    j["thresholds"] = std::move(rows);
  }
  if (r.has_shift)
    j["shift"] = {{"shift", r.shift}, {"offsets", r.offsets}, {"low", r.low}, {"high", r.high}};
  return j;
}

json op_json(const IntegerOp& op) {
  json j = {{"kind", to_string(op.kind)},
            {"name", op.name},
            {"inputs", op.inputs},
            {"shape", shape_json(op.shape)},
            {"scale_log2", op.scale_log2},
            {"min", op.min},
            {"max", op.max},
            {"bits", op.bits}};
  switch (op.kind) {
    case IntegerOpKind::input:
      j["quant"] = quant_json(op.quant);
      break;
    case IntegerOpKind::conv2d:
      j["kernel"] = op.kernel;
      j["stride"] = op.stride;
      j["padding"] = op.padding;
      [[fallthrough]];
    case IntegerOpKind::dense:
      j["units"] = op.units;
      j["weight_quant"] = quant_json(op.weight_quant);
      j["weight_scale_log2"] = op.weight_scale_log2;
      j["weights"] = op.weights;
      break;
    case IntegerOpKind::requantize:
      j["quant"] = quant_json(op.quant);
      j["requant"] = requant_json(op.requant);
      break;
    case IntegerOpKind::maxpool2d:
      j["kernel"] = op.kernel;
      j["stride"] = op.stride;
      break;
    case IntegerOpKind::add:
      j["shifts"] = op.shifts;
      break;
    case IntegerOpKind::output_affine:
      j["affine"] = {{"channels", op.affine.channels},
                     {"plane", op.affine.plane},
                     {"multipliers", op.affine.multipliers},
                     {"offsets", op.affine.offsets}};
      break;
  }
  return j;
}

template <typename T>
struct IsVector : std::false_type {};
template <typename T>
struct IsVector<std::vector<T>> : std::true_type {};

// One value as T; integers (also inside lists) are range-checked for T instead of being wrapped by
// nlohmann's get (a weight of 2^32 would read as 0). Errors name the path ("ops[2].weights[7]").
template <typename T>
T convert(const json& value, const std::string& where) {
  if constexpr (IsVector<T>::value) {
    if (!value.is_array()) throw InputError(where + ": has the wrong type (" + value.type_name() + ", expected a list)");
    T list;
    list.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i)
      list.push_back(convert<typename T::value_type>(value[i], where + "[" + std::to_string(i) + "]"));
    return list;
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!value.is_number_integer())
      throw InputError(where + ": has the wrong type (" + value.type_name() + ", expected an integer)");
    const auto x = json_integer_as<T>(value);
    if (!x) {
      throw InputError(where + ": " + value.dump() + " is out of range (" +
                       std::to_string(std::numeric_limits<T>::min()) + " to " +
                       std::to_string(std::numeric_limits<T>::max()) + ")");
    }
    return *x;
  } else {
    try {
      return value.template get<T>();
    } catch (const json::exception&) {
      throw InputError(where + ": has the wrong type (" + value.type_name() + ")");
    }
  }
}

// Reads the fields of one JSON object; errors name the path of the field ("ops[2].weights").
class Fields {
 public:
  Fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) throw InputError(where_ + ": expected an object");
  }
  template <typename T>
  T get(const std::string& key) const {
    const auto found = object_.find(key);
    if (found == object_.end()) throw InputError(where_ + "." + key + ": missing");
    return convert<T>(*found, where_ + "." + key);
  }
  bool has(const std::string& key) const { return object_.contains(key); }
  Fields sub(const std::string& key) const {
    const auto found = object_.find(key);
    if (found == object_.end()) throw InputError(where_ + "." + key + ": missing");
    return Fields(*found, where_ + "." + key);
  }
  const json& raw(const std::string& key) const {
    const auto found = object_.find(key);
    if (found == object_.end()) throw InputError(where_ + "." + key + ": missing");
    return *found;
  }
  const std::string& where() const { return where_; }

 private:
  const json& object_;
  std::string where_;
};

QuantSpec read_quant(const Fields& f) {
  QuantSpec q;
  q.bits = f.get<int>("bits");
  q.is_signed = f.get<bool>("signed");
  q.ternary = f.get<bool>("ternary");
  return q;
}

Shape read_shape(const Fields& f) {
  const auto dims = f.get<std::vector<int>>("shape");
  if (dims.size() != 3) throw InputError(f.where() + ".shape: expected [channels, height, width]");
  return {dims[0], dims[1], dims[2]};
}

IntegerOpKind read_kind(const Fields& f) {
  const auto name = f.get<std::string>("kind");
  for (const IntegerOpKind kind :
       {IntegerOpKind::input, IntegerOpKind::dense, IntegerOpKind::conv2d, IntegerOpKind::requantize,
        IntegerOpKind::maxpool2d, IntegerOpKind::add, IntegerOpKind::output_affine}) {
    if (name == to_string(kind)) return kind;
  }
  throw InputError(f.where() + ".kind: unknown op kind '" + name + "'");
}

Requantization read_requant(const Fields& f) {
  Requantization r;
  r.channels = f.get<int>("channels");
  r.plane = f.get<std::int64_t>("plane");
  r.levels = f.get<std::vector<int>>("levels");
  if (f.has("thresholds")) {
    const auto signs = f.get<std::vector<int>>("sign");
    r.sign.assign(signs.begin(), signs.end());
    const auto rows = f.get<std::vector<std::vector<std::int64_t>>>("thresholds");
    for (std::size_t c = 0; c < rows.size(); ++c) {
      if (rows[c].size() + 1 != r.levels.size()) {
        throw InputError(f.where() + ".thresholds[" + std::to_string(c) + "]: has " +
                         std::to_string(rows[c].size()) + " thresholds, expected " +
                         std::to_string(r.levels.size() - 1));
      }
      r.thresholds.insert(r.thresholds.end(), rows[c].begin(), rows[c].end());
    }
    if (rows.empty()) throw InputError(f.where() + ".thresholds: empty");
  }
  if (f.has("shift")) {
    const Fields s = f.sub("shift");
    r.has_shift = true;
    r.shift = s.get<int>("shift");
    r.offsets = s.get<std::vector<std::int64_t>>("offsets");
    r.low = s.get<int>("low");
    r.high = s.get<int>("high");
  }
  return r;
}

IntegerOp read_op(const Fields& f) {
  IntegerOp op;
  op.kind = read_kind(f);
  op.name = f.get<std::string>("name");
  op.inputs = f.get<std::vector<int>>("inputs");
  op.shape = read_shape(f);
  op.scale_log2 = f.get<int>("scale_log2");
  op.min = f.get<std::int64_t>("min");
  op.max = f.get<std::int64_t>("max");
  op.bits = f.get<int>("bits");
  switch (op.kind) {
    case IntegerOpKind::input:
      op.quant = read_quant(f.sub("quant"));
      break;
    case IntegerOpKind::conv2d:
      op.kernel = f.get<int>("kernel");
      op.stride = f.get<int>("stride");
      op.padding = f.get<int>("padding");
      [[fallthrough]];
    case IntegerOpKind::dense:
      op.units = f.get<int>("units");
      op.weight_quant = read_quant(f.sub("weight_quant"));
      op.weight_scale_log2 = f.get<int>("weight_scale_log2");
      op.weights = f.get<std::vector<std::int32_t>>("weights");
      break;
    case IntegerOpKind::requantize:
      op.quant = read_quant(f.sub("quant"));
      op.requant = read_requant(f.sub("requant"));
      break;
    case IntegerOpKind::maxpool2d:
      op.kernel = f.get<int>("kernel");
      op.stride = f.get<int>("stride");
      break;
    case IntegerOpKind::add:
      op.shifts = f.get<std::vector<int>>("shifts");
      break;
    case IntegerOpKind::output_affine: {
      const Fields a = f.sub("affine");
      op.affine.channels = a.get<int>("channels");
      op.affine.plane = a.get<std::int64_t>("plane");
      op.affine.multipliers = a.get<std::vector<std::int64_t>>("multipliers");
      op.affine.offsets = a.get<std::vector<std::int64_t>>("offsets");
      break;
    }
  }
  return op;
}

}  // namespace

void IntegerModel::save(const std::string& path) const {
  json ops = json::array();
  for (const IntegerOp& op : ops_) ops.push_back(op_json(op));
  const json file = {
      {"format", format_name}, {"version", format_version}, {"name", name_}, {"ops", std::move(ops)}};
  // Atomically: a run stopped while writing leaves the previous model, never half of one.
  write_file_atomically(path, file.dump() + '\n');
}

IntegerModel IntegerModel::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("integer model file " + path + ": cannot open");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  try {
    const json file = parse_json_unique_keys<json>(text, "");
    const Fields top(file, "model");
    if (top.get<std::string>("format") != format_name) {
      throw InputError("model.format: expected \"" + std::string(format_name) + "\"");
    }
    const int version = top.get<int>("version");
    if (version != format_version)
      throw InputError("model.version: unsupported version " + std::to_string(version));
    const json& list = top.raw("ops");
    if (!list.is_array()) throw InputError("model.ops: expected an array");
    std::vector<IntegerOp> ops;
    for (std::size_t i = 0; i < list.size(); ++i)
      ops.push_back(read_op(Fields(list[i], "ops[" + std::to_string(i) + "]")));
    return IntegerModel(top.get<std::string>("name"), std::move(ops));
  } catch (const json::parse_error& error) {
    throw InputError("integer model file " + path + ": not valid JSON (truncated?): " + error.what());
  } catch (const InputError& error) {
    throw InputError("integer model file " + path + ": " + error.what());
  }
}

}  // namespace codse::nn
