#include "hw/model/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace codse::hw {
namespace {

double field(const nlohmann::json& object, const char* name, double fallback, const std::string& where) {
  if (!object.contains(name)) return fallback;
  if (!object.at(name).is_number())
    throw InputError(fmt::format("{}: calibration field '{}': expected a number", where, name));
  const double value = object.at(name).get<double>();
  if (!std::isfinite(value)) throw InputError(fmt::format("{}: calibration field '{}': not finite", where, name));
  return value;
}

/// Old names of terms, read as their new ones: (old, new).
constexpr std::pair<std::string_view, std::string_view> kRenamedTerms[] = {{"xnor_terms", "popcount_terms"}};

/// A term's current name for a name a catalog uses (its own, or the one it was renamed to).
std::string_view current_name(std::string_view name) {
  for (const auto& [old_name, new_name] : kRenamedTerms)
    if (name == old_name) return new_name;
  return name;
}

/// Whether a catalog's terms object holds the term, under its name or an old one.
bool holds_term(const nlohmann::json& terms, std::string_view term) {
  for (const auto& [key, value] : terms.items())
    if (current_name(key) == term) return true;
  return false;
}

/// Reads {"term": coefficient, ...} into coefficients named by to_string(Term).
template <typename Term, std::size_t N>
void read_terms(const nlohmann::json& object, const char* name, std::array<double, N>& coefficients,
                const std::string& where) {
  const auto& terms = object.at(name);
  if (!terms.is_object()) throw InputError(fmt::format("{}: calibration field '{}': expected an object", where, name));
  for (const auto& [key, value] : terms.items()) {
    const std::string_view current = current_name(key);
    std::size_t index = N;
    for (std::size_t i = 0; i < N; ++i)
      if (to_string(static_cast<Term>(i)) == current) index = i;
    if (index == N) throw InputError(fmt::format("{}: calibration field '{}': unknown term '{}'", where, name, key));
    const nlohmann::json& number = value;
    const double coefficient = number.is_number() ? number.get<double>() : -1.0;
    if (!std::isfinite(coefficient) || coefficient < 0.0)
      throw InputError(
          fmt::format("{}: calibration field '{}.{}': expected a non-negative number", where, name, key));
    coefficients[index] = coefficient;
  }
}

template <typename Term, std::size_t N>
nlohmann::json write_terms(const std::array<double, N>& coefficients) {
  nlohmann::json object = nlohmann::json::object();
  for (std::size_t i = 0; i < N; ++i) object[std::string(to_string(static_cast<Term>(i)))] = coefficients[i];
  return object;
}

}  // namespace

std::string_view to_string(LutTerm term) {
  switch (term) {
    case LutTerm::control: return "control";
    case LutTerm::counters: return "counters";
    case LutTerm::multipliers: return "multipliers";
    case LutTerm::constant_multipliers: return "constant_multipliers";
    case LutTerm::products: return "products";
    case LutTerm::adders: return "adders";
    case LutTerm::accumulators: return "accumulators";
    case LutTerm::weight_memory: return "weight_memory";
    case LutTerm::input_buffer: return "input_buffer";
    case LutTerm::requant: return "requant";
    case LutTerm::popcount_terms: return "popcount_terms";
    case LutTerm::tree_levels: return "tree_levels";
    case LutTerm::stacked_memory: return "stacked_memory";
    case LutTerm::weight_bit_adds: return "weight_bit_adds";
  }
  return "?";
}

std::string_view to_string(FfTerm term) {
  switch (term) {
    case FfTerm::control: return "control";
    case FfTerm::operands: return "operands";
    case FfTerm::accumulators: return "accumulators";
    case FfTerm::requant: return "requant";
    case FfTerm::block_ram_reads: return "block_ram_reads";
  }
  return "?";
}


void Calibration::apply(Resources& r) const {
  if (by_terms) return;
  r.lut = std::max({lut_offset + lut_scale * r.lut, r.lutram, 0.0});
  r.ff = std::max(ff_offset + ff_scale * r.ff, 0.0);
}

nlohmann::json Calibration::to_json() const {
  if (by_terms)
    return {{"lut_terms", write_terms<LutTerm>(lut_terms)}, {"ff_terms", write_terms<FfTerm>(ff_terms)}, {"source", source}};
  return {{"lut_offset", lut_offset}, {"lut_scale", lut_scale}, {"ff_offset", ff_offset},
          {"ff_scale", ff_scale},     {"source", source}};
}

Calibration Calibration::from_json(const nlohmann::json& object, const std::string& where) {
  if (!object.is_object()) throw InputError(fmt::format("{}: calibration: expected an object", where));
  Calibration c;
  if (object.contains("lut_terms") || object.contains("ff_terms")) {
    if (!object.contains("lut_terms") || !object.contains("ff_terms"))
      throw InputError(fmt::format("{}: calibration: lut_terms and ff_terms go together", where));
    c.by_terms = true;
    read_terms<LutTerm>(object, "lut_terms", c.lut_terms, where);
    read_terms<FfTerm>(object, "ff_terms", c.ff_terms, where);
    // Catalogs fitted before XNOR units had a term of their own costed each XNOR term as a product
    // and an adder-tree bit: read without it, they keep costing them so. (Its old name,
    // xnor_terms, reads as popcount_terms.)
    if (!holds_term(object.at("lut_terms"), to_string(LutTerm::popcount_terms))) {
      const auto term = [&c](LutTerm t) { return c.lut_terms[static_cast<std::size_t>(t)]; };
      c.lut_terms[static_cast<std::size_t>(LutTerm::popcount_terms)] = term(LutTerm::products) + term(LutTerm::adders);
    }
  } else {
    c.lut_offset = field(object, "lut_offset", 0.0, where);
    c.lut_scale = field(object, "lut_scale", 1.0, where);
    c.ff_offset = field(object, "ff_offset", 0.0, where);
    c.ff_scale = field(object, "ff_scale", 1.0, where);
    if (c.lut_scale <= 0.0 || c.ff_scale <= 0.0)
      throw InputError(fmt::format("{}: calibration: scales must be positive", where));
  }
  if (object.contains("source") && object.at("source").is_string()) c.source = object.at("source").get<std::string>();
  return c;
}

}  // namespace codse::hw
