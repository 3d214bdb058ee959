#include "hw/synth/synth_target.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace codse::hw {
namespace {

/// Yosys script words with spaces or quotes need quoting.
std::string quoted(const std::string& word) {
  if (word.find_first_of(" \t\"") == std::string::npos) return word;
  std::string text(1, '"');
  for (const char c : word) {
    if (c == '"') text.push_back('\\');
    text.push_back(c);
  }
  text.push_back('"');
  return text;
}

}  // namespace

std::string_view to_string(SynthFamily family) {
  switch (family) {
    case SynthFamily::xc7: return "xc7";
    case SynthFamily::xcup: return "xcup";
    case SynthFamily::ecp5: return "ecp5";
    case SynthFamily::ice40: return "ice40";
  }
  return "?";
}

SynthFamily synth_family(const Device& device) {
  for (const auto family : {SynthFamily::xc7, SynthFamily::xcup, SynthFamily::ice40, SynthFamily::ecp5})
    if (device.family == to_string(family)) return family;
  throw InputError(fmt::format("device {}: family '{}' has no Yosys flow (the catalog's field 'family' names the "
                               "fabric: xc7, xcup, ice40 or ecp5)",
                               device.name, device.family));
}

std::string yosys_script(const SynthScriptSpec& spec) {
  // -defer: modules are elaborated only under the top, with its parameters; library modules
  // read at their defaults would try to open default memory files that do not exist.
  std::string script = "read_verilog -defer -sv";
  for (const auto& file : spec.verilog) {
    script.push_back(' ');
    script += quoted(file);
  }
  script += fmt::format("\nhierarchy -check -top {}", spec.top);
  for (const auto& [name, value] : spec.parameters) script += fmt::format(" -chparam {} {}", name, value);
  script += "\n";
  bool xilinx = false;
  switch (spec.family) {
    case SynthFamily::xc7:
    case SynthFamily::xcup:
      xilinx = true;
      script += fmt::format("synth_xilinx -family {} -top {} -flatten -noiopad\n", to_string(spec.family), spec.top);
      break;
    case SynthFamily::ecp5:
      script += fmt::format("synth_ecp5 -top {}\n", spec.top);
      break;
    case SynthFamily::ice40:
      script += fmt::format("synth_ice40 -top {}{}\n", spec.top, spec.use_dsp ? " -dsp" : "");
      break;
  }
  script += fmt::format("tee -q -o {} stat -json{}\n", quoted(spec.stat_json), xilinx ? " -tech xilinx" : "");
  if (!spec.netlist_json.empty()) script += fmt::format("write_json {}\n", quoted(spec.netlist_json));
  return script;
}

}  // namespace codse::hw
