// write_rtl (rtl_design.hpp): Verilog text for every unit of the RtlPlan, the top level and the
// memory files.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "hw/rtl/rtl_design.hpp"
#include "hw/rtl/rtl_library.hpp"
#include "hw/rtl/rtl_plan.hpp"
#include "hw/rtl/trained_widths.hpp"
#include "hw/templates/mapping_file.hpp"
#include "nn/quant/quantizer.hpp"

namespace codse::hw {
namespace {

namespace fs = std::filesystem;
using nn::IntegerOp;
using Params = std::vector<std::pair<std::string, std::string>>;

/// One memory word of any width, filled field by field in two's complement.
class MemoryWord {
 public:
  explicit MemoryWord(int width) : bits_(static_cast<std::size_t>(std::max(width, 1)), 0) {}
  void set(int offset, int width, std::int64_t value) {
    for (int b = 0; b < width; ++b)
      bits_[static_cast<std::size_t>(offset + b)] = static_cast<char>(b < 63 ? (value >> b) & 1 : value < 0);
  }
  std::string hex() const {
    std::string text;
    const int digits = static_cast<int>((bits_.size() + 3) / 4);
    for (int d = digits - 1; d >= 0; --d) {
      int nibble = 0;
      for (int b = 3; b >= 0; --b) {
        const std::size_t bit = static_cast<std::size_t>(4 * d + b);
        nibble = 2 * nibble + (bit < bits_.size() ? bits_[bit] : 0);
      }
      text += "0123456789abcdef"[nibble];
    }
    return text;
  }

 private:
  std::vector<char> bits_;
};

void write_text(const fs::path& path, const std::string& text) { write_file_atomically(path, text); }

void write_memory(const fs::path& path, const std::vector<MemoryWord>& words) {
  std::string text;
  for (const MemoryWord& word : words) text += word.hex() + "\n";
  write_text(path, text);
}

/// k when every value is 2^k (a multiplication by them is a shift), else -1.
int common_power_of_two(const std::vector<std::int64_t>& values) {
  if (values.empty() || values.front() <= 0 || (values.front() & (values.front() - 1)) != 0) return -1;
  for (const std::int64_t v : values)
    if (v != values.front()) return -1;
  return std::countr_zero(static_cast<std::uint64_t>(values.front()));
}

int bits_of(const std::vector<std::int64_t>& values) {
  std::int64_t lo = 0, hi = 0;
  for (const std::int64_t v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return std::max(2, nn::signed_bits(lo, hi));
}

std::string quoted(const std::string& text) { return fmt::format("\"{}\"", text); }

std::string instance(const std::string& module, const Params& params, const std::string& name,
                     const std::vector<std::pair<std::string, std::string>>& ports) {
  std::string text = "  " + module + " #(\n";
  for (std::size_t i = 0; i < params.size(); ++i)
    text += fmt::format("      .{}({}){}\n", params[i].first, params[i].second, i + 1 < params.size() ? "," : "");
  text += "  ) " + name + " (\n";
  for (std::size_t i = 0; i < ports.size(); ++i)
    text += fmt::format("      .{}({}){}\n", ports[i].first, ports[i].second, i + 1 < ports.size() ? "," : "");
  return text + "  );\n";
}

std::vector<std::pair<std::string, std::string>> stream_ports(const std::string& in, const std::string& out) {
  return {{"clk", "clk"},
          {"rst", "rst"},
          {"in_valid", in + "_valid"},
          {"in_ready", in + "_ready"},
          {"in_data", in + "_data"},
          {"out_valid", out + "_valid"},
          {"out_ready", out + "_ready"},
          {"out_data", out + "_data"}};
}

std::string wires(const std::string& stream, int width) {
  return fmt::format("  wire {0}_valid, {0}_ready;\n  wire [{1}:0] {0}_data;\n", stream, width - 1);
}

/// The channel of every element of a per-channel map, laid out per stream word: the pattern of
/// channels repeats every `phases` words (the whole tensor when it never repeats sooner).
struct ChannelLayout {
  int phases = 1;
  std::vector<std::int64_t> channel;  // phases x lanes
};

ChannelLayout channel_layout(const nn::Shape& shape, std::int64_t plane, int lanes) {
  const std::int64_t size = shape.size();
  const auto channel_of = [&](std::int64_t q) { return chw_index(shape, q) / plane; };
  const std::int64_t words = size / lanes;
  std::int64_t phases = words;
  const std::int64_t period = shape.channels / std::gcd<std::int64_t>(shape.channels, lanes);
  if (plane == std::int64_t{shape.height} * shape.width && words % period == 0) phases = period;
  ChannelLayout layout;
  layout.phases = static_cast<int>(phases);
  for (std::int64_t q = 0; q < phases * lanes; ++q) layout.channel.push_back(channel_of(q));
  return layout;
}

constexpr int loaded_style = 3;

/// codse_mvau's WEIGHT_STYLE for a storage: 1 block RAM, 2 LUTs, 3 loaded, 0 as the tool decides.
/// UltraRAM / SPRAM are not initialised by the bitstream (and Yosys refuses a ROM there), so their
/// weights are loaded: RAMs in the large-RAM primitive, written through a load port after reset
/// (FINN's decoupled weight stream, written once). Off-chip weights have no on-chip memory in the
/// estimate; the RTL has no DMA and keeps them as an on-chip ROM the tool places, which
/// synthesis then measures.
int weight_style(WeightStorage storage) {
  switch (storage) {
    case WeightStorage::bram: return 1;
    case WeightStorage::lutram:
    case WeightStorage::logic: return 2;
    case WeightStorage::uram: return loaded_style;
    case WeightStorage::offchip: return 0;
  }
  return 0;
}

std::vector<std::pair<std::string, std::string>> load_ports(const std::string& stream) {
  return {{"wload_valid", stream + "_valid"}, {"wload_ready", stream + "_ready"}, {"wload_data", stream + "_data"}};
}

/// The weight matrix of one matrix-vector unit as codse_mvau stores it: `field(p, a, i)` is lane i
/// of PE p's word at address a (nf * SF + sf), already encoded (a bipolar weight as its bit).
struct WeightArray {
  std::int64_t pe = 1, simd = 1, depth = 1;
  int bits = 1;
  std::function<std::int64_t(std::int64_t, std::int64_t, std::int64_t)> field;

  /// PE p's memory, one word per address: the $readmemh file of the ROM styles.
  std::vector<MemoryWord> pe_words(std::int64_t p) const {
    std::vector<MemoryWord> words;
    for (std::int64_t a = 0; a < depth; ++a) {
      MemoryWord word(static_cast<int>(simd * bits));
      for (std::int64_t i = 0; i < simd; ++i) word.set(static_cast<int>(i * bits), bits, field(p, a, i));
      words.push_back(std::move(word));
    }
    return words;
  }
  /// The load stream: per address one beat of every PE's word, PE p at bits [p SIMD W +: SIMD W].
  std::vector<MemoryWord> load_beats() const {
    std::vector<MemoryWord> beats;
    for (std::int64_t a = 0; a < depth; ++a) {
      MemoryWord beat(static_cast<int>(pe * simd * bits));
      for (std::int64_t p = 0; p < pe; ++p)
        for (std::int64_t i = 0; i < simd; ++i) beat.set(static_cast<int>((p * simd + i) * bits), bits, field(p, a, i));
      beats.push_back(std::move(beat));
    }
    return beats;
  }
};

class Generator {
 public:
  Generator(const nn::Network& network, const nn::IntegerModel& model, const Mapping& mapping, fs::path dir)
      : network_(network), model_(model), mapping_(mapping), dir_(std::move(dir)), plan_(plan_rtl(model, mapping)) {}

  RtlDesign run() {
    fs::create_directories(dir_);
    design_.top = plan_.top;
    design_.dir = dir_;
    for (const RtlLibraryFile& file : rtl_library_files()) {
      write_text(dir_ / std::string(file.name), std::string(file.text));
      library_.push_back(dir_ / std::string(file.name));
    }
    design_.files = library_;
    for (std::size_t u = 0; u < plan_.units.size(); ++u) write_unit(u);
    write_top();
    save_mapping(mapping_, (dir_ / "mapping.json").string());  // the folding the Verilator harness re-plans with
    return design_;
  }

 private:
  std::string header(const std::string& what) const {
    return fmt::format(
        "// Generated by codse (hw rtl): {}\n// network: {}   integer model: {}\n// mapping: template {}, "
        "clock {} MHz; layers:{}\n",
        what, network_.name(), model_.name(), mapping_.accelerator, mapping_.clock_mhz, mapping_summary());
  }

  std::string mapping_summary() const {
    std::string text;
    for (const LayerMapping& layer : mapping_.layers)
      text += fmt::format(" {}(pe {}, simd {}, reuse {}, {})", layer.layer, layer.pe, layer.simd, layer.reuse,
                          to_string(layer.storage));
    return text;
  }

  const IntegerOp& op(int index) const { return model_.ops()[static_cast<std::size_t>(index)]; }

  /// What a load port carries and when (codse_mvau.v, WEIGHT_STYLE 3).
  std::string load_comment(const RtlDesign::WeightLoad& load, const std::string& port) const {
    return fmt::format(
        "// {0}_valid/_ready/_data: the weights of layer {1} (storage uram: UltraRAM / SPRAM, which the\n"
        "//   bitstream does not initialise), {2} beats of {3} bits after reset, before the layer takes\n"
        "//   its first input; beat a is address a of every PE's weight memory (PE p at bits\n"
        "//   [p*{4} +: {4}]), in order in {5}.\n",
        port, load.layer, load.beats, load.width, load.width / load.pe, load.file.filename().string());
  }

  /// Whether op index produces only -1 and +1: a binary (bipolar) quantization, possibly max-pooled.
  bool bipolar_values(int index) const {
    const IntegerOp& o = op(index);
    switch (o.kind) {
      case nn::IntegerOpKind::input:
      case nn::IntegerOpKind::requantize: return nn::is_binary(o.quant);
      case nn::IntegerOpKind::maxpool2d: return bipolar_values(o.inputs.at(0));
      default: return false;
    }
  }
  const nn::Shape& input_shape(int index) const { return op(op(index).inputs.at(0)).shape; }

  std::string memory_name(const std::string& module, const std::string& what) const {
    return fmt::format("{}_{}.mem", module, what);
  }

  void write_unit(std::size_t u) {
    const RtlUnit& unit = plan_.units[u];
    std::string module = fmt::format("{}_{}", plan_.top, verilog_identifier(unit.name));
    while (!module_names_.insert(module).second) module = fmt::format("{}_{}", module, u);
    unit_modules_.push_back(module);
    std::string body;
    std::string stream = "in";
    StreamFormat format = unit.in.at(0);
    int stage = 0;
    const auto next_stream = [&](int width, bool last) {
      if (last) return std::string("out");
      const std::string name = fmt::format("s{}", stage++);
      body += wires(name, width);
      return name;
    };
    const std::size_t count = unit.ops.size();
    const std::size_t loads_before = design_.loads.size();
    for (std::size_t k = 0; k < count; ++k) {
      const int index = unit.ops[k];
      const bool last = k + 1 == count;
      const StreamFormat out = last ? unit.out : element_format(op(index).min, op(index).max, unit.out.lanes);
      switch (op(index).kind) {
        case nn::IntegerOpKind::dense:
        case nn::IntegerOpKind::conv2d: {
          std::string mvau_in = stream;
          if (unit.kind == RtlUnitKind::convolution) {
            mvau_in = next_stream(format.width(), false);
            body += sliding_window(index, format, stream, mvau_in, false);
          }
          const std::string target = next_stream(out.width(), last);
          body += matrix_vector(module, unit, index, format, out, mvau_in, target);
          stream = target;
          break;
        }
        case nn::IntegerOpKind::maxpool2d: {
          const std::string windows = next_stream(format.width(), false);
          body += sliding_window(index, format, stream, windows, true);
          const std::string target = next_stream(out.width(), last);
          body += max_pool(index, format, windows, target);
          stream = target;
          break;
        }
        case nn::IntegerOpKind::add: {
          const std::string target = next_stream(out.width(), last);
          body += add(unit, index, out, target);
          stream = target;
          break;
        }
        case nn::IntegerOpKind::requantize: {
          const std::string target = next_stream(out.width(), last);
          body += requantize(module, index, format, out, stream, target);
          stream = target;
          break;
        }
        case nn::IntegerOpKind::output_affine: {
          const std::string target = next_stream(out.width(), last);
          body += affine(module, index, format, out, stream, target);
          stream = target;
          break;
        }
        case nn::IntegerOpKind::input:
          break;
      }
      format = out;
    }
    std::string ports = "    input wire clk,\n    input wire rst,\n";
    if (unit.kind == RtlUnitKind::add) {
      ports += fmt::format("    input wire a_valid,\n    output wire a_ready,\n    input wire [{}:0] a_data,\n",
                           unit.in[0].width() - 1);
      ports += fmt::format("    input wire b_valid,\n    output wire b_ready,\n    input wire [{}:0] b_data,\n",
                           unit.in[1].width() - 1);
    } else {
      ports += fmt::format("    input wire in_valid,\n    output wire in_ready,\n    input wire [{}:0] in_data,\n",
                           unit.in[0].width() - 1);
    }
    const bool loads = design_.loads.size() > loads_before;
    unit_loads_.push_back(loads ? static_cast<int>(design_.loads.size()) - 1 : -1);
    if (loads)
      ports += fmt::format(
          "    input wire wload_valid,\n    output wire wload_ready,\n    input wire [{}:0] wload_data,\n",
          design_.loads.back().width - 1);
    ports += fmt::format("    output wire out_valid,\n    input wire out_ready,\n    output wire [{}:0] out_data\n",
                         unit.out.width() - 1);
    const std::string text = header(fmt::format("{} unit of layer {}", to_string(unit.kind), unit.name)) +
                             (loads ? load_comment(design_.loads.back(), "wload") : std::string()) + "module " +
                             module + " (\n" + ports + ");\n" + body + "endmodule\n";
    const fs::path file = dir_ / (module + ".v");
    write_text(file, text);
    design_.files.push_back(file);
    RtlDesign::LayerModule layer{unit.name, module, library_};
    layer.files.push_back(file);
    design_.layers.push_back(std::move(layer));
  }

  std::string sliding_window(int index, const StreamFormat& format, const std::string& in, const std::string& out,
                             bool pool) const {
    const IntegerOp& o = op(index);
    const nn::Shape in_shape = input_shape(index);
    const Params params = {{"CHANNELS", std::to_string(in_shape.channels)},
                           {"IN_H", std::to_string(in_shape.height)},
                           {"IN_W", std::to_string(in_shape.width)},
                           {"KERNEL", std::to_string(o.kernel)},
                           {"STRIDE", std::to_string(o.stride)},
                           {"PAD", std::to_string(pool ? 0 : o.padding)},
                           {"OUT_H", std::to_string(o.shape.height)},
                           {"OUT_W", std::to_string(o.shape.width)},
                           {"LANES", std::to_string(format.lanes)},
                           {"BITS", std::to_string(format.bits)},
                           {"SIGNED", format.is_signed ? "1" : "0"},
                           {"PAD_MIN", pool ? "1" : "0"}};
    return instance("codse_swu", params, pool ? "pool_window" : "window", stream_ports(in, out));
  }

  std::string matrix_vector(const std::string& module, const RtlUnit& unit, int index, const StreamFormat& in,
                            const StreamFormat& out, const std::string& from, const std::string& to) {
    const IntegerOp& o = op(index);
    const nn::Shape in_shape = input_shape(index);
    const bool conv = o.kind == nn::IntegerOpKind::conv2d;
    const LayerMapping& layer_mapping = mapping_.layer(unit.name);
    const std::int64_t mh = o.units;
    const std::int64_t mw = conv ? std::int64_t{in_shape.channels} * o.kernel * o.kernel : in_shape.size();
    // Column j of the unit's matrix: conv (ky, kx, c) order; dense the HWC position j.
    const auto weight = [&](std::int64_t row, std::int64_t j) -> std::int64_t {
      if (conv) {
        const std::int64_t c = j % in_shape.channels, k = j / in_shape.channels;
        const std::int64_t ky = k / o.kernel, kx = k % o.kernel;
        return o.weights[static_cast<std::size_t>(((row * in_shape.channels + c) * o.kernel + ky) * o.kernel + kx)];
      }
      return o.weights[static_cast<std::size_t>(row * mw + chw_index(in_shape, j))];
    };
    // Bipolar weights (a binary quantizer's, none pruned to 0) take one bit each and an add or
    // subtract of the input instead of a product; binarized layers (bipolar inputs too, no zero
    // padding) use codse_mvau's XNOR-popcount datapath. Other weights are stored as wide as their
    // trained values need (trained_widths, which the estimate of a trained network reads too).
    const UnitWidths widths = trained_unit_widths(o);
    const bool bipolar = widths.bipolar_weights;
    const bool xnor = bipolar && bipolar_values(o.inputs.at(0)) && o.padding == 0;
    const int w_bits = widths.weight_bits;
    const std::int64_t pe = unit.pe, simd = unit.simd, sf = mw / simd;
    // Address a = nf * SF + sf of PE p holds row nf * PE + p, columns sf * SIMD + i.
    const WeightArray array{pe, simd, mh / pe * sf, w_bits, [&](std::int64_t p, std::int64_t a, std::int64_t i) {
                              const std::int64_t w = weight(a / sf * pe + p, a % sf * simd + i);
                              return bipolar ? std::int64_t{w > 0} : w;
                            }};
    const int style = weight_style(layer_mapping.storage);
    Params params = {{"MW", std::to_string(mw)},
                     {"MH", std::to_string(mh)},
                     {"SIMD", std::to_string(simd)},
                     {"PE", std::to_string(pe)},
                     {"IN_BITS", std::to_string(in.bits)},
                     {"IN_SIGNED", in.is_signed ? "1" : "0"},
                     {"W_BITS", std::to_string(w_bits)},
                     {"ACC_BITS", std::to_string(out.bits)},
                     {"WEIGHT_STYLE", std::to_string(style)},
                     {"USE_DSP", layer_mapping.multipliers == MultiplierStyle::lut ? "0" : "1"},
                     {"BIPOLAR_W", bipolar ? "1" : "0"},
                     {"XNOR", xnor ? "1" : "0"}};
    auto ports = stream_ports(from, to);
    if (style == loaded_style) {
      add_load(module, unit.name, array);
      for (auto& port : load_ports("wload")) ports.push_back(std::move(port));
    } else {
      // One file per PE (codse_mvau.v): the prefix, "_p", the PE in three digits, ".mem".
      const std::string file = fmt::format("{}_weights", module);
      for (std::int64_t p = 0; p < pe; ++p)
        write_memory(dir_ / fmt::format("{}_p{:03}.mem", file, p), array.pe_words(p));
      params.push_back({"WEIGHT_FILE", quoted(file)});
    }
    return instance("codse_mvau", params, "mvau", ports);
  }

  /// The load stream of a unit with loaded weights: its file and its port on the top level.
  void add_load(const std::string& module, const std::string& layer, const WeightArray& array) {
    RtlDesign::WeightLoad load;
    load.layer = layer;
    load.port = verilog_identifier(layer) + "_wload";
    if (!load_port_names_.insert(load.port).second) {  // two layer names alike as identifiers
      load.port = fmt::format("{}_{}", load.port, design_.loads.size());
      load_port_names_.insert(load.port);
    }
    load.width = static_cast<int>(array.pe * array.simd * array.bits);
    load.pe = static_cast<int>(array.pe);
    load.beats = array.depth;
    load.file = dir_ / (module + "_wload.mem");
    write_memory(load.file, array.load_beats());
    design_.loads.push_back(std::move(load));
  }

  std::string max_pool(int index, const StreamFormat& format, const std::string& in, const std::string& out) const {
    const IntegerOp& o = op(index);
    const Params params = {{"LANES", std::to_string(format.lanes)},
                           {"BITS", std::to_string(format.bits)},
                           {"SIGNED", format.is_signed ? "1" : "0"},
                           {"WINDOW", std::to_string(o.kernel * o.kernel)},
                           {"FOLD", std::to_string(o.shape.channels / format.lanes)}};
    return instance("codse_maxpool", params, "pool", stream_ports(in, out));
  }

  std::string add(const RtlUnit& unit, int index, const StreamFormat& out, const std::string& to) const {
    const IntegerOp& o = op(index);
    const Params params = {{"LANES", std::to_string(out.lanes)},
                           {"A_BITS", std::to_string(unit.in[0].bits)},
                           {"A_SIGNED", unit.in[0].is_signed ? "1" : "0"},
                           {"B_BITS", std::to_string(unit.in[1].bits)},
                           {"B_SIGNED", unit.in[1].is_signed ? "1" : "0"},
                           {"SHIFT_A", std::to_string(o.shifts.at(0))},
                           {"SHIFT_B", std::to_string(o.shifts.at(1))},
                           {"OUT_BITS", std::to_string(out.bits)},
                           {"SKIP_DEPTH", std::to_string(unit.skip_depth)}};
    return instance("codse_add", params, "add",
                    {{"clk", "clk"},
                     {"rst", "rst"},
                     {"a_valid", "a_valid"},
                     {"a_ready", "a_ready"},
                     {"a_data", "a_data"},
                     {"b_valid", "b_valid"},
                     {"b_ready", "b_ready"},
                     {"b_data", "b_data"},
                     {"out_valid", to + "_valid"},
                     {"out_ready", to + "_ready"},
                     {"out_data", to + "_data"}});
  }

  std::string requantize(const std::string& module, int index, const StreamFormat& in, const StreamFormat& out,
                         const std::string& from, const std::string& to) const {
    const nn::Requantization& r = op(index).requant;
    const ChannelLayout layout = channel_layout(op(index).shape, r.plane, in.lanes);
    const int lanes = in.lanes;
    if (r.has_shift) {
      const int o_bits = bits_of(r.offsets);
      std::vector<MemoryWord> words;
      for (int f = 0; f < layout.phases; ++f) {
        MemoryWord word(lanes * o_bits);
        for (int l = 0; l < lanes; ++l)
          word.set(l * o_bits, o_bits, r.offsets[static_cast<std::size_t>(layout.channel[static_cast<std::size_t>(f * lanes + l)])]);
        words.push_back(std::move(word));
      }
      const std::string file = memory_name(module, "offsets");
      write_memory(dir_ / file, words);
      const Params params = {{"LANES", std::to_string(lanes)},
                             {"IN_BITS", std::to_string(in.bits)},
                             {"IN_SIGNED", in.is_signed ? "1" : "0"},
                             {"OUT_BITS", std::to_string(out.bits)},
                             {"LEFT", std::to_string(std::max(0, -r.shift))},
                             {"RIGHT", std::to_string(std::max(0, r.shift))},
                             {"LOW", std::to_string(r.low)},
                             {"HIGH", std::to_string(r.high)},
                             {"O_BITS", std::to_string(o_bits)},
                             {"PHASES", std::to_string(layout.phases)},
                             {"OFFSET_FILE", quoted(file)}};
      return instance("codse_shift_requant", params, "requant", stream_ports(from, to));
    }
    const int steps = static_cast<int>(r.levels.size()) - 1;
    const int t_bits = bits_of(r.thresholds);
    std::vector<MemoryWord> thresholds, signs, levels;
    for (int f = 0; f < layout.phases; ++f) {
      MemoryWord t_word(lanes * steps * t_bits), s_word(lanes);
      for (int l = 0; l < lanes; ++l) {
        const std::int64_t c = layout.channel[static_cast<std::size_t>(f * lanes + l)];
        for (int k = 0; k < steps; ++k)
          t_word.set((l * steps + k) * t_bits, t_bits, r.thresholds[static_cast<std::size_t>(c * steps + k)]);
        s_word.set(l, 1, r.sign[static_cast<std::size_t>(c)] < 0 ? 1 : 0);
      }
      thresholds.push_back(std::move(t_word));
      signs.push_back(std::move(s_word));
    }
    for (const int level : r.levels) {
      MemoryWord word(out.bits);
      word.set(0, out.bits, level);
      levels.push_back(std::move(word));
    }
    const std::string t_file = memory_name(module, "thresholds"), s_file = memory_name(module, "signs"),
                      l_file = memory_name(module, "levels");
    write_memory(dir_ / t_file, thresholds);
    write_memory(dir_ / s_file, signs);
    write_memory(dir_ / l_file, levels);
    const Params params = {{"LANES", std::to_string(lanes)},
                           {"IN_BITS", std::to_string(in.bits)},
                           {"IN_SIGNED", in.is_signed ? "1" : "0"},
                           {"OUT_BITS", std::to_string(out.bits)},
                           {"STEPS", std::to_string(steps)},
                           {"T_BITS", std::to_string(t_bits)},
                           {"PHASES", std::to_string(layout.phases)},
                           {"THRESHOLD_FILE", quoted(t_file)},
                           {"SIGN_FILE", quoted(s_file)},
                           {"LEVEL_FILE", quoted(l_file)}};
    return instance("codse_thresholds", params, "thresholds", stream_ports(from, to));
  }

  std::string affine(const std::string& module, int index, const StreamFormat& in, const StreamFormat& out,
                     const std::string& from, const std::string& to) const {
    const nn::OutputAffine& a = op(index).affine;
    const ChannelLayout layout = channel_layout(op(index).shape, a.plane, in.lanes);
    const int lanes = in.lanes, m_bits = bits_of(a.multipliers), o_bits = bits_of(a.offsets);
    const int m_shift = common_power_of_two(a.multipliers);
    std::vector<MemoryWord> multipliers, offsets;
    for (int f = 0; f < layout.phases; ++f) {
      MemoryWord m_word(lanes * m_bits), o_word(lanes * o_bits);
      for (int l = 0; l < lanes; ++l) {
        const auto c = static_cast<std::size_t>(layout.channel[static_cast<std::size_t>(f * lanes + l)]);
        m_word.set(l * m_bits, m_bits, a.multipliers[c]);
        o_word.set(l * o_bits, o_bits, a.offsets[c]);
      }
      multipliers.push_back(std::move(m_word));
      offsets.push_back(std::move(o_word));
    }
    const std::string m_file = memory_name(module, "multipliers"), o_file = memory_name(module, "offsets");
    write_memory(dir_ / m_file, multipliers);
    write_memory(dir_ / o_file, offsets);
    const Params params = {{"LANES", std::to_string(lanes)},
                           {"IN_BITS", std::to_string(in.bits)},
                           {"IN_SIGNED", in.is_signed ? "1" : "0"},
                           {"OUT_BITS", std::to_string(out.bits)},
                           {"M_BITS", std::to_string(m_bits)},
                           {"M_SHIFT", std::to_string(m_shift)},
                           {"O_BITS", std::to_string(o_bits)},
                           {"PHASES", std::to_string(layout.phases)},
                           {"MULTIPLIER_FILE", quoted(m_file)},
                           {"OFFSET_FILE", quoted(o_file)}};
    return instance("codse_affine", params, "affine", stream_ports(from, to));
  }

  /// The top level: units connected as the ops are, with width converters where lanes differ and
  /// forks where an output has two readers. Under CODSE_PROBES every unit's output handshake is a
  /// port, for the Verilator harness to compare layer by layer.
  void write_top() {
    const std::size_t n = plan_.units.size();
    std::string body;
    std::map<int, std::vector<std::pair<std::size_t, std::size_t>>> readers;  // unit (-1 input) -> (unit, port)
    for (std::size_t u = 0; u < n; ++u)
      for (std::size_t k = 0; k < plan_.units[u].inputs.size(); ++k) readers[plan_.units[u].inputs[k]].push_back({u, k});
    std::map<std::pair<std::size_t, std::size_t>, std::string> source_of;  // (unit, port) -> stream name
    const auto format_of = [&](int u) { return u < 0 ? plan_.input : plan_.units[static_cast<std::size_t>(u)].out; };
    for (int u = -1; u < static_cast<int>(n); ++u) {
      const std::string stream = u < 0 ? std::string("in") : fmt::format("u{}", u);
      if (u >= 0) body += wires(stream, format_of(u).width());
      const auto& list = readers[u];
      if (list.size() > 2) throw InputError("integer model " + model_.name() + ": an output read by more than two ops");
      if (list.size() == 2) {
        body += wires(stream + "_a", format_of(u).width()) + wires(stream + "_b", format_of(u).width());
        body += instance("codse_fork", {{"WIDTH", std::to_string(format_of(u).width())}}, stream + "_fork",
                         {{"in_valid", stream + "_valid"}, {"in_ready", stream + "_ready"}, {"in_data", stream + "_data"},
                          {"a_valid", stream + "_a_valid"}, {"a_ready", stream + "_a_ready"}, {"a_data", stream + "_a_data"},
                          {"b_valid", stream + "_b_valid"}, {"b_ready", stream + "_b_ready"}, {"b_data", stream + "_b_data"}});
        source_of[list[0]] = stream + "_a";
        source_of[list[1]] = stream + "_b";
      } else if (list.size() == 1) {
        source_of[list[0]] = stream;
      }
    }
    for (std::size_t u = 0; u < n; ++u) {
      const RtlUnit& unit = plan_.units[u];
      std::vector<std::string> inputs;
      for (std::size_t k = 0; k < unit.inputs.size(); ++k) {
        std::string source = source_of.at({u, k});
        const StreamFormat from = format_of(unit.inputs[k]);
        if (from.lanes != unit.in[k].lanes) {
          const std::string converted = fmt::format("u{}_in{}", u, k);
          body += wires(converted, unit.in[k].width());
          body += instance("codse_dwc",
                           {{"IN_LANES", std::to_string(from.lanes)},
                            {"OUT_LANES", std::to_string(unit.in[k].lanes)},
                            {"BITS", std::to_string(from.bits)}},
                           converted + "_dwc", stream_ports(source, converted));
          source = converted;
        }
        inputs.push_back(source);
      }
      const std::string out = fmt::format("u{}", u);
      std::vector<std::pair<std::string, std::string>> ports = {{"clk", "clk"}, {"rst", "rst"}};
      const std::vector<std::string> names = unit.kind == RtlUnitKind::add ? std::vector<std::string>{"a", "b"}
                                                                           : std::vector<std::string>{"in"};
      for (std::size_t k = 0; k < names.size(); ++k) {
        ports.push_back({names[k] + "_valid", inputs[k] + "_valid"});
        ports.push_back({names[k] + "_ready", inputs[k] + "_ready"});
        ports.push_back({names[k] + "_data", inputs[k] + "_data"});
      }
      if (unit_loads_[u] >= 0)
        for (auto& port : load_ports(design_.loads[static_cast<std::size_t>(unit_loads_[u])].port))
          ports.push_back(std::move(port));
      ports.push_back({"out_valid", out + "_valid"});
      ports.push_back({"out_ready", out + "_ready"});
      ports.push_back({"out_data", out + "_data"});
      body += instance(unit_modules_[u], {}, fmt::format("unit{}_{}", u, verilog_identifier(unit.name)), ports);
    }
    const std::string last = fmt::format("u{}", n - 1);
    body += fmt::format("  assign out_valid = {0}_valid;\n  assign {0}_ready = out_ready;\n  assign out_data = {0}_data;\n",
                        last);
    std::string probes, probe_assigns;
    for (std::size_t u = 0; u < n; ++u) {
      probes += fmt::format("    output wire probe{}_fire,\n    output wire [{}:0] probe{}_data,\n", u,
                            plan_.units[u].out.width() - 1, u);
      probe_assigns += fmt::format("  assign probe{0}_fire = u{0}_valid && u{0}_ready;\n  assign probe{0}_data = u{0}_data;\n", u);
    }
    std::string text = header("top level of the network's accelerator");
    text += "// Ports: valid/ready streams; a word carries `lanes` elements, element i at bits [i*BITS +: BITS].\n";
    text += fmt::format("// in:  {} lanes x {} bits {}   out: {} lanes x {} bits {}\n", plan_.input.lanes,
                        plan_.input.bits, plan_.input.is_signed ? "signed" : "unsigned", plan_.output_unit().out.lanes,
                        plan_.output_unit().out.bits, plan_.output_unit().out.is_signed ? "signed" : "unsigned");
    text += "// Memory files ($readmemh) are named relative to this directory: run tools from it.\n";
    std::string load_ports_text;
    for (const RtlDesign::WeightLoad& load : design_.loads) {
      text += load_comment(load, load.port);
      load_ports_text += fmt::format(
          "    input wire {0}_valid,\n    output wire {0}_ready,\n    input wire [{1}:0] {0}_data,\n", load.port,
          load.width - 1);
    }
    text += "module " + plan_.top + " (\n`ifdef CODSE_PROBES\n" + probes + "`endif\n";
    text += fmt::format(
        "    input wire clk,\n    input wire rst,\n{}    input wire in_valid,\n    output wire in_ready,\n"
        "    input wire [{}:0] in_data,\n    output wire out_valid,\n    input wire out_ready,\n"
        "    output wire [{}:0] out_data\n);\n",
        load_ports_text, plan_.input.width() - 1, plan_.output_unit().out.width() - 1);
    text += body + "`ifdef CODSE_PROBES\n" + probe_assigns + "`endif\nendmodule\n";
    const fs::path file = dir_ / (plan_.top + ".v");
    write_text(file, text);
    design_.files.push_back(file);
  }

  const nn::Network& network_;
  const nn::IntegerModel& model_;
  const Mapping& mapping_;
  fs::path dir_;
  RtlPlan plan_;
  RtlDesign design_;
  std::vector<fs::path> library_;
  std::vector<std::string> unit_modules_;
  std::vector<int> unit_loads_;  // per unit: its index in design_.loads, -1 when it loads nothing
  std::set<std::string> module_names_, load_port_names_;
};

}  // namespace

RtlDesign write_rtl(const nn::Network& network, const nn::IntegerModel& model, const Mapping& mapping,
                    const std::filesystem::path& out_dir) {
  return Generator(network, model, mapping, out_dir).run();
}

}  // namespace codse::hw
