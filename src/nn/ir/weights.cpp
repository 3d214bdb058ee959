#include "nn/ir/weights.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

// The binary layout (docs/FORMATS.md, "Weights file"), every number little-endian:
//   magic "CODSEWTS" (8 bytes), u32 version (1), u32 layer count, then per layer:
//   u32 name length, name bytes, f32 eps, u8 flags (bit 0: weight scale present, bit 1: activation
//   scale present), i32 weight_scale_log2, i32 activation_scale_log2, u32 tensor count, and per
//   tensor: u8 tag (0 weight, 1 bias, 2 mask, 3 gamma, 4 beta, 5 running_mean, 6 running_var),
//   u32 rank, i64 dims[rank], f32 data[product of dims].

namespace codse::nn {
namespace {

constexpr std::array<char, 8> magic{'C', 'O', 'D', 'S', 'E', 'W', 'T', 'S'};
constexpr std::uint32_t format_version = 1;
constexpr std::array<const char*, 7> tensor_names{"weight", "bias",         "mask",       "gamma",
                                                  "beta",   "running_mean", "running_var"};

std::array<Tensor*, 7> tensors_of(LayerWeights& w) {
  return {&w.weight, &w.bias, &w.mask, &w.gamma, &w.beta, &w.running_mean, &w.running_var};
}

std::array<const Tensor*, 7> tensors_of(const LayerWeights& w) {
  return {&w.weight, &w.bias, &w.mask, &w.gamma, &w.beta, &w.running_mean, &w.running_var};
}

class ByteWriter {
 public:
  template <typename Unsigned>
  void put(Unsigned value) {
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i)
      bytes_.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
  void put_i32(std::int32_t v) { put(static_cast<std::uint32_t>(v)); }
  void put_i64(std::int64_t v) { put(static_cast<std::uint64_t>(v)); }
  void put_f32(float v) { put(std::bit_cast<std::uint32_t>(v)); }
  void put_bytes(const char* data, std::size_t n) { bytes_.insert(bytes_.end(), data, data + n); }
  const std::vector<char>& bytes() const { return bytes_; }

 private:
  std::vector<char> bytes_;
};

// Reads the file's bytes in order; every read names what it was reading when the file ends early.
class ByteReader {
 public:
  ByteReader(std::vector<char> bytes, std::string path) : bytes_(std::move(bytes)), path_(std::move(path)) {}

  template <typename Unsigned>
  Unsigned get(const std::string& what) {
    require(sizeof(Unsigned), what);
    Unsigned value = 0;
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
      value |= static_cast<Unsigned>(static_cast<unsigned char>(bytes_[at_ + i])) << (8 * i);
    }
    at_ += sizeof(Unsigned);
    return value;
  }
  std::int32_t get_i32(const std::string& what) {
    return static_cast<std::int32_t>(get<std::uint32_t>(what));
  }
  std::int64_t get_i64(const std::string& what) {
    return static_cast<std::int64_t>(get<std::uint64_t>(what));
  }
  float get_f32(const std::string& what) { return std::bit_cast<float>(get<std::uint32_t>(what)); }
  std::string get_string(std::size_t n, const std::string& what) {
    require(n, what);
    std::string text(bytes_.data() + at_, n);
    at_ += n;
    return text;
  }
  std::size_t remaining() const { return bytes_.size() - at_; }
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError("weights file " + path_ + ": " + message);
  }

 private:
  void require(std::size_t n, const std::string& what) const {
    if (remaining() < n) {
      fail("truncated at byte " + std::to_string(bytes_.size()) + " while reading " + what);
    }
  }
  std::vector<char> bytes_;
  std::string path_;
  std::size_t at_ = 0;
};

void write_tensor(ByteWriter& out, std::uint8_t tag, const Tensor& t) {
  out.put(tag);
  out.put(static_cast<std::uint32_t>(t.shape.size()));
  for (const std::int64_t d : t.shape) out.put_i64(d);
  for (const float v : t.data) out.put_f32(v);
}

Tensor read_tensor(ByteReader& in, const std::string& what) {
  Tensor t;
  const auto rank = in.get<std::uint32_t>(what + " rank");
  if (rank > 8) in.fail(what + " has rank " + std::to_string(rank) + ", expected at most 8");
  std::int64_t count = rank == 0 ? 0 : 1;
  for (std::uint32_t i = 0; i < rank; ++i) {
    const std::int64_t d = in.get_i64(what + " shape");
    if (d < 0) in.fail(what + " has a negative dimension " + std::to_string(d));
    t.shape.push_back(d);
    // Checked before multiplying and allocating, so a corrupt size cannot overflow or ask for
    // terabytes: the data must fit in what is left of the file.
    const auto fits = static_cast<std::int64_t>(in.remaining() / sizeof(float));
    if (d != 0 && count > fits / d) {
      in.fail("truncated: " + what + " of shape dimension " + std::to_string(d) +
              " needs more data than the file holds");
    }
    count *= d;
  }
  t.data.resize(static_cast<std::size_t>(count));
  for (float& v : t.data) v = in.get_f32(what + " data");
  return t;
}

void write_layer(ByteWriter& out, const std::string& name, const LayerWeights& w) {
  out.put(static_cast<std::uint32_t>(name.size()));
  out.put_bytes(name.data(), name.size());
  out.put_f32(w.eps);
  const std::uint8_t flags = (w.weight_scale_log2 ? 1 : 0) | (w.activation_scale_log2 ? 2 : 0);
  out.put(flags);
  out.put_i32(w.weight_scale_log2.value_or(0));
  out.put_i32(w.activation_scale_log2.value_or(0));
  const auto tensors = tensors_of(w);
  std::uint32_t present = 0;
  for (const Tensor* t : tensors) present += t->shape.empty() && t->data.empty() ? 0 : 1;
  out.put(present);
  for (std::size_t tag = 0; tag < tensors.size(); ++tag) {
    const Tensor& t = *tensors[tag];
    if (t.shape.empty() && t.data.empty()) continue;
    if (static_cast<std::int64_t>(t.data.size()) != t.numel()) {
      throw std::invalid_argument("weights of layer " + name + ": tensor " + tensor_names[tag] + " has " +
                                  std::to_string(t.data.size()) + " values for " + std::to_string(t.numel()) +
                                  " elements of its shape");
    }
    write_tensor(out, static_cast<std::uint8_t>(tag), t);
  }
}

std::pair<std::string, LayerWeights> read_layer(ByteReader& in, std::uint32_t index) {
  const std::string where = "layer #" + std::to_string(index);
  const auto name_length = in.get<std::uint32_t>(where + " name length");
  if (name_length > in.remaining()) in.fail("truncated while reading " + where + " name");
  const std::string name = in.get_string(name_length, where + " name");
  const std::string layer = "layer '" + name + "'";
  LayerWeights w;
  w.eps = in.get_f32(layer + " eps");
  const auto flags = in.get<std::uint8_t>(layer + " flags");
  const std::int32_t weight_scale = in.get_i32(layer + " weight_scale_log2");
  const std::int32_t activation_scale = in.get_i32(layer + " activation_scale_log2");
  if (flags & 1) w.weight_scale_log2 = weight_scale;
  if (flags & 2) w.activation_scale_log2 = activation_scale;
  const auto count = in.get<std::uint32_t>(layer + " tensor count");
  if (count > tensor_names.size()) {
    in.fail(layer + " has " + std::to_string(count) + " tensors, expected at most 7");
  }
  auto tensors = tensors_of(w);
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto tag = in.get<std::uint8_t>(layer + " tensor tag");
    if (tag >= tensors.size()) in.fail(layer + " has unknown tensor tag " + std::to_string(tag));
    *tensors[tag] = read_tensor(in, layer + " tensor " + tensor_names[tag]);
  }
  return {name, std::move(w)};
}

}  // namespace

std::int64_t Tensor::numel() const {
  if (shape.empty()) return 0;  // an empty shape is an absent tensor, not a scalar
  std::int64_t n = 1;
  for (const std::int64_t d : shape) n *= d;
  return n;
}

const LayerWeights& Weights::at(const std::string& layer) const {
  const auto found = layers.find(layer);
  if (found == layers.end()) throw InputError("weights: no weights for layer " + layer);
  return found->second;
}

LayerWeights& Weights::at(const std::string& layer) {
  const auto found = layers.find(layer);
  if (found == layers.end()) throw InputError("weights: no weights for layer " + layer);
  return found->second;
}

void Weights::save(const std::string& path) const {
  ByteWriter out;
  out.put_bytes(magic.data(), magic.size());
  out.put(format_version);
  out.put(static_cast<std::uint32_t>(layers.size()));
  for (const auto& [name, w] : layers) write_layer(out, name, w);
  write_file_atomically(path, std::string_view(out.bytes().data(), out.bytes().size()));
}

Weights Weights::load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError("weights file " + path + ": cannot open");
  std::vector<char> bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  ByteReader in(std::move(bytes), path);
  if (in.remaining() < magic.size() ||
      in.get_string(magic.size(), "magic") != std::string(magic.data(), magic.size())) {
    in.fail("not a codse weights file (bad magic, expected \"CODSEWTS\")");
  }
  const auto version = in.get<std::uint32_t>("version");
  if (version != format_version) {
    in.fail("unsupported version " + std::to_string(version) + ", expected " +
            std::to_string(format_version));
  }
  const auto count = in.get<std::uint32_t>("layer count");
  Weights weights;
  for (std::uint32_t i = 0; i < count; ++i) {
    auto [name, w] = read_layer(in, i);
    if (!weights.layers.emplace(name, std::move(w)).second) in.fail("layer '" + name + "' appears twice");
  }
  if (in.remaining() != 0) {
    in.fail(std::to_string(in.remaining()) + " unexpected bytes after the last layer");
  }
  return weights;
}

}  // namespace codse::nn
